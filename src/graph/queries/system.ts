import { statement } from '../executor.js';

/** The server's own state: what the health and serverInfo fields read from the database. */

/** The ids of the migrations applied to the database, in order. */
export const listMigrations = statement<Record<string, never>>(
  'system.listMigrations',
  'MATCH (m:Migration) RETURN m.id AS id ORDER BY m.id',
);
