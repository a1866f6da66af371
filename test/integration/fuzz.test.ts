import http from 'node:http';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { loadBundleFile } from '../../src/io/bundle/resolve.js';
import { SAMPLE_BUNDLE } from '../../src/services/import.js';
import { loadTypeDefs } from '../../src/server.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { digest, uniq } from '../helpers/bundles.js';
import {
  CYPHER_INJECTIONS,
  GRAPHQL_INJECTIONS,
  LONE_SURROGATES,
  ODD_STRINGS,
  Rng,
  buildRequest,
  describeRequest,
  errorCodes,
  isInternal,
  send,
  type FuzzRequest,
  type FuzzResponse,
} from '../helpers/fuzz.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Fuzzing the live server: 10,000 requests built from the schema (valid and invalid documents, hostile
 * strings, malformed HTTP), half anonymous and half with an analyst key, 8 in flight.
 *
 * Reproduce a run with FUZZ_SEED=<the seed printed>; replay one request with FUZZ_SEED=<seed>
 * FUZZ_ONLY=<its index>. FUZZ_REQUESTS changes the count.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const ONLY = process.env.FUZZ_ONLY ? Number(process.env.FUZZ_ONLY) : undefined;
const REQUESTS = ONLY !== undefined ? 1 : Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 8;
/** Selection variants per root field (see GenContext.variants). */
const VARIANTS = 6;

const auditTrail = statement(
  'test.fuzz.auditTrail',
  `MATCH (a:AuditRecord)
   WITH a, a.role = 'anonymous' AS anonymous
   RETURN collect(CASE WHEN anonymous THEN a {.operation, .actor, .role, .requestId, at: toString(a.at)} END)
            AS anonymous,
          collect(CASE WHEN a.keyId = $keyId THEN a.requestId END) AS byKey`,
);
const entitiesNamed = statement(
  'test.fuzz.entitiesNamed',
  'MATCH (n:Entity {name: $name}) RETURN count(n) AS n',
);

type EntityRead = {
  id: string;
  name: string;
  description: string | null;
  aliases: { value: string; lang: string }[];
  identifiers: { scheme: string; value: string }[];
};
const NODE = `query($id: ID!) {
  node(id: $id) { id ... on Entity { name description aliases { value lang } identifiers { scheme value } } }
}`;
const CREATE = `mutation($input: CreateEntityInput!) {
  createEntity(input: $input) { id name description aliases { value lang } identifiers { scheme value } }
}`;

/** What the server does to a name: zod trims it (JavaScript's trim: white space, line ends and U+FEFF). */
const asStored = (s: string) => s.trim();

