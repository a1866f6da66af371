import type { Executor } from '../executor.js';
import * as q from '../queries/system.js';

/** The ids of the migrations applied to the database, in order. */
export async function appliedMigrations(executor: Executor): Promise<string[]> {
  return (await executor.read(q.listMigrations)).map((r) => String(r.id));
}
