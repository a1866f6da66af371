/**
 * The bench's own embedded Neo4j per scale (.neo4j/bench-<scale>), migrated and loaded with the generated
 * bundles through the project's loader (loadBundle: validate whole, then one UNWIND-batched transaction
 * per bundle). A loaded store is reused; bench-load.json in it records how long the load took.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDriver } from '../src/graph/driver.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/graph/embedded.js';
import { Executor } from '../src/graph/executor.js';
import { migrate } from '../src/graph/migrate.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { loadBundle } from '../src/services/import.js';
import { generate, shapeOf, type Shape } from './generate.js';
import type { Driver } from 'neo4j-driver';

export interface LoadRecord {
  events: number;
  seed: number;
  chunks: number;
  ms: number;
  counts: {
    sources: number;
    entities: number;
    excerpts: number;
    claims: number;
    figures: number;
    relations: number;
  };
  claimsPerSec: number;
  /** Milliseconds per chunk, to see whether loading slows as the graph grows. */
  chunkMs: number[];
  generateAndValidateMs: number;
  loadedAt: string;
}

export interface BenchStore {
  neo4j: EmbeddedNeo4j;
  driver: Driver;
  executor: Executor;
  dataDir: string;
  shape: Shape;
  load: LoadRecord;
  close(): Promise<void>;
}

export async function openBenchStore(opts: {
  name: string;
  events: number;
  heap: string;
  pagecache: string;
  reload?: boolean;
  log?: (msg: string) => void;
}): Promise<BenchStore> {
  const log = opts.log ?? (() => {});
  const dataDir = path.join(projectRoot, '.neo4j', `bench-${opts.name}`);
  const marker = path.join(dataDir, 'bench-load.json');
  const shape = shapeOf(opts.events);
  const previous = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as LoadRecord) : null;
  const reuse = !opts.reload && previous && previous.events === shape.events && previous.seed === shape.seed;
  if (!reuse && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const neo4j = await startEmbeddedNeo4j({
    dataDir,
    heap: opts.heap,
    pagecache: opts.pagecache,
    txTimeoutSeconds: 600,
    startTimeoutMs: 600_000,
  });
  const logger = createLogger('warn', 'bench');
  const driver = createDriver({ uri: neo4j.uri, user: 'neo4j', password: undefined });
  const executor = new Executor(driver, { database: 'neo4j', txTimeoutMs: 600_000, logger });
  const close = async () => {
    await driver.close();
    await neo4j.stop(120_000);
  };
  try {
    await migrate(executor);
    let load: LoadRecord;
    if (reuse) {
      load = previous;
      log(
        `reusing ${path.relative(projectRoot, dataDir)} (${shape.events} events, loaded ${previous.loadedAt})`,
      );
    } else {
      load = await loadGenerated(executor, shape, log);
      writeFileSync(marker, `${JSON.stringify(load, null, 2)}\n`);
    }
    return { neo4j, driver, executor, dataDir, shape, load, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Generates every chunk, writes it as a bundle file and loads it with the project's loader. */
export async function loadGenerated(
  executor: Executor,
  shape: Shape,
  log: (msg: string) => void = () => {},
): Promise<LoadRecord> {
  const g = generate(shape);
  const dir = path.join(os.tmpdir(), `hrkg-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const counts = { sources: 0, entities: 0, excerpts: 0, claims: 0, figures: 0, relations: 0 };
  const chunkMs: number[] = [];
  let generateMs = 0;
  const started = performance.now();
  try {
    for (let c = 0; c < g.chunks; c++) {
      const t0 = performance.now();
      const file = path.join(dir, `chunk-${c}.json`);
      writeFileSync(file, JSON.stringify(g.bundle(c)));
      generateMs += performance.now() - t0;
      const t1 = performance.now();
      const report = await loadBundle(executor, file, { force: true });
      rmSync(file);
      chunkMs.push(Math.round(performance.now() - t1));
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += report.counts?.[k] ?? 0;
      if (c % 10 === 0 || c === g.chunks - 1) {
        const s = (performance.now() - started) / 1000;
        log(
          `  chunk ${c + 1}/${g.chunks}: ${counts.claims} claims in ${s.toFixed(0)} s (${Math.round(counts.claims / s)} claims/s)`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = Math.round(performance.now() - started);
  return {
    events: shape.events,
    seed: shape.seed,
    chunks: g.chunks,
    ms,
    counts,
    claimsPerSec: Math.round((counts.claims * 1000) / ms),
    chunkMs,
    generateAndValidateMs: Math.round(generateMs),
    loadedAt: new Date().toISOString(),
  };
}