describe('fuzzing the GraphQL endpoint', () => {
  let app: TestApp;
  let analyst: Awaited<ReturnType<typeof keyHeaders>>;
  let schema: GraphQLSchema;
  let sampleIds: string[];

  beforeAll(async () => {
    app = await startTestApp();
    analyst = await keyHeaders(app.db, 'analyst', `fuzz-analyst-${uniq()}`);
    schema = buildSchema(loadTypeDefs());
    const bundle = await loadBundleFile(SAMPLE_BUNDLE);
    sampleIds = [bundle.sources, bundle.entities, bundle.claims, bundle.excerpts, bundle.figures].flatMap(
      (rows) => rows.map((r) => r.id),
    );
  });
  afterAll(() => app.close());

  /** Audit records of anonymous callers (there must be none) and request ids audited for the fuzz key. */
  const audits = async () => {
    const rows = await app.db.executor.read(auditTrail, { keyId: analyst.keyId });
    return { anonymous: rows[0]!.anonymous as Record<string, unknown>[], byKey: rows[0]!.byKey as string[] };
  };

  it(`${REQUESTS} generated requests: no 5xx, no INTERNAL_SERVER_ERROR, rejected requests change nothing`, async () => {
    console.log(`[fuzz] FUZZ_SEED=${SEED} requests ${REQUESTS}, ${CONCURRENCY} in flight`);
    expect(sampleIds.length).toBeGreaterThan(100);
    const digestBefore = await digest(app.db.executor, sampleIds, true);
    const auditsBefore = await audits();

    const base = new URL(app.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let fresh = 0;
    // Mutations only ever name ids that do not exist, so no valid write can touch the sample graph.
    const ids = { readIds: sampleIds, freshId: () => `fz-${SEED}-${fresh++}-missing` };
    let keys = 0;
    const idempotencyKey = () => `fuzz-key-${SEED}-${keys++}`;

    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const kinds = new Map<string, number>();
    const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    const failures: string[] = [];
    const fail = (i: number, req: FuzzRequest, why: string, res?: FuzzResponse) =>
      failures.push(
        `${why}\n  ${describeRequest(i, SEED, req)}` +
          (res ? `\n  response ${res.status}: ${res.body.slice(0, 800)}` : ''),
      );
    /** Request ids of the analyst's accepted writes (mutation root fields answered with data). */
    const writes: string[] = [];
    const maybeWrites: string[] = [];
    const mutations = new Map<string, { i: number; req: FuzzRequest; res: FuzzResponse }>();
    const created: { id: string; input: Record<string, unknown> }[] = [];
    const latencies: { ms: number; i: number; kind: string }[] = [];
    let bytesSent = 0;
    let bigBodies = 0;

    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = ONLY ?? next;
        next++;
        // Each request from (seed, index) alone: one failing request replays without the others.
        const req = buildRequest(schema, new Rng(SEED, i), ids, idempotencyKey, analyst.headers, {
          seed: SEED,
          count: VARIANTS,
        });
        const size = req.body?.length ?? 0;
        bytesSent += size + req.path.length;
        if (size > 100_000) bigBodies++;
        bump(kinds, req.kind);
        let res: FuzzResponse;
        const t0 = performance.now();
        try {
          res = await send(base, req, agent);
        } catch (err) {
          bump(statuses, 0);
          fail(i, req, `no HTTP answer: ${(err as Error).message}`);
          continue;
        }
        latencies.push({ ms: performance.now() - t0, i, kind: req.kind });
        bump(statuses, res.status);
        for (const c of errorCodes(res)) bump(codes, c);
        if (isInternal(res)) {
          const internal = (res.json?.errors ?? []).filter(
            (e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR',
          );
          fail(i, req, `internal error: ${JSON.stringify(internal).slice(0, 500)}`, res);
        }
        if (/stacktrace/.test(JSON.stringify(res.json?.errors ?? [])))
          fail(i, req, 'stack trace leaked', res);
        const requestId = String(res.headers['x-request-id']);
        if (!req.doc?.mutation) continue;
        mutations.set(requestId, { i, req, res });
        const data = res.json?.data;
        for (const f of data ? req.doc.rootFields : []) {
          const out = data![f.key] as { id?: string } | null | undefined;
          if (out == null) continue;
          if (req.anonymous) fail(i, req, `anonymous ${f.field} was accepted`, res);
          // Re-ingesting a stored text writes nothing and so no audit record (created: false); when the
          // selection leaves `created` out, the request may or may not have written.
          const wasCreated = (out as { created?: boolean }).created;
          if (f.field === 'ingestSource' && wasCreated !== true) {
            if (wasCreated === undefined) maybeWrites.push(requestId);
            continue;
          }
          writes.push(requestId);
          const input = f.args.input as Record<string, unknown> | undefined;
          if (f.field === 'createEntity' && out.id && input) created.push({ id: out.id, input });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    latencies.sort((a, b) => b.ms - a.ms);
    const at = (q: number) => Math.round(latencies[Math.floor((1 - q) * (latencies.length - 1))]?.ms ?? 0);
    const sorted = <K>(m: Map<K, number>) =>
      JSON.stringify(Object.fromEntries([...m].sort((a, b) => b[1] - a[1])));
    console.log(
      [
        `[fuzz] ${REQUESTS} requests in ${seconds.toFixed(1)} s (${Math.round(REQUESTS / seconds)}/s), ` +
          `${(bytesSent / 1e6).toFixed(1)} MB sent, ${bigBodies} bodies over 100 kB; ` +
          `${writes.length} analyst writes accepted (${created.length} entities created)`,
        `[fuzz] HTTP status: ${sorted(statuses)}`,
        `[fuzz] error codes: ${sorted(codes)}`,
        `[fuzz] request kinds: ${sorted(kinds)}`,
        `[fuzz] latency ms: p50 ${at(0.5)}, p95 ${at(0.95)}, p99 ${at(0.99)}, max ${at(1)} ` +
          `(slowest: ${latencies
            .slice(0, 3)
            .map((l) => `#${l.i} ${l.kind}`)
            .join(', ')}; the first requests wait for Neo4j to plan and warm up)`,
      ].join('\n'),
    );
    if (failures.length) {
      console.error(
        `[fuzz] ${failures.length} failures (FUZZ_SEED=${SEED}):\n${failures.slice(0, 10).join('\n\n')}`,
      );
    }
    expect(failures.slice(0, 5), `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);

    // Still up; the sample graph is untouched; nothing was written anonymously.
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await digest(app.db.executor, sampleIds, true)).toBe(digestBefore);
    const auditsAfter = await audits();
    expect(auditsAfter.anonymous).toEqual([]);
    // One audit record per accepted write, and none for a request that was refused.
    const audited = auditsAfter.byKey.filter((id) => !auditsBefore.byKey.includes(id));
    const unexplained = audited.filter((id) => !writes.includes(id) && !maybeWrites.includes(id));
    for (const id of unexplained) {
      const m = mutations.get(id);
      console.error(
        `[fuzz] request ${id} was refused but wrote an audit record:\n  ` +
          (m ? `${describeRequest(m.i, SEED, m.req)}\n  response ${m.res.body.slice(0, 800)}` : '(unknown)'),
      );
    }
    expect(unexplained).toEqual([]);
    expect(writes.filter((id) => !audited.includes(id))).toEqual([]);

    // What was accepted reads back as sent.
    for (const { id, input } of created) {
      const res = await app.graphql<{ node: EntityRead }>(NODE, { id }, analyst.headers);
      const node = res.data?.node;
      expect(node, `${id} (FUZZ_SEED=${SEED})`).toBeTruthy();
      expect(node!.name).toBe(asStored(String(input.name)));
      expect(node!.description).toBe(input.description ?? null);
    }
    // 10,000 requests take 220 s on a quiet machine, over 360 s beside the other suites on two cores.
  }, 600_000);

  it('injection-looking and odd strings accepted as data are stored and returned literally', async () => {
    const strings = [...CYPHER_INJECTIONS, ...GRAPHQL_INJECTIONS, ...ODD_STRINGS];
    const digestBefore = await digest(app.db.executor, sampleIds, true);
    for (const s of strings) {
      const input = {
        kind: 'ACTOR',
        type: 'organization',
        name: s,
        description: s,
        aliases: [{ value: s, lang: 'ar' }],
        identifiers: [{ scheme: 'other', value: s }],
      };
      // Once through variables, once as literals in the document (JSON escapes are GraphQL escapes).
      const viaVariables = await app.graphql<{ createEntity: EntityRead }>(
        CREATE,
        { input },
        analyst.headers,
      );
      const lit = JSON.stringify(s);
      const viaLiteral = await app.graphql<{ createEntity: { id: string } }>(
        `mutation { createEntity(input: {kind: ACTOR, type: "organization", name: ${lit}, description: ${lit},
           aliases: [{value: ${lit}, lang: "ar"}], identifiers: [{scheme: "other", value: ${lit}}]}) { id } }`,
        {},
        analyst.headers,
      );
      for (const res of [viaVariables, viaLiteral]) {
        expect(res.errors, JSON.stringify(s)).toBeUndefined();
        const id = res.data!.createEntity.id;
        // Read back in another request, anonymously (it is public) and with the key: the same code units.
        for (const headers of [{}, analyst.headers]) {
          const node = (await app.graphql<{ node: EntityRead }>(NODE, { id }, headers)).data!.node;
          expect(Buffer.from(node.name), JSON.stringify(s)).toEqual(Buffer.from(asStored(s)));
          expect(node.name.length).toBe(asStored(s).length); // Buffer.from would hide a lone surrogate
          expect(node.description).toBe(s);
          expect(node.aliases).toEqual([{ value: asStored(s), lang: 'ar' }]);
          expect(node.identifiers).toEqual([{ scheme: 'other', value: asStored(s) }]);
        }
      }
      // Lookups by the same string treat it as data: they find it, never fail.
      const found = await app.graphql<{ entityByIdentifier: EntityRead | null }>(
        `query($v: String!) { entityByIdentifier(scheme: "other", value: $v) { id name identifiers { scheme value } } }`,
        { v: s },
      );
      expect(found.errors, JSON.stringify(s)).toBeUndefined();
      expect(found.data!.entityByIdentifier!.identifiers).toContainEqual({
        scheme: 'other',
        value: asStored(s),
      });
      const search = await app.graphql(
        `query($q: String!) { search(query: $q, first: 5) { edges { node { __typename } } } }`,
        { q: s },
      );
      expect(search.status, JSON.stringify(s)).toBeLessThan(500);
      expect(search.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('INTERNAL_SERVER_ERROR');
    }
    // Lone surrogates cannot be stored as UTF-8: refused cleanly, naming the input.
    for (const s of LONE_SURROGATES) {
      const res = await app.graphql(
        CREATE,
        { input: { kind: 'ACTOR', type: 'organization', name: `ok ${s}` } },
        analyst.headers,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        inputPath: ['input', 'name'],
      });
    }
    expect(await digest(app.db.executor, sampleIds, true)).toBe(digestBefore);
  }, 120_000);

  describe('inputs the fuzzer found answered as internal errors (or worse), now refused cleanly', () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { errors?: GqlError[]; data?: unknown },
      }));
    type GqlError = { message: string; extensions?: { code?: string } };

    it('a subscription (the schema has none) is an invalid document, not an execution failure', async () => {
      const res = await post({ query: 'subscription { serverInfo { version } }' });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors?.[0]?.message).toMatch(/subscription/);
    });

    it('persisted-query misuse is a bad request', async () => {
      const wrongHash = await post({
        query: '{ viewer { role } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } },
      });
      const wrongVersion = await post({
        query: '{ viewer { role } }',
        extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } },
      });
      for (const res of [wrongHash, wrongVersion]) {
        expect(res.status).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      }
    });

    it('more than 50 invalid variable values are the caller’s error', async () => {
      const res = await post({
        query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: Array.from({ length: 60 }, () => ({ not: 'an id' })) },
      });
      expect(res.status).toBe(400);
      expect(new Set(res.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    });

    it('a mutation whose Accept header cannot be satisfied is refused before it writes', async () => {
      const name = `Accept test ${uniq()}`;
      for (const accept of ['application/xml', 'text/event-stream', 'text/html']) {
        const res = await post(
          { query: CREATE, variables: { input: { kind: 'ACTOR', type: 'organization', name } } },
          { ...analyst.headers, accept },
        );
        expect(res.status).toBe(406);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      }
      const rows = await app.db.executor.read(entitiesNamed, { name });
      expect(Number(rows[0]!.n)).toBe(0);
      // Acceptable types still work.
      const ok = await post(
        { query: CREATE, variables: { input: { kind: 'ACTOR', type: 'organization', name } } },
        { ...analyst.headers, accept: 'application/graphql-response+json, application/json;q=0.9' },
      );
      expect(ok.status).toBe(200);
      expect(Number((await app.db.executor.read(entitiesNamed, { name }))[0]!.n)).toBe(1);
    });
  });
});
