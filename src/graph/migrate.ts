import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import { AppError, ErrorCode } from '../errors.js';
import { statement, type Executor } from './executor.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

const listApplied = statement(
  'migrations.listApplied',
  'MATCH (m:Migration) RETURN m.id AS id, m.checksum AS checksum ORDER BY m.id',
);
const recordApplied = statement(
  'migrations.recordApplied',
  `MERGE (m:Migration {id: $id})
   ON CREATE SET m.appliedAt = datetime(), m.checksum = $checksum, m.description = $description`,
);

export function checksum(m: Migration): string {
  return createHash('sha256').update(m.statements.join('\n;\n')).digest('hex');
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies the migrations not yet recorded in the graph, in order, recording each as a (:Migration) node.
 * A recorded migration whose statements have since changed is an error: released migrations are
 * append-only, and a silent difference would leave databases with different schemas.
 */
export async function migrate(
  executor: Executor,
  logger?: Logger,
  migrations: readonly Migration[] = allMigrations,
): Promise<MigrationReport> {
  const applied = new Map(
    (await executor.read(listApplied)).map((r) => [String(r.id), String(r.checksum)] as const),
  );
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    const sum = checksum(m);
    const recorded = applied.get(m.id);
    if (recorded !== undefined) {
      if (recorded !== sum) {
        throw new AppError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          `Migration ${m.id} was changed after it was applied (checksum ${recorded.slice(0, 12)} in the graph, ${sum.slice(0, 12)} in the code); add a new migration instead`,
        );
      }
      report.alreadyApplied.push(m.id);
      continue;
    }
    for (const [i, cypher] of m.statements.entries()) {
      await executor.schema(statement(`migration.${m.id}.${i + 1}`, cypher));
    }
    await executor.write(recordApplied, { id: m.id, checksum: sum, description: m.description });
    report.applied.push(m.id);
    logger?.info({ migration: m.id }, `applied migration ${m.id}: ${m.description}`);
  }
  // Indexes build in the background; wait so that the first full-text query sees them.
  if (report.applied.length > 0)
    await executor.schema(statement('migrations.awaitIndexes', 'CALL db.awaitIndexes(300)'));
  return report;
}
