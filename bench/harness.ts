/**
 * The pieces of the scale benchmark that the smoke test shares: server child processes, the three
 * runners (our API, @neo4j/graphql, the Cypher floor), the equivalence check and PROFILE dbHits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { toNative } from '../src/graph/values.js';
import { projectRoot } from '../src/paths.js';
import { idsOf, recordIdsIn, type BenchQuery, type Target, type Vars } from './queries.js';
import { reviveParams, type Recorded } from './recording-driver.js';

export interface ServerChild {
  url: string;
  pid: number;
  process: ChildProcess;
  /** Peak resident memory so far (VmHWM), MiB; null where /proc is not available. */
  peakRssMiB(): number | null;
  /** Statements the server ran since the last call. */
  recorded(): Promise<{ count: number; statements: Recorded[] }>;
  stop(): Promise<void>;
}

/** Starts a bench server script (bench/<script>.ts) under node + tsx, one process, waiting for READY. */
export async function startServer(script: string, args: string[] = []): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'bench', script), ...args],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'development' } },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${stderr}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `${url}/graphql`,
    pid: child.pid!,
    process: child,
    peakRssMiB() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Math.round(Number(m[1]) / 1024) : null;
      } catch {
        return null;
      }
    },
    async recorded() {
      const res = await fetch(`${url}/__bench/recorded`);
      const body = (await res.json()) as { count: number; statements: Recorded[] };
      return {
        count: body.count,
        statements: body.statements.map((s) => ({
          ...s,
          params: reviveParams(s.params) as Recorded['params'],
        })),
      };
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
  extensions?: { roundTrips?: number };
}

export async function postGraphQL(url: string, query: string, variables: Vars): Promise<GraphQLBody> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // Parsed inside the timing: a client has not got the answer until it has parsed it.
  const body = (await res.json()) as GraphQLBody;
  if (res.status !== 200 || body.errors?.length)
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
  return body;
}

/** The floor: the statements our server ran for the request, replayed through the driver, one read transaction each. */
export async function runFloor(driver: Driver, statements: Recorded[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const s of statements) {
    const session = driver.session({ defaultAccessMode: s.mode === 'READ' ? 'READ' : 'WRITE' });
    try {
      const res = await session.executeRead((tx) => tx.run(s.cypher, s.params));
      out.push(res.records.map((r) => toNative(r.toObject())));
    } finally {
      await session.close();
    }
  }
  return out;
}

/**
 * The ceiling for HTTP throughput: the statements our server ran for one request, replayed by neo4j-driver
 * from this process in `connections` concurrent loops for `seconds` (what the API would reach if HTTP,
 * GraphQL and mapping cost nothing).
 */
export async function driverCeiling(
  driver: Driver,
  statements: Recorded[],
  connections: number,
  seconds: number,
): Promise<{ reqPerSec: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await runFloor(driver, statements);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    reqPerSec: Math.round((latencies.length / elapsed) * 10) / 10,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

interface PlanNode {
  operatorType: string;
  dbHits: number;
  rows: number;
  children: PlanNode[];
}

/** PROFILE of our statements for a request: total dbHits and the three costliest operators. */
export async function profile(
  driver: Driver,
  statements: Recorded[],
): Promise<{ dbHits: number; rows: number; top: { operator: string; dbHits: number }[] }> {
  let dbHits = 0;
  let rows = 0;
  const ops: { operator: string; dbHits: number }[] = [];
  const walk = (p: PlanNode) => {
    dbHits += Number(p.dbHits);
    ops.push({ operator: p.operatorType, dbHits: Number(p.dbHits) });
    p.children.forEach(walk);
  };
  for (const s of statements) {
    const session = driver.session({ defaultAccessMode: 'READ' });
    try {
      const res = await session.executeRead((tx) => tx.run(`PROFILE ${s.cypher}`, s.params));
      rows += res.records.length;
      if (res.summary.profile) walk(res.summary.profile as unknown as PlanNode);
    } finally {
      await session.close();
    }
  }
  ops.sort((a, b) => b.dbHits - a.dbHits);
  return { dbHits, rows, top: ops.slice(0, 3) };
}

export interface Prepared {
  query: BenchQuery;
  target: Target;
  ngVars: Vars;
  floor: Recorded[];
  roundTrips: { ours: number; ng: number | null; floor: number };
  ids: { ours: number; ng: number | null; floor: number };
  /** Why @neo4j/graphql failed on this target, when it did. */
  ngError: string | null;
  /** Whether the three answers name the same records (floor: a superset, it returns every nested field). */
  equivalent: { ng: boolean | null; floor: boolean };
}

/**
 * Runs one target through all three once, records our statements for the floor, counts round trips,
 * and compares the answers by the ids they contain.
 */
export async function prepare(
  ours: ServerChild,
  ng: ServerChild,
  driver: Driver,
  query: BenchQuery,
  target: Target,
): Promise<Prepared> {
  await ours.recorded();
  const a = await postGraphQL(ours.url, query.ours, target.ours);
  const floor = (await ours.recorded()).statements;
  const oursIds = idsOf(a.data);
  const floorIds = recordIdsIn(await runFloor(driver, floor));
  const ngVars = target.ng ?? target.ours;
  let ngIds: Set<string> | null = null;
  let ngTrips: number | null = null;
  let ngError: string | null = null;
  if (typeof query.ng === 'string') {
    const before = (await ng.recorded()).count;
    try {
      const b = await postGraphQL(ng.url, query.ng, ngVars);
      ngIds = idsOf(b.data);
    } catch (err) {
      // A failure of @neo4j/graphql (e.g. its transaction memory limit) is a result, not a harness bug.
      ngError = String((err as Error).message).slice(0, 300);
    }
    ngTrips = (await ng.recorded()).count - before;
  }
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return {
    query,
    target,
    ngVars,
    floor,
    roundTrips: { ours: a.extensions?.roundTrips ?? NaN, ng: ngTrips, floor: floor.length },
    ngError,
    ids: { ours: oursIds.size, ng: ngIds?.size ?? null, floor: floorIds.size },
    equivalent: {
      ng: ngIds ? same(oursIds, ngIds) : ngError ? false : null,
      floor: [...oursIds].every((v) => floorIds.has(v)),
    },
  };
}

export function describeMismatch(p: Prepared): string {
  return `${p.query.name} [${p.target.label}]: ours ${p.ids.ours} ids, @neo4j/graphql ${p.ngError ?? p.ids.ng}, floor ${p.ids.floor}`;
}
