import { migration as m0001 } from './0001-migration-ledger.js';
import type { Migration } from './types.js';

export type { Migration };

/** All migrations, in the order they apply. Append only. */
export const migrations: readonly Migration[] = [m0001];
