/**
 * Is one Cypher statement per root field (`provenance(id)`) faster than DataLoader batching with UNWIND,
 * one statement per nesting level (`node(id) { ... on Entity { claims { ... } } }`), for the same evidence?
 *
 * Runs the real HTTP server over a real embedded Neo4j and times whole requests from the client side
 * (HTTP + GraphQL + database), since that is what an investigator waits for.
 *
 *   npx tsx bench/roundtrips.ts      (or: npm run bench:roundtrips)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/graph/database.js';
import { createDriver } from '../src/graph/driver.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/graph/embedded.js';
import { Executor } from '../src/graph/executor.js';
import { migrate } from '../src/graph/migrate.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { createAppServer, type AppServer } from '../src/server.js';
import { loadBundle, SAMPLE_BUNDLE } from '../src/services/import.js';

const IDS = [
  'ev-amnesty-decree-2022',
  'ev-amnesty-releases-2022',
  'pl-rif-dimashq',
  'ac-regime-security-services',
];
const WARMUP = 50;
const N = 300;
const HEAP = '1g';
const PAGECACHE = '256m';
// Its own store folder: Neo4j locks a store per process, and the app and tests use other folders.
const DATA_DIR = path.join(projectRoot, '.neo4j', 'bench');

const CLAIMS = `claims { id summary excerpts { exact start end source { id title sha256 } } attribution { hop agent { name } } }`;
const VARIANTS = {
  A: {
    label: 'A: provenance(id) — one statement per root field',
    query: `query ($id: ID!) { provenance(id: $id) { ${CLAIMS} } }`,
    claims: (data: Data) => data.provenance?.claims,
  },
  B: {
    label: 'B: node(id) on Entity — DataLoader + UNWIND per level',
    query: `query ($id: ID!) { node(id: $id) { ... on Entity { ${CLAIMS} } } }`,
    claims: (data: Data) => data.node?.claims,
  },
} as const;
type Variant = keyof typeof VARIANTS;

interface Claim {
  id: string;
  excerpts: { start: number; source: { id: string } }[];
  attribution: { hop: number }[];
}
interface Data {
  provenance?: { claims: Claim[] };
  node?: { claims?: Claim[] };
}
interface Body {
  data?: Data;
  errors?: unknown[];
  extensions?: { roundTrips?: number };
}

async function post(url: string, query: string, id: string): Promise<{ ms: number; body: Body }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { id } }),
  });
  // The body is read inside the timing: a client has not got the evidence until it has parsed it.
  const body = (await res.json()) as Body;
  const ms = performance.now() - started;
  if (res.status !== 200 || body.errors)
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
  return { ms, body };
}

/** Claims with nested lists in a fixed order, so that two resolvers' answers can be compared as JSON. */
function canonical(claims: Claim[]): string {
  const sorted = claims
    .map((c) => ({
      ...c,
      excerpts: [...c.excerpts].sort((x, y) => (x.source.id + x.start).localeCompare(y.source.id + y.start)),
      attribution: [...c.attribution].sort((x, y) => x.hop - y.hop),
    }))
    .sort((x, y) => x.id.localeCompare(y.id));
  return JSON.stringify(sorted);
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  return {
    p50: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    p99: round(quantile(s, 0.99)),
    mean: round(total / ms.length),
    // Sequential requests, one client: throughput is simply 1000 / mean latency.
    reqPerSec: round((1000 * ms.length) / total, 1),
  };
}

/**
 * A 95% bootstrap interval for the p50 ratio A/B, resampling the pairs together (they shared the same
 * moment of machine noise). A seeded generator keeps the interval reproducible for the same timings.
 */
function bootstrapRatio(a: number[], b: number[], q: number, resamples = 2000): [number, number] {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const ra: number[] = [];
    const rb: number[] = [];
    for (let i = 0; i < a.length; i++) {
      const k = Math.floor(rand() * a.length);
      ra.push(a[k]!);
      rb.push(b[k]!);
    }
    ra.sort((x, y) => x - y);
    rb.sort((x, y) => x - y);
    ratios.push(quantile(ra, q) / quantile(rb, q));
  }
  ratios.sort((x, y) => x - y);
  return [round(quantile(ratios, 0.025), 3), round(quantile(ratios, 0.975), 3)];
}

