/**
 * Import throughput in claims per second, in a scratch store (.neo4j/bench-import, emptied between runs):
 *
 * - bulk: the project's loader (loadBundle: read, validate whole, one UNWIND-batched transaction per
 *   bundle) on generated bundles;
 * - naive: the same statements and rows, one row per transaction (what a loop over recordClaim-like
 *   writes costs), on a smaller bundle because it is slow;
 * - floor: plain UNWIND ... CREATE of the same rows (no MERGE, no validation, no audit), one transaction
 *   per bundle.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { createDriver } from '../src/graph/driver.js';
import { startEmbeddedNeo4j } from '../src/graph/embedded.js';
import { Executor } from '../src/graph/executor.js';
import { migrate } from '../src/graph/migrate.js';
import * as q from '../src/graph/queries/import.js';
import { dateProps, entityParams } from '../src/graph/stores/properties.js';
import { resolveBundle, type ResolvedBundle } from '../src/io/bundle/resolve.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { loadBundle } from '../src/services/import.js';
import { generate, shapeOf } from './generate.js';

const BULK_EVENTS = 6_000;
const NAIVE_EVENTS = 300;
const HEAP = '1g';
const PAGECACHE = '1g';

/** Rows as writeBundle passes them to its statements (src/graph/stores/import.ts). */
function rowsOf(b: ResolvedBundle) {
  const recordedAt = b.recordedAt;
  const figures = b.figures.map(({ periodStart, periodEnd, asOf, ...f }) => ({
    ...f,
    periodStartJson: periodStart ? JSON.stringify(periodStart) : null,
    periodEndJson: periodEnd ? JSON.stringify(periodEnd) : null,
    asOfJson: asOf ? JSON.stringify(asOf) : null,
    periodEarliest: periodStart?.earliest ?? null,
    periodLatest: periodEnd?.latest ?? periodStart?.latest ?? null,
  }));
  return {
    entities: b.entities.map((e) => ({ ...entityParams(e), recordedAt })) as Record<string, unknown>[],
    sources: b.sources.map((s) => ({
      ...s,
      publisherId: s.publisherId,
      recordedAt,
      ...dateProps('published', s.published),
    })) as Record<string, unknown>[],
    excerpts: b.excerpts as unknown as Record<string, unknown>[],
    claims: b.claims as unknown as Record<string, unknown>[],
    figures: figures as Record<string, unknown>[],
    relations: b.relations as unknown as Record<string, unknown>[],
  };
}

const RAW = {
  entities: `UNWIND $rows AS r CREATE (n:Entity {id: r.id}) SET n.kind = r.kind, n.type = r.type, n.name = r.name,
    n.names = r.names, n.aliasesJson = r.aliasesJson, n.identifierKeys = r.identifierKeys,
    n.dateEarliest = date(r.dateEarliest), n.dateLatest = date(r.dateLatest)
    FOREACH (_ IN CASE WHEN r.kind = 'Event' THEN [1] ELSE [] END | SET n:Event)
    FOREACH (_ IN CASE WHEN r.kind = 'Actor' THEN [1] ELSE [] END | SET n:Actor)
    FOREACH (_ IN CASE WHEN r.kind = 'Place' THEN [1] ELSE [] END | SET n:Place)`,
  sources: `UNWIND $rows AS r CREATE (s:Source {id: r.id, title: r.title, text: r.text, sha256: r.sha256, language: r.language})`,
  excerpts: `UNWIND $rows AS r MATCH (s:Source {id: r.sourceId})
    CREATE (e:Excerpt {id: r.id, exact: r.exact, start: r.start, end: r.end})-[:IN_SOURCE]->(s)`,
  claims: `UNWIND $rows AS r MATCH (subject:Entity {id: r.subjectId})
    CREATE (c:Claim {id: r.id, kind: r.kind, summary: r.summary, status: r.status, subjectId: r.subjectId})-[:ABOUT]->(subject)
    WITH c, r UNWIND r.excerptIds AS x MATCH (e:Excerpt {id: x}) CREATE (c)-[:SUPPORTED_BY]->(e)`,
  figures: `UNWIND $rows AS r MATCH (subject:Entity {id: r.subjectId}) MATCH (c:Claim {id: r.claimId})
    CREATE (f:Figure {id: r.id, measure: r.measure, value: r.value})-[:FIGURE_OF]->(subject) CREATE (c)-[:OBJECT]->(f)`,
} as const;

async function wipe(driver: Driver) {
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
  } finally {
    await session.close();
  }
}

