import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, shapeOf } from '../../bench/generate.js';
import { prepare, startServer, type Prepared, type ServerChild } from '../../bench/harness.js';
import { buildSuite, type BenchQuery } from '../../bench/queries.js';
import { loadGenerated } from '../../bench/store.js';
import { createDriver, type Driver } from '../../src/graph/driver.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { Executor } from '../../src/graph/executor.js';
import { migrate } from '../../src/graph/migrate.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';

/**
 * The scale benchmark's harness on a tiny graph (200 events): generator → the project's bundle loader →
 * our API, @neo4j/graphql and the Cypher floor return equivalent, non-empty answers for every query.
 * It runs on its own embedded Neo4j, so the generated conflicts, figures and names never reach the
 * shared test database's global searches and statistics. No timings are asserted.
 */
describe('scale benchmark harness (smoke)', () => {
  const shape = shapeOf(200);
  let neo4j: EmbeddedNeo4j;
  let driver: Driver;
  let ours: ServerChild;
  let ng: ServerChild;
  let suite: BenchQuery[];

  beforeAll(async () => {
    const dataDir = path.join(projectRoot, '.neo4j', 'bench-smoke');
    rmSync(dataDir, { recursive: true, force: true });
    neo4j = await startEmbeddedNeo4j({ dataDir, heap: '512m', pagecache: '128m' });
    driver = createDriver({ uri: neo4j.uri, user: 'neo4j', password: undefined });
    const executor = new Executor(driver, {
      database: 'neo4j',
      txTimeoutMs: 60_000,
      logger: createLogger('silent', 'bench-smoke'),
    });
    await migrate(executor);
    await loadGenerated(executor, shape);
    [ours, ng] = await Promise.all([
      startServer('api-server.ts', [neo4j.uri]),
      startServer('neo4j-graphql-server.ts', [neo4j.uri]),
    ]);
    suite = await buildSuite(driver, shape);
  });

  afterAll(async () => {
    await Promise.all([ours?.stop(), ng?.stop()]);
    await driver?.close();
    await neo4j?.stop();
  });

  it('generates the same valid bundles every time', () => {
    const a = JSON.stringify(generate(shape).bundle(0));
    const b = JSON.stringify(generate(shape).bundle(0));
    expect(a).toBe(b);
  });

  it('has at least ten investigator queries, each answered alike by the three runners', async () => {
    expect(suite.length).toBeGreaterThanOrEqual(10);
    for (const q of suite) {
      expect(q.targets.length, q.name).toBeGreaterThan(0);
      const prepared: Prepared[] = [];
      for (const t of q.targets) prepared.push(await prepare(ours, ng, driver, q, t));
      // Some targets of a tiny graph may have no rows (an actor without events); most must have some.
      expect(
        prepared.some((p) => p.ids.ours > 0),
        `${q.name}: every answer is empty`,
      ).toBe(true);
      for (const p of prepared) {
        expect(p.equivalent.floor, `${q.name} [${p.target.label}]: floor misses records`).toBe(true);
        expect(p.roundTrips.ours, q.name).toBeGreaterThanOrEqual(1);
        if (typeof q.ng === 'string') {
          expect(p.ngError, `${q.name} [${p.target.label}]`).toBeNull();
          expect(p.equivalent.ng, `${q.name} [${p.target.label}]: @neo4j/graphql differs`).toBe(true);
        }
      }
    }
    // Every query is planned cold on a fresh Neo4j, on three runners; the conflict statements alone take
    // about 5 s each to plan on a quiet machine (bench/README.md), far more beside other suites.
  }, 240_000);
});