async function main() {
  let neo4j: EmbeddedNeo4j | undefined;
  let db: Database | undefined;
  let server: AppServer | undefined;
  try {
    neo4j = await startEmbeddedNeo4j({ dataDir: DATA_DIR, heap: HEAP, pagecache: PAGECACHE });
    const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', NEO4J_URI: neo4j.uri });
    const logger = createLogger(config.logLevel, 'bench');
    // Built like test/helpers/app.ts testDatabase: a handle that does not own Neo4j (stopped below).
    const driver = createDriver({ uri: neo4j.uri, user: config.neo4j.user, password: undefined });
    const executor = new Executor(driver, {
      database: config.neo4j.database,
      txTimeoutMs: config.neo4j.txTimeoutMs,
      logger,
    });
    db = { uri: neo4j.uri, driver, executor, embedded: undefined, close: () => driver.close() };
    await migrate(executor, logger);
    await loadBundle(executor, SAMPLE_BUNDLE); // skipped when this store already holds it

    // development: responses carry extensions.roundTrips, as they do for the people asking the question.
    server = await createAppServer(config, logger, db);
    const url = `${await server.listen(0, '127.0.0.1')}/graphql`;

    // Same evidence on both sides, or the timings compare different work.
    const roundTrips: Record<string, Record<Variant, number>> = {};
    for (const id of IDS) {
      const a = (await post(url, VARIANTS.A.query, id)).body;
      const b = (await post(url, VARIANTS.B.query, id)).body;
      const ca = VARIANTS.A.claims(a.data!);
      const cb = VARIANTS.B.claims(b.data!);
      if (!ca || !cb) throw new Error(`${id}: no claims in one of the answers`);
      const ids = (cs: Claim[]) => JSON.stringify(cs.map((c) => c.id).sort());
      if (ids(ca) !== ids(cb)) throw new Error(`${id}: claim ids differ\nA ${ids(ca)}\nB ${ids(cb)}`);
      if (canonical(ca) !== canonical(cb)) throw new Error(`${id}: same claims, different evidence`);
      roundTrips[id] = { A: a.extensions!.roundTrips!, B: b.extensions!.roundTrips! };
      console.log(
        `${id}: ${ca.length} claims, identical evidence; round trips A=${roundTrips[id].A} B=${roundTrips[id].B}`,
      );
    }

    // Interleaved A/B so both see the same noise (GC, JIT, page cache); the order within each pair
    // alternates (AB, BA, ...) so neither always runs on the connection the other just warmed.
    const run = async (count: number) => {
      const ms: Record<Variant, number[]> = { A: [], B: [] };
      for (let i = 0; i < count; i++) {
        const id = IDS[i % IDS.length]!;
        for (const v of (i % 2 ? ['B', 'A'] : ['A', 'B']) as Variant[]) {
          ms[v].push((await post(url, VARIANTS[v].query, id)).ms);
        }
      }
      return ms;
    };
    await run(WARMUP);
    // Other processes share this machine; the load average says how quiet it was during the run.
    const loadBefore = round(os.loadavg()[0]!);
    const ms = await run(N);
    const loadAfter = round(os.loadavg()[0]!);

    const A = stats(ms.A);
    const B = stats(ms.B);
    const meanTrips = (v: Variant) => IDS.reduce((s, id) => s + roundTrips[id]![v], 0) / IDS.length;
    const health = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo { database { version } } }' }),
    }).then((r) => r.json() as Promise<{ data: { serverInfo: { database: { version: string } } } }>);
    const results = {
      date: new Date().toISOString(),
      question: 'one Cypher statement per root field (A) vs DataLoader + UNWIND per level (B), same evidence',
      machine: {
        nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        neo4j: health.data.serverInfo.database.version,
        neo4jHeap: HEAP,
        neo4jPagecache: PAGECACHE,
        loadAverage1m: { before: loadBefore, after: loadAfter },
      },
      method: { ids: IDS, warmupPerVariant: WARMUP, nPerVariant: N, sequential: true, interleaved: 'ABBA' },
      queries: { A: VARIANTS.A.query, B: VARIANTS.B.query },
      roundTripsPerRequest: roundTrips,
      A: { ...A, roundTripsMean: meanTrips('A') },
      B: { ...B, roundTripsMean: meanTrips('B') },
      ratioAOverB: {
        p50: round(A.p50 / B.p50, 3),
        p50ci95: bootstrapRatio(ms.A, ms.B, 0.5),
        p95: round(A.p95 / B.p95, 3),
        p95ci95: bootstrapRatio(ms.A, ms.B, 0.95),
      },
    };

    const outDir = path.join(projectRoot, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${results.date.slice(0, 10)}-roundtrips.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

    const r = results.ratioAOverB;
    const row = (v: Variant, s: typeof A & { roundTripsMean: number }) =>
      `| ${VARIANTS[v].label} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.mean} | ${s.reqPerSec} | ${s.roundTripsMean} |`;
    console.log(
      [
        '',
        `${results.machine.nproc} CPUs (${results.machine.cpu}), ${results.machine.totalMemoryGiB} GiB, Node ${results.machine.node}, ${results.machine.neo4j} (heap ${HEAP}, page cache ${PAGECACHE}); load ${loadBefore}→${loadAfter}; N=${N} per variant after ${WARMUP} warm-up`,
        '',
        '| Variant | p50 ms | p95 ms | p99 ms | mean ms | req/s | round trips |',
        '| --- | --: | --: | --: | --: | --: | --: |',
        row('A', results.A),
        row('B', results.B),
        '',
        `A/B at p50: ${r.p50} (95% CI ${r.p50ci95.join('–')}); at p95: ${r.p95} (95% CI ${r.p95ci95.join('–')})`,
        `Written to ${path.relative(projectRoot, file)}`,
      ].join('\n'),
    );
  } finally {
    await server?.stop();
    await db?.close();
    await neo4j?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
