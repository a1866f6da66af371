import type { Executor, Statement } from '../executor.js';
import { statement } from '../executor.js';
import * as provenance from '../queries/provenance.js';
import { conflictsOfClaims } from '../queries/records.js';

/**
 * The statements that apply the conflict rule (DISAGREES) inline it several times and take seconds for
 * Neo4j to plan cold (about 5 s each on a quiet machine: bench/README.md). Planning them once at start-up,
 * with EXPLAIN (which fills Neo4j's plan cache and reads no data), keeps the first investigator who asks
 * for conflicts or statistics from waiting for the planner, and keeps a burst of such first requests from
 * planning the same statement side by side. Neo4j keys its plan cache by the parameters' types as well,
 * so the variants requests use (a filter given or null) are planned each.
 */

const CONFLICTS = { subjectId: null, origin: null, after: null, limit: 20, withTotal: true, details: true };
const STATISTICS = {
  measures: null,
  subjectIds: null,
  sourceIds: null,
  subgroup: null,
  sexes: null,
  ageGroups: null,
  categories: null,
  details: true,
};

const PLANS: [Statement, Record<string, unknown>][] = [
  [provenance.conflictsPage, { ...CONFLICTS, withTotal: false }],
  [provenance.conflicts, CONFLICTS],
  [provenance.conflicts, { ...CONFLICTS, origin: 'INTERNAL' }],
  [provenance.conflicts, { ...CONFLICTS, after: ['', ''] }],
  [provenance.conflictsAbout, { ...CONFLICTS, subjectId: '' }],
  [provenance.conflictsAbout, { ...CONFLICTS, subjectId: '', origin: 'INTERNAL' }],
  [provenance.statistics, STATISTICS],
  [provenance.statistics, { ...STATISTICS, measures: [''], subgroup: '' }],
  [provenance.statisticsAbout, { ...STATISTICS, subjectIds: [''] }],
  [provenance.statisticsFromSources, { ...STATISTICS, sourceIds: [''] }],
  [conflictsOfClaims, { ids: [''] }],
];

/** Plans the slow-to-plan statements, one after the other; returns how long it took (failures are skipped). */
export async function warmPlans(executor: Executor): Promise<{ ms: number; planned: number }> {
  const started = performance.now();
  let planned = 0;
  for (const [stmt, params] of PLANS) {
    try {
      await executor.read(statement(`warm-up.${stmt.name}`, `EXPLAIN ${stmt.cypher}`), params);
      planned += 1;
    } catch {
      // A plan that could not be made now is made on first use, as without the warm-up.
    }
  }
  return { ms: Math.round(performance.now() - started), planned };
}
