import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../../src/server.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';

const deep = (n: number) => {
  // Each level of relations -> from adds depth; build a document just past the limit.
  let inner = 'id';
  for (let i = 0; i < n; i++) inner = `relations { from { ${inner} } }`;
  return `{ node(id: "pl-daraa") { ... on Place { ${inner} } } }`;
};

describe('abuse limits: refused before any database work, with LIMIT_EXCEEDED', () => {
  let app: TestApp;
  let prod: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    prod = await startTestApp({ config: testConfig({ NODE_ENV: 'production' }) });
  });
  afterAll(async () => {
    await app.close();
    await prod.close();
  });

  const refused = async (query: string, code = 'LIMIT_EXCEEDED') => {
    const res = await app.graphql(query);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe(code);
    expect(res.data).toBeUndefined();
    return res;
  };

  it('depth', async () => {
    expect((await app.graphql(deep(2))).errors).toBeUndefined();
    const res = await refused(deep(DOCUMENT_LIMITS.maxDepth));
    expect(res.errors!.map((e) => e.message).join(' ')).toMatch(/depth limit/i);
  });

  it('aliases', async () => {
    const aliases = Array.from(
      { length: DOCUMENT_LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: serverInfo { version }`,
    );
    await refused(`{ ${aliases.join(' ')} }`);
  });

  it('directives', async () => {
    const dirs = Array.from({ length: DOCUMENT_LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(
      ' ',
    );
    await refused(`{ serverInfo ${dirs} { version } }`);
  });

  it('tokens', async () => {
    const fields = Array.from({ length: DOCUMENT_LIMITS.maxTokens }, () => 'version').join(' ');
    await refused(`{ serverInfo { ${fields} } }`);
  });

  it('cost', async () => {
    // Fragments keep it small in tokens and depth; expanded, it is expensive.
    const q = `
      fragment W on Entity { id name aliases { value lang } identifiers { scheme value } claims { id summary } }
      fragment R1 on Entity { ...W relations { from { ...W } to { ...W } } }
      fragment R2 on Entity { ...W relations { from { ...R1 } to { ...R1 } } }
      fragment R3 on Entity { ...W relations { from { ...R2 } to { ...R2 } } }
      { ${Array.from({ length: 20 }, (_, i) => `n${i}: node(id: "pl-daraa") { ...R3 }`).join(' ')} }`;
    const res = await app.graphql(q);
    expect(res.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(res.errors![0]!.message).toMatch(/cost/i);
  });

  it('batched requests', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ serverInfo { version } }' },
        { query: '{ serverInfo { version } }' },
      ]),
    });
    expect(res.status).toBe(400);
  });

  it('list sizes', async () => {
    const res = await app.graphql('{ events(first: 1000) { edges { node { id } } } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 100 });
    expect(res.extensions?.roundTrips).toBe(0);
  });

  it('introspection is off in production and on in development', async () => {
    const q = '{ __schema { queryType { name } } }';
    expect((await app.graphql(q)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const res = await prod.graphql(q);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('production responses carry no round-trip counts and no field suggestions', async () => {
    const ok = await prod.graphql('{ serverInfo { version } }');
    expect(ok.extensions?.roundTrips).toBeUndefined();
    const typo = await prod.graphql('{ serverInf { version } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
