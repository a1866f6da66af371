import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../../src/server.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused } from '../helpers/refusals.js';

const deep = (n: number) => {
  // Each level of relations -> from adds depth; build a document just past the limit.
  let inner = 'id';
  for (let i = 0; i < n; i++) inner = `relations { from { ${inner} } }`;
  return `{ node(id: "pl-daraa") { ... on Place { ${inner} } } }`;
};

/** n copies of a piece of a document. */
const times = (n: number, piece: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => piece(i)).join(' ');

/**
 * Documents just over one of the limits each, with what the refusal's message names. Refused while parsing
 * (tokens), a document is refused before Apollo starts counting round trips: its response carries no count
 * to assert on (and no statement can run before a document is parsed).
 */
const OVER_LIMITS: { limit: string; doc: string; says?: RegExp; counted: boolean }[] = [
  { limit: 'depth', doc: deep(DOCUMENT_LIMITS.maxDepth), says: /depth limit/i, counted: true },
  {
    limit: 'aliases',
    doc: `{ ${times(DOCUMENT_LIMITS.maxAliases + 1, (i) => `a${i}: serverInfo { version }`)} }`,
    counted: true,
  },
  {
    limit: 'directives',
    doc: `{ serverInfo ${times(DOCUMENT_LIMITS.maxDirectives + 1, () => '@include(if: true)')} { version } }`,
    counted: true,
  },
  {
    limit: 'tokens',
    doc: `{ serverInfo { ${times(DOCUMENT_LIMITS.maxTokens, () => 'version')} } }`,
    counted: false,
  },
];

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

  it.each(OVER_LIMITS)(
    'refuses a document over the $limit limit (400, LIMIT_EXCEEDED)',
    async ({ doc, says, counted }) => {
      const err = expectRefused(await app.graphql(doc), 'LIMIT_EXCEEDED', undefined, {
        status: 400,
        beforeDatabase: counted,
        otherErrors: true,
      });
      if (says) expect(err.message).toMatch(says);
    },
  );

  it('answers a document within the depth limit (the control)', async () => {
    expect((await app.graphql(deep(2))).errors).toBeUndefined();
  });

  it('cost: lists multiply what they hold, and the walk that took the service down is refused unrun', async () => {
    // Ten aliases of a walk through unpaged lists (the review's #13.3), within depth, alias and token limits.
    const walk = `node(id: "ac-regime-security-services") { ... on Actor { relations { to { ... on Event {
      involvements { from { ... on Actor { relations { id } } } } } } } } }`;
    const res = await app.graphql(`{ ${times(10, (i) => `a${i}: ${walk}`)} }`);
    const err = expectRefused(res, 'LIMIT_EXCEEDED', undefined, {
      status: 400,
      extensions: { limit: DOCUMENT_LIMITS.maxCost },
      beforeDatabase: true,
    });
    expect(err.message).toMatch(/cost/i);
    // One copy runs: each list holds at most its default.
    const one = await app.graphql(`{ ${walk} }`);
    expect(one.errors).toBeUndefined();
    // Page sizes in variables count: the same document is cheap or refused by its variables.
    const q = `query($n: Int) { node(id: "ac-regime-security-services") { ... on Actor {
      relations(first: $n) { to { ... on Event { involvements(first: $n) { from { ... on Actor {
        relations(first: $n) { id } } } } } } } } } }`;
    expect((await app.graphql(q, { n: 5 })).errors).toBeUndefined();
    expectRefused(await app.graphql(q, { n: 500 }), 'LIMIT_EXCEEDED', undefined, { beforeDatabase: true });
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
        expectRefused(res, code, undefined, { status: 400, beforeDatabase: true });
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
    expectRefused(res, 'LIMIT_EXCEEDED', undefined, { extensions: { limit: 100 }, beforeDatabase: true });
  });

  it('introspection is off in production and on in development', async () => {
    const q = '{ __schema { queryType { name } } }';
    expect((await app.graphql(q)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const err = expectRefused(await prod.graphql(q), 'GRAPHQL_VALIDATION_FAILED');
    expect(err.message).toMatch(/introspection/i);
  });

  it('production responses carry no round-trip counts and no field suggestions', async () => {
    const ok = await prod.graphql('{ serverInfo { version } }');
    expect(ok.extensions?.roundTrips).toBeUndefined();
    const typo = await prod.graphql('{ serverInf { version } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});
