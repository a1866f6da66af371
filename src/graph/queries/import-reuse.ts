import { statement } from '../executor.js';
import { VISIBLE, VISIBLE_CLAIM_IDS } from './fragments.js';
import { ENTITIES_BY_IDENTIFIER_KEY } from './identity.js';

/**
 * What an import looks up before it is written, to reuse stored records instead of making duplicates
 * (services/import-reuse.ts decides). Each statement takes the whole file's entities at once: a fixed
 * number of round trips per import, however many entities it has.
 */

/**
 * Which of $ids are stored already, as an entity or a merged one, whoever may see them: an import that
 * writes its own id again is a re-import (left to the loader), not a record to look up.
 */
export const storedIds = statement<{ ids: string[] }>(
  'importReuse.storedIds',
  `UNWIND $ids AS id
   CALL (id) {
     MATCH (n:Entity {id: id}) RETURN n.id AS found
     UNION
     MATCH (m:Merged {id: id}) RETURN m.id AS found
   }
   RETURN DISTINCT found AS id`,
);

/**
 * Visible entities holding any of $keys (canonical "scheme:value" keys, as stored), with the keys they
 * hold and when they were recorded: one index seek per key (ENTITIES_BY_IDENTIFIER_KEY, as
 * identity.entityByIdentifier), for the whole file.
 */
export const byIdentifier = statement<{ keys: string[] }>(
  'importReuse.byIdentifier',
  `UNWIND $keys AS key
   ${ENTITIES_BY_IDENTIFIER_KEY('key', 'n')} AND ${VISIBLE('n')}
   WITH DISTINCT n
   RETURN n.id AS id, n.kind AS kind, n.type AS type, [k IN n.identifierKeys WHERE k IN $keys] AS hits,
          toString(n.createdAt) AS createdAt`,
);

/**
 * For each row {ref, kind, query}: the visible entities of that kind the full-text index entity_names
 * finds for the query (a phrase: the name's words in order), at most $limit hits asked for, with their
 * names, type, the places they are part of, and when they were recorded. The caller keeps those whose
 * name is the same up to typography; the phrase only narrows the search to them.
 */
export const byName = statement<{
  rows: { ref: string; kind: string; query: string }[];
  limit: number;
}>(
  'importReuse.byName',
  `UNWIND $rows AS r
   CALL (r) {
     CALL db.index.fulltext.queryNodes('entity_names', r.query, {limit: toInteger($limit)}) YIELD node
     WITH node WHERE node:Entity AND node.kind = r.kind AND ${VISIBLE('node')}
     RETURN collect(node {.id, .type, names: coalesce(node.names, [node.name]),
       createdAt: toString(node.createdAt),
       parents: COLLECT {
         MATCH (node)-[p:PART_OF]->(parent:Place)
         WHERE ${VISIBLE('parent')} AND size(${VISIBLE_CLAIM_IDS('p')}) > 0
         RETURN DISTINCT parent.id
       }}) AS found
   }
   RETURN r.ref AS ref, found`,
);
