/**
 * Cold planning time of the statements that inline the conflict rule (DISAGREES), on the sample graph in a
 * store of its own (.neo4j/perf, removed first): each statement run three times, the first planning it.
 * `npx tsx bench/plan-times.ts`; results in bench/README.md ("Planning the conflict statements").
 */
import { rmSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrate.js';
import { createLogger } from '../src/logger.js';
import { loadBundle, SAMPLE_BUNDLE } from '../src/services/import.js';
import * as q from '../src/graph/queries/provenance.js';
import { conflictsOfClaims } from '../src/graph/queries/records.js';

rmSync('.neo4j/perf', { recursive: true, force: true });
const config = loadConfig({ NODE_ENV: 'development', NEO4J_DATA_DIR: '.neo4j/perf', LOG_LEVEL: 'silent' });
const db = await openDatabase(config, createLogger('silent'));
await migrate(db.executor);
await loadBundle(db.executor, SAMPLE_BUNDLE);
const time = async (name: string, f: () => Promise<unknown>) => {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await f();
    console.log(name, i, Math.round(performance.now() - t), 'ms');
  }
};
const base = { subjectId: null, origin: null, after: null, limit: 20, withTotal: true, details: true };
await time('statistics', () =>
  db.executor.read(q.statistics, {
    measures: null,
    subjectIds: null,
    sourceIds: null,
    subgroup: null,
    sexes: null,
    ageGroups: null,
    categories: null,
    details: true,
  }),
);
await time('conflicts', () => db.executor.read(q.conflicts, base));
await time('conflicts INTERNAL', () => db.executor.read(q.conflicts, { ...base, origin: 'INTERNAL' }));
await time('conflictsPage', () => db.executor.read(q.conflictsPage, { ...base, withTotal: false }));
await time('conflictsOfClaims', () => db.executor.read(conflictsOfClaims, { ids: ['cl-f4-released-1168'] }));
await db.close();
process.exit(0);
