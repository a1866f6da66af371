import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0001-migration-ledger',
  description: 'Unique ids for the migration ledger itself',
  statements: ['CREATE CONSTRAINT migration_id IF NOT EXISTS FOR (m:Migration) REQUIRE m.id IS UNIQUE'],
};