export async function importThroughput(
  log: (msg: string) => void,
  sizes: { bulkEvents: number; naiveEvents: number; dir?: string } = {
    bulkEvents: BULK_EVENTS,
    naiveEvents: NAIVE_EVENTS,
  },
) {
  const dataDir = path.join(projectRoot, '.neo4j', sizes.dir ?? 'bench-import');
  rmSync(dataDir, { recursive: true, force: true });
  const neo4j = await startEmbeddedNeo4j({
    dataDir,
    heap: HEAP,
    pagecache: PAGECACHE,
    txTimeoutSeconds: 600,
  });
  const driver = createDriver({ uri: neo4j.uri, user: 'neo4j', password: undefined });
  const executor = new Executor(driver, {
    database: 'neo4j',
    txTimeoutMs: 600_000,
    logger: createLogger('warn', 'bench-import'),
  });
  const tmp = path.join(os.tmpdir(), `hrkg-bench-import-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await migrate(executor);
    const bulkGen = generate(shapeOf(sizes.bulkEvents));
    const naiveGen = generate({ ...shapeOf(sizes.naiveEvents), chunk: sizes.naiveEvents });

    // Naive: the loader's own statements, one row per transaction.
    const naiveBundle = await resolveBundle(naiveGen.bundle(0), () => Promise.reject(new Error('inline')));
    const rows = rowsOf(naiveBundle);
    const one = async (stmt: { name: string; cypher: string }, list: Record<string, unknown>[]) => {
      for (const row of list) await executor.write(stmt as never, { rows: [row] });
    };
    let t = performance.now();
    await one(q.upsertEntities, rows.entities);
    await one(q.upsertSources, rows.sources);
    await one(q.upsertExcerpts, rows.excerpts);
    await one(q.upsertClaims, rows.claims);
    await one(q.upsertFigures, rows.figures);
    for (const r of rows.relations)
      await executor.write(q.upsertRelations[r.type as 'PART_OF'], { rows: [r] });
    const naiveMs = performance.now() - t;
    const naive = {
      claims: rows.claims.length,
      transactions: Object.values(rows).reduce((a, l) => a + l.length, 0),
      seconds: Number((naiveMs / 1000).toFixed(1)),
      claimsPerSec: Math.round((rows.claims.length * 1000) / naiveMs),
    };
    log(`import naive: ${naive.claims} claims in ${naive.seconds} s (${naive.claimsPerSec}/s)`);
    await wipe(driver);

    // Bulk: the project's loader on bundle files.
    let claims = 0;
    t = performance.now();
    for (let c = 0; c < bulkGen.chunks; c++) {
      const file = path.join(tmp, `bulk-${c}.json`);
      writeFileSync(file, JSON.stringify(bulkGen.bundle(c)));
      claims += (await loadBundle(executor, file, { force: true })).counts?.claims ?? 0;
    }
    const bulkMs = performance.now() - t;
    const bulk = {
      claims,
      bundles: bulkGen.chunks,
      seconds: Number((bulkMs / 1000).toFixed(1)),
      claimsPerSec: Math.round((claims * 1000) / bulkMs),
      includes: 'generating and writing the bundle file, reading, validating, writing, audit',
    };
    log(`import bulk: ${bulk.claims} claims in ${bulk.seconds} s (${bulk.claimsPerSec}/s)`);
    await wipe(driver);

    // Floor: plain UNWIND CREATE of the same rows, bundle by bundle (resolving not timed).
    const resolved: ReturnType<typeof rowsOf>[] = [];
    for (let c = 0; c < bulkGen.chunks; c++)
      resolved.push(
        rowsOf(await resolveBundle(bulkGen.bundle(c), () => Promise.reject(new Error('inline')))),
      );
    claims = 0;
    t = performance.now();
    for (const r of resolved) {
      const session = driver.session();
      try {
        await session.executeWrite(async (tx) => {
          // Entities repeat across bundles (places, hub actors): only the new ones are created.
          const fresh = await tx.run(
            'UNWIND $ids AS id OPTIONAL MATCH (n:Entity {id: id}) WITH id, n WHERE n IS NULL RETURN collect(id) AS ids',
            {
              ids: r.entities.map((e) => e.id),
            },
          );
          const ids = new Set(fresh.records[0]!.get('ids') as string[]);
          await tx.run(RAW.entities, { rows: r.entities.filter((e) => ids.has(e.id as string)) });
          await tx.run(RAW.sources, { rows: r.sources });
          await tx.run(RAW.excerpts, { rows: r.excerpts });
          await tx.run(RAW.claims, { rows: r.claims });
          await tx.run(RAW.figures, { rows: r.figures });
          for (const type of new Set(r.relations.map((x) => x.type as string))) {
            await tx.run(
              `UNWIND $rows AS r MATCH (a:Entity {id: r.fromId}), (b:Entity {id: r.toId})
               CREATE (a)-[:${type} {id: r.id, role: r.role, claimIds: r.claimIds}]->(b)`,
              { rows: r.relations.filter((x) => x.type === type) },
            );
          }
        });
      } finally {
        await session.close();
      }
      claims += r.claims.length;
    }
    const floorMs = performance.now() - t;
    const floor = {
      claims,
      seconds: Number((floorMs / 1000).toFixed(1)),
      claimsPerSec: Math.round((claims * 1000) / floorMs),
      note: 'UNWIND + CREATE (MATCH by id for ends), no MERGE, validation or audit; resolving the bundles not timed',
    };
    log(`import floor: ${floor.claims} claims in ${floor.seconds} s (${floor.claimsPerSec}/s)`);
    return {
      neo4j: { heap: HEAP, pagecache: PAGECACHE },
      naive,
      bulk,
      floor,
      bulkOverNaive: Number((bulk.claimsPerSec / naive.claimsPerSec).toFixed(1)),
      bulkOverFloor: Number((bulk.claimsPerSec / floor.claimsPerSec).toFixed(3)),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await driver.close();
    await neo4j.stop();
  }
}
