import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { keyHeaders } from '../helpers/keys.js';

describe('GraphQL over HTTP against the real Neo4j', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a query whose data comes from Neo4j and back', async () => {
    const res = await app.graphql<{
      serverInfo: { database: { status: string; version: string; migrations: string[] } };
    }>('{ serverInfo { version environment database { status version migrations } } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.serverInfo.database.status).toBe('up');
    expect(res.data!.serverInfo.database.version).toMatch(/^Neo4j\/5\.26\./);
    // The migration ledger lives in the graph, so this list proves a real read happened.
    expect(res.data!.serverInfo.database.migrations).toContain('0001-migration-ledger');
    expect(res.extensions?.roundTrips).toBeGreaterThanOrEqual(1);
  });

  it("gives every request its own id, and echoes a caller's x-request-id beside it, never instead", async () => {
    const given = await app.graphql('{ serverInfo { version } }', undefined, {
      'x-request-id': 'case-42.trace',
    });
    expect(given.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(given.headers.get('x-client-request-id')).toBe('case-42.trace');
    const made = await app.graphql('{ serverInfo { version } }');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers.get('x-request-id')).not.toBe(given.headers.get('x-request-id'));
    expect(made.headers.get('x-client-request-id')).toBeNull();
  });

  it('refuses an unknown field with a stable code and no stack trace', async () => {
    const res = await app.graphql('{ serverInfo { nonsense } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.errors)).not.toContain('stacktrace');
  });

  it('answers malformed JSON with 400 and a stable code', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses an operation type the schema lacks as a validation error, not an internal one', async () => {
    const res = await app.graphql('subscription { serverInfo { version } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a POST whose Accept header allows no GraphQL response type, before running it', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify({ query: '{ serverInfo { version } }' }),
    });
    expect(res.status).toBe(406);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('BAD_REQUEST');
    // A mutation refused this way must not have run (Apollo alone would commit it, then answer 406).
    const analyst = await keyHeaders(app.db, 'analyst');
    const name = `Accept test ${randomUUID()}`;
    const refused = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html', ...analyst.headers },
      body: JSON.stringify({
        query: 'mutation($i: CreateEntityInput!) { createEntity(input: $i) { id } }',
        variables: { i: { kind: 'ACTOR', type: 'group', name } },
      }),
    });
    expect(refused.status).toBe(406);
    const found = await app.graphql<{ actors: { edges: unknown[] } }>(
      `{ actors(filter: { namePrefix: "${name}" }) { edges { node { id } } } }`,
      undefined,
      analyst.headers,
    );
    expect(found.data!.actors.edges).toEqual([]);
    const ok = await app.graphql('{ serverInfo { version } }', undefined, {
      accept: 'application/graphql-response+json',
    });
    expect(ok.status).toBe(200);
  });

  it('checks Accept and the token limit on GET requests too, before running them', async () => {
    const url = (query: string) => `${app.url}/graphql?query=${encodeURIComponent(query)}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const refused = await fetch(url('{ serverInfo { version } }'), {
      headers: { ...headers, accept: 'text/html' },
    });
    expect(refused.status).toBe(406);
    expect(
      ((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('BAD_REQUEST');
    // Over the 4,000-token limit, yet short enough for a URL (Node refuses URLs over 16 KB itself).
    const huge = `{${'a()'.repeat(1_400)}}`; // 4,202 tokens in 4,202 URL-safe characters
    const tooLong = await fetch(url(huge), { headers: { ...headers, accept: 'application/json' } });
    expect(tooLong.status).toBe(400);
    expect(
      ((await tooLong.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('LIMIT_EXCEEDED');
    // A browser asking for the landing page (no document) still gets it.
    const landing = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    const ok = await fetch(url('{ serverInfo { version } }'), {
      headers: { ...headers, accept: 'application/json' },
    });
    expect(ok.status).toBe(200);
  });

  it('reports database health on /healthz: up or down, never where the database is', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; database: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.database).sort()).toEqual(['latencyMs', 'status']);
    expect(body.database.status).toBe('up');
    expect(text).not.toContain('bolt://');
    expect(text).not.toContain(new URL(app.db.uri).port);
  });

  it('refuses a body over the configured limit before touching GraphQL', async () => {
    const small = await startTestApp({ config: { ...app.config, maxBodyBytes: 1024 } });
    try {
      const res = await small.graphql(`{ serverInfo { version } } # ${'x'.repeat(4096)}`);
      expect(res.status).toBe(413);
      expect(res.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    } finally {
      await small.close();
    }
  });
});
