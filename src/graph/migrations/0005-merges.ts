import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0005-merges',
  description: 'Unique merge ids; merged entities looked up by id',
  statements: [
    'CREATE CONSTRAINT merge_id_unique IF NOT EXISTS FOR (m:Merge) REQUIRE m.id IS UNIQUE',
    'CREATE INDEX merged_id IF NOT EXISTS FOR (m:Merged) ON (m.id)',
  ],
};
