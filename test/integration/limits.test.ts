import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../../src/server.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

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

  it('cost: lists multiply what they hold, and the walk that took the service down is refused unrun', async () => {
    // Ten aliases of a walk through unpaged lists (the review's #13.3), within depth, alias and token limits.
    const walk = `node(id: "ac-regime-security-services") { ... on Actor { relations { to { ... on Event {
      involvements { from { ... on Actor { relations { id } } } } } } } } }`;
    const res = await app.graphql(`{ ${Array.from({ length: 10 }, (_, i) => `a${i}: ${walk}`).join(' ')} }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: DOCUMENT_LIMITS.maxCost,
    });
    expect(res.errors![0]!.message).toMatch(/cost/i);
    expect(res.data).toBeUndefined();
    // One copy runs: each list holds at most its default.
    const one = await app.graphql(`{ ${walk} }`);
    expect(one.errors).toBeUndefined();
    // Page sizes in variables count: the same document is cheap or refused by its variables.
    const q = `query($n: Int) { node(id: "ac-regime-security-services") { ... on Actor {
      relations(first: $n) { to { ... on Event { involvements(first: $n) { from { ... on Actor {
        relations(first: $n) { id } } } } } } } } } }`;
    expect((await app.graphql(q, { n: 5 })).errors).toBeUndefined();
    const big = await app.graphql(q, { n: 500 });
    expect(big.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(big.extensions?.roundTrips ?? 0).toBe(0);
  });

  it.each([
    ['a nested list size out of range', 'claims(first: 0) { id }', 'BAD_USER_INPUT'],
    ['a nested list size over its maximum', 'relations(first: 501) { id }', 'LIMIT_EXCEEDED'],
    ['nothing wrong (the control)', '__typename', null],
  ])(
    "refuses %s in a mutation's selection before the write, and writes nothing",
    async (_what, sel, code) => {
      const analyst = (await keyHeaders(app.db, 'analyst')).headers;
      const name = `Limits ${uniq()}`;
      const res = await app.graphql(
        `mutation { createEntity(input: { kind: ACTOR, type: "organization", name: "${name}" }) { id ${sel} } }`,
        {},
        analyst,
      );
      const after = await app.graphql<{ actors: { edges: unknown[] } }>(
        `{ actors(filter: { namePrefix: "${name}" }) { edges { node { id } } } }`,
      );
      if (code) {
        expect(res.status).toBe(400);
        expect(res.errors?.[0]?.extensions?.code).toBe(code);
        expect(after.data?.actors.edges).toEqual([]);
      } else {
        // The control: the same mutation with a valid selection writes.
        expect(res.errors).toBeUndefined();
        expect(after.data?.actors.edges).toHaveLength(1);
      }
    },
  );

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
