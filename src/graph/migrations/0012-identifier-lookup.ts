import type { Migration } from './types.js';

/**
 * Lookups by external identifier become index seeks (identity.entityByIdentifier, importReuse.byIdentifier):
 * a full-text index over Entity.identifierKeys with the keyword analyzer holds each stored key as one exact,
 * case-sensitive term, so a key is found by a term lookup whatever the size of the graph (the range index
 * on the list could only be scanned). The index is Neo4j's own, kept in each writing transaction, so every
 * write path that sets identifierKeys (writes, names, imports, merges and their undo, restores) keeps it.
 *
 * Lookups compare keys as stored, so this first makes the keys stored before the rule of
 * src/model/identifiers.ts canonical (`iso3166:sy` -> `iso3166:SY`; ISO 3166 and Wikidata values upper
 * case, trimmed), on entities and on merged ones (an undo restores their keys), dropping a key twice held.
 * The caseless schemes are written out: a released migration never changes with the code. The range index
 * entity_identifiers, which nothing reads any more, is dropped. Safe to run again.
 */
const CANONICAL = `CASE WHEN split(k, ':')[0] IN ['iso3166', 'wikidata']
    THEN split(k, ':')[0] + ':' + toUpper(trim(substring(k, size(split(k, ':')[0]) + 1))) ELSE k END`;

const canonicalise = (label: 'Entity' | 'Merged') =>
  `MATCH (n:${label}) WHERE n.identifierKeys IS NOT NULL
   CALL (n) {
     WITH n, reduce(acc = [], k IN n.identifierKeys | CASE WHEN ${CANONICAL} IN acc THEN acc ELSE acc + ${CANONICAL} END) AS keys
     WITH n, keys WHERE keys <> n.identifierKeys
     SET n.identifierKeys = keys
   } IN TRANSACTIONS OF 10000 ROWS`;

export const migration: Migration = {
  id: '0012-identifier-lookup',
  description: 'Identifier keys canonical; keyword full-text index entity_identifier_keys for lookups',
  statements: [
    canonicalise('Entity'),
    canonicalise('Merged'),
    `CREATE FULLTEXT INDEX entity_identifier_keys IF NOT EXISTS FOR (n:Entity) ON EACH [n.identifierKeys]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'keyword', \`fulltext.eventually_consistent\`: false}}`,
    'DROP INDEX entity_identifiers IF EXISTS',
  ],
};
