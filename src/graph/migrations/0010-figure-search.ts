import { FIGURE_SEARCH_TERMS } from '../queries/fragments.js';
import type { Migration } from './types.js';

/**
 * Figures become findable by search: a full-text index over the source's words of the number (text),
 * the subgroup's words and searchTerms (the number as digits, "105000", and the category's words), which
 * the figure writers set (graph/queries/import.ts UPSERT_FIGURES_BODY) and this fills for figures stored
 * before. English analysis, as excerpts: "women" finds "woman". Safe to run again.
 */
export const migration: Migration = {
  id: '0010-figure-search',
  description: 'Full-text index over figures (words and numbers); searchTerms of stored figures',
  statements: [
    `CREATE FULLTEXT INDEX figure_text IF NOT EXISTS FOR (n:Figure) ON EACH [n.text, n.subgroup, n.searchTerms]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'english', \`fulltext.eventually_consistent\`: false}}`,
    `MATCH (f:Figure) WHERE f.searchTerms IS NULL
     CALL (f) { SET f.searchTerms = ${FIGURE_SEARCH_TERMS('f')} } IN TRANSACTIONS OF 10000 ROWS`,
  ],
};
