import { RELATION_TYPES } from '../../model/graph-model.js';
import type { Migration } from './types.js';

export const migration: Migration = {
  id: '0003-arabic-text-index',
  description: 'Arabic full-text index over excerpts and titles; indexes on relationship ids',
  statements: [
    // 0002 declared text_ar over the same labels and properties as text_en, which Neo4j treats as the
    // same index and skipped. Listing them in another order makes it a distinct index.
    `CREATE FULLTEXT INDEX text_ar IF NOT EXISTS FOR (n:Source|Excerpt) ON EACH [n.title, n.exact]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'arabic'}}`,
    ...RELATION_TYPES.map(
      (t) => `CREATE INDEX rel_${t.toLowerCase()}_id IF NOT EXISTS FOR ()-[r:${t}]-() ON (r.id)`,
    ),
  ],
};
