/**
 * Scale benchmark (issue #7): our API vs @neo4j/graphql vs the raw Cypher floor, on a generated graph of
 * 10k, 100k or 1M events, plus import throughput and HTTP throughput.
 *
 *   npm run bench -- --scale 100k [--reload] [--budget 25] [--max-n 200] [--no-http] [--no-import] [--only q1,q2]
 *
 * Each scale has its own embedded Neo4j store (.neo4j/bench-<scale>), loaded once through the project's
 * bundle loader and reused. Our API and @neo4j/graphql run as separate node processes (same Express +
 * Apollo level); the floor replays, through neo4j-driver, the statements our server ran for the request.
 * The three runners are interleaved per iteration (rotating order), after a check that they return the
 * same records. Results: bench/results/<date>-scale-<scale>.json and a table on stdout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Driver } from 'neo4j-driver';
import { toNative } from '../src/graph/values.js';
import { projectRoot } from '../src/paths.js';
import { SCALES, type Scale } from './generate.js';
import {
  describeMismatch,
  driverCeiling,
  postGraphQL,
  prepare,
  profile,
  runFloor,
  startServer,
  type Prepared,
  type ServerChild,
} from './harness.js';
import { writeCurveChart } from './chart.js';
import { importThroughput } from './import.js';
import { BY_ID, buildSuite } from './queries.js';
import { openBenchStore } from './store.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10k' },
    reload: { type: 'boolean', default: false },
    budget: { type: 'string', default: '25' },
    'max-n': { type: 'string', default: '200' },
    'min-n': { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    http: { type: 'boolean', default: true },
    'no-http': { type: 'boolean', default: false },
    import: { type: 'boolean', default: true },
    'no-import': { type: 'boolean', default: false },
    'http-seconds': { type: 'string', default: '15' },
    /** Only these queries (comma-separated names); results go to <date>-scale-<scale>-only-<names>.json. */
    only: { type: 'string' },
  },
});
const scale = values.scale as Scale;
if (!(scale in SCALES)) {
  console.error(`usage: bench/scale.ts --scale ${Object.keys(SCALES).join('|')} [--reload]`);
  process.exit(2);
}
/** Neo4j memory per scale: heap, page cache (the machine has 24 GiB, shared). */
const MEMORY: Record<Scale, { heap: string; pagecache: string }> = {
  smoke: { heap: '512m', pagecache: '256m' },
  '10k': { heap: '1g', pagecache: '1g' },
  '100k': { heap: '2g', pagecache: '2g' },
  '1m': { heap: '4g', pagecache: '6g' },
};
const budgetMs = Number(values.budget) * 1000;
const maxN = Number(values['max-n']);
const minN = Number(values['min-n']);
const warmup = Number(values.warmup);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    p99: round(quantile(s, 0.99)),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}
const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

type Runner = 'ours' | 'ng' | 'floor';

async function graphCounts(driver: Driver) {
  const session = driver.session({ defaultAccessMode: 'READ' });
  try {
    const nodes = await session.run('MATCH (n) RETURN count(n) AS n');
    const rels = await session.run('MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n ORDER BY type');
    const byType = Object.fromEntries(rels.records.map((r) => [r.get('type'), Number(r.get('n'))])) as Record<
      string,
      number
    >;
    const entityRels = ['INVOLVED_IN', 'OCCURRED_IN', 'PART_OF', 'MEMBER_OF', 'FIGURE_OF', 'PUBLISHED_BY'];
    return {
      nodes: Number(nodes.records[0]!.get('n')),
      relationships: Object.values(byType).reduce((a, b) => a + b, 0),
      entityRelationships: entityRels.reduce((a, t) => a + (byType[t] ?? 0), 0),
      byType,
    };
  } finally {
    await session.close();
  }
}

async function timeOne(runner: Runner, p: Prepared, ours: ServerChild, ng: ServerChild, driver: Driver) {
  const t0 = performance.now();
  if (runner === 'ours') await postGraphQL(ours.url, p.query.ours, p.target.ours);
  else if (runner === 'ng') await postGraphQL(ng.url, p.query.ng as string, p.ngVars);
  else await runFloor(driver, p.floor);
  return performance.now() - t0;
}

async function main() {
  const started = Date.now();
  const mem = MEMORY[scale];
  const loadBefore = os.loadavg().map((x) => round(x));
  log(`scale ${scale} (${SCALES[scale]} events), Neo4j heap ${mem.heap}, page cache ${mem.pagecache}`);
  const store = await openBenchStore({
    name: scale,
    events: SCALES[scale],
    heap: mem.heap,
    pagecache: mem.pagecache,
    reload: values.reload,
    log,
  });
  let ours: ServerChild | undefined;
  let ng: ServerChild | undefined;
  let hello: ServerChild | undefined;
  try {
    const counts = await graphCounts(store.driver);
    log(`graph: ${counts.nodes} nodes, ${counts.relationships} relationships`);
    ours = await startServer('api-server.ts', [store.neo4j.uri]);
    ng = await startServer('neo4j-graphql-server.ts', [store.neo4j.uri]);
    const only = values.only ? new Set(String(values.only).split(',')) : null;
    const suite = (await buildSuite(store.driver, store.shape)).filter((q) => !only || only.has(q.name));
    // @neo4j/graphql checks the database version on its first request: not part of any query's count.
    await postGraphQL(ng.url, '{ events(limit: 1) { id } }', {});

    // Equivalence first: the timings only mean something if the three do the same work.
    const prepared = new Map<string, Prepared[]>();
    const failed = new Map<string, string>();
    const problems: string[] = [];
    for (const q of suite) {
      const list: Prepared[] = [];
      try {
        for (const t of q.targets) {
          const p = await prepare(ours, ng, store.driver, q, t);
          if (p.equivalent.ng === false || !p.equivalent.floor || p.ids.ours === 0)
            problems.push(describeMismatch(p));
          list.push(p);
        }
      } catch (err) {
        // Our API failing (e.g. its transaction timeout at 1M) is a result: recorded, not timed.
        failed.set(q.name, String((err as Error).message).slice(0, 300));
        log(`${q.name}: FAILED on our API: ${failed.get(q.name)}`);
        continue;
      }
      prepared.set(q.name, list);
      log(
        `${q.name}: ids ${list.map((p) => p.ids.ours).join('/')}; round trips ours ${list.map((p) => p.roundTrips.ours).join('/')}, @neo4j/graphql ${list.map((p) => p.roundTrips.ng ?? '-').join('/')}`,
      );
    }
    if (problems.length)
      log(`NOT EQUIVALENT (timed anyway, flagged in the results):\n  ${problems.join('\n  ')}`);

    const results = [];
    for (const q of suite) {
      const list = prepared.get(q.name);
      if (!list) {
        results.push({
          name: q.name,
          question: q.question,
          selective: q.selective,
          failed: failed.get(q.name),
        });
        continue;
      }
      const ngFailed = list.find((p) => p.ngError)?.ngError ?? null;
      const runners: Runner[] =
        typeof q.ng === 'string' && !ngFailed ? ['ours', 'ng', 'floor'] : ['ours', 'floor'];
      const prof = await profile(store.driver, list[0]!.floor);
      // Warm-up, which also sizes N to the time budget (slow queries get fewer iterations, at least minN).
      const w0 = performance.now();
      for (let i = 0; i < warmup; i++)
        for (const r of runners) await timeOne(r, list[i % list.length]!, ours, ng, store.driver);
      const perIteration = (performance.now() - w0) / warmup;
      const n = Math.max(minN, Math.min(maxN, Math.floor(budgetMs / perIteration)));
      const ms: Record<Runner, number[]> = { ours: [], ng: [], floor: [] };
      for (let i = 0; i < n; i++) {
        const p = list[i % list.length]!;
        // Rotate the order so no runner always goes first (or always follows a warm cache).
        for (let k = 0; k < runners.length; k++) {
          const r = runners[(i + k) % runners.length]!;
          ms[r].push(await timeOne(r, p, ours, ng, store.driver));
        }
      }
      const s = { ours: stats(ms.ours), ng: ms.ng.length ? stats(ms.ng) : null, floor: stats(ms.floor) };
      const entry = {
        name: q.name,
        question: q.question,
        selective: q.selective,
        targets: list.map((p) => ({
          label: p.target.label,
          ids: p.ids,
          roundTrips: p.roundTrips,
          equivalent: p.equivalent,
        })),
        roundTripsOurs: Math.max(...list.map((p) => p.roundTrips.ours)),
        roundTripsNg: typeof q.ng === 'string' ? Math.max(...list.map((p) => p.roundTrips.ng ?? 0)) : null,
        ng:
          typeof q.ng !== 'string'
            ? `N/A: ${q.ng.na}`
            : ngFailed
              ? `FAILED: ${ngFailed}`
              : q.ngCypher
                ? '@cypher field'
                : 'generated',
        profile: prof,
        latencyMs: s,
        ratio: {
          oursOverNgP50: s.ng ? round(s.ours.p50 / s.ng.p50, 3) : null,
          oursOverNgP95: s.ng ? round(s.ours.p95 / s.ng.p95, 3) : null,
          oursOverFloorP50: round(s.ours.p50 / s.floor.p50, 3),
        },
        queries: { ours: q.ours, ng: q.ng },
      };
      results.push(entry);
      log(
        `${q.name}: N=${n} p50 ours ${s.ours.p50} / ng ${s.ng?.p50 ?? '-'} / floor ${s.floor.p50} ms; dbHits ${prof.dbHits}`,
      );
    }

    // HTTP: autocannon on a by-id query (ours) vs a bare Apollo hello-world, same connections and duration.
    let http = null;
    if (values.http && !values['no-http']) {
      hello = await startServer('hello-server.ts');
      const seconds = Number(values['http-seconds']);
      const id = (suite[0]!.targets[0]!.ours as { id: string }).id;
      const cannon = async (url: string, body: unknown) => {
        const r = await autocannon({
          url,
          connections: 8,
          duration: seconds,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return {
          reqPerSec: round(r.requests.average, 1),
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors + r.timeouts + r.non2xx,
        };
      };
      const oursHttp = await cannon(ours.url, { query: BY_ID, variables: { id } });
      await ours.recorded();
      await postGraphQL(ours.url, BY_ID, { id });
      const byIdStatements = (await ours.recorded()).statements;
      const ceiling = await driverCeiling(store.driver, byIdStatements, 8, seconds);
      const helloHttp = await cannon(hello.url, { query: '{ hello }' });
      const ngHttp = await cannon(ng.url, {
        query: 'query ($id: ID!) { events(where: { id: { eq: $id } }) { id name type } }',
        variables: { id },
      });
      http = {
        connections: 8,
        seconds,
        query: BY_ID,
        ours: oursHttp,
        bareApollo: helloHttp,
        neo4jGraphql: ngHttp,
        driverCeiling: { ...ceiling, statements: byIdStatements.length },
        ratio: round(oursHttp.reqPerSec / helloHttp.reqPerSec, 3),
        oursOverNg: round(oursHttp.reqPerSec / ngHttp.reqPerSec, 3),
        oursOverCeiling: round(oursHttp.reqPerSec / ceiling.reqPerSec, 3),
      };
      log(
        `HTTP: ours ${oursHttp.reqPerSec} req/s (p99 ${oursHttp.p99} ms), bare Apollo ${helloHttp.reqPerSec}, @neo4j/graphql ${ngHttp.reqPerSec}, driver ceiling ${ceiling.reqPerSec}`,
      );
    }
    const peakRss = { ours: ours.peakRssMiB(), ng: ng.peakRssMiB(), bareApollo: hello?.peakRssMiB() ?? null };

    const imports =
      values.import && !values['no-import'] && scale !== 'smoke' ? await importThroughput(log) : null;

    const loadAfter = os.loadavg().map((x) => round(x));
    const report = {
      date: new Date().toISOString(),
      scale,
      shape: store.shape,
      machine: {
        nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
        cpu: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryGiB: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        // java -version writes to stderr.
        java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0],
        neo4j: toNative(
          (
            await store.driver.executeQuery('CALL dbms.components() YIELD versions RETURN versions[0] AS v')
          ).records[0]!.get('v'),
        ),
        neo4jHeap: mem.heap,
        neo4jPagecache: mem.pagecache,
        loadAverage: { before: loadBefore, after: loadAfter },
      },
      graph: counts,
      load: store.load,
      method: {
        warmupIterations: warmup,
        budgetSecondsPerQuery: budgetMs / 1000,
        n: `between ${minN} and ${maxN} iterations per query per runner, fitted to the budget`,
        order: 'runners interleaved per iteration, rotating order; targets cycled',
        client: 'sequential fetch from the bench process; latency includes parsing the JSON body',
        floor:
          'the statements our server ran for the request, replayed with neo4j-driver (one read transaction each)',
        ourServer: 'NODE_ENV=development (extensions.roundTrips), anonymous caller',
      },
      queries: results,
      http,
      peakRssMiB: peakRss,
      imports,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
    const outDir = path.join(projectRoot, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(
      outDir,
      `${report.date.slice(0, 10)}-scale-${scale}${values.only ? `-only-${String(values.only).split(',').sort().join('+')}` : ''}.json`,
    );
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(table(report as unknown as Report));
    console.log(`Written to ${path.relative(projectRoot, file)}`);
    if (!values.only) {
      const chart = await writeCurveChart(report.date.slice(0, 10));
      if (chart) console.log(`Chart: ${path.relative(projectRoot, chart)}`);
    }
  } finally {
    await ours?.stop();
    await ng?.stop();
    await hello?.stop();
    await store.close();
  }
}

type Report = {
  scale: string;
  queries: {
    name: string;
    failed?: string;
    ng: string;
    roundTripsOurs: number;
    roundTripsNg: number | null;
    profile: { dbHits: number };
    latencyMs: Record<'ours' | 'floor', ReturnType<typeof stats>> & { ng: ReturnType<typeof stats> | null };
    ratio: { oursOverNgP50: number | null; oursOverFloorP50: number };
  }[];
};

export function table(r: Report): string {
  const rows = r.queries.map((q) => {
    if (q.failed) return `| ${q.name} | — | failed: ${q.failed.slice(0, 80)} | | | | | | |`;
    const l = q.latencyMs;
    const ngCell = l.ng
      ? `${l.ng.p50} / ${l.ng.p95} / ${l.ng.p99}`
      : q.ng.startsWith('N/A')
        ? 'N/A'
        : q.ng.startsWith('FAILED')
          ? 'failed'
          : '-';
    return `| ${q.name} | ${l.ours.n} | ${l.ours.p50} / ${l.ours.p95} / ${l.ours.p99} | ${ngCell}${q.ng === '@cypher field' ? ' (@cypher)' : ''} | ${l.floor.p50} / ${l.floor.p95} / ${l.floor.p99} | ${q.ratio.oursOverNgP50 ?? '—'} | ${q.ratio.oursOverFloorP50} | ${q.roundTripsOurs} / ${q.roundTripsNg ?? '—'} | ${q.profile.dbHits} |`;
  });
  return [
    `| query (${r.scale}) | N | ours p50 / p95 / p99 ms | @neo4j/graphql p50 / p95 / p99 | floor p50 / p95 / p99 | ours/ng p50 | ours/floor p50 | round trips ours / ng | dbHits |`,
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
