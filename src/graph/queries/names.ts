import { statement } from '../executor.js';
import { VISIBLE, VISIBLE_CLAIM } from './fragments.js';

/**
 * Aliases and identifiers with evidence (addAlias, addIdentifier and their retractions): each is a
 * (:Claim)-[:GIVES_NAME]->(:Entity) record, never deleted; the entity's aliases/identifiers lists (search,
 * exports) hold the current names. See NameEvidenceRow in src/model/rows.ts.
 */

/** A claim the caller may see, with what a name's evidence needs of it (no row: missing or hidden). */
export const citedClaim = statement<{ id: string }>(
  'names.citedClaim',
  `MATCH (c:Claim {id: $id}) WHERE ${VISIBLE_CLAIM('c')}
   RETURN c.status AS status, c.subjectId AS subjectId, coalesce(c.sensitivity, 'public') AS sensitivity`,
);

/** Records of this name (kind, value, lang or scheme) on the entity: by which claims, retracted or not. */
export const namesOf = statement<{ entityId: string; kind: string; value: string; qualifier: string | null }>(
  'names.namesOf',
  `MATCH (c:Claim)-[g:GIVES_NAME]->(:Entity {id: $entityId})
   WHERE g.kind = $kind AND g.value = $value AND coalesce(g.lang, g.scheme) = $qualifier
   RETURN g.id AS id, c.id AS claimId, g.retractedAt IS NOT NULL AS retracted
   ORDER BY g.id`,
);

/** The names an entity has on evidence now (records not retracted), whoever may see their claims. */
export const currentNames = statement<{ entityId: string }>(
  'names.currentNames',
  `MATCH (:Claim)-[g:GIVES_NAME]->(:Entity {id: $entityId})
   WHERE g.retractedAt IS NULL
   RETURN DISTINCT g.kind AS kind, g.value AS value, coalesce(g.lang, g.scheme) AS qualifier
   ORDER BY kind, value, qualifier`,
);

export const insertNameEvidence = statement(
  'names.insertNameEvidence',
  `MATCH (c:Claim {id: $r.claimId}), (n:Entity {id: $r.entityId})
   CREATE (c)-[g:GIVES_NAME]->(n)
   SET g.id = $r.id, g.kind = $r.kind, g.value = $r.value, g.lang = $r.lang, g.scheme = $r.scheme,
       g.reason = $r.reason, g.addedBy = $r.addedBy, g.addedAt = datetime($r.addedAt)
   RETURN g.id AS id`,
);

/** Marks the records retracted (they stay, with who, when and why). */
export const retractNameEvidence = statement<{
  entityId: string;
  ids: string[];
  by: string;
  at: string;
  reason: string;
}>(
  'names.retractNameEvidence',
  `MATCH (:Claim)-[g:GIVES_NAME]->(:Entity {id: $entityId})
   WHERE g.id IN $ids
   SET g.retractedBy = $by, g.retractedAt = datetime($at), g.retractReason = $reason
   RETURN count(g) AS retracted`,
);

/**
 * Each entity's name records whose claim the caller may see (VISIBLE_CLAIM), current before retracted,
 * then by kind, value and id; a record whose claim is hidden is left out, as the claim is.
 */
export const nameEvidenceOfEntities = statement<{ ids: string[] }>(
  'names.nameEvidenceOfEntities',
  `UNWIND $ids AS id
   MATCH (n:Entity {id: id}) WHERE ${VISIBLE('n')}
   RETURN id, COLLECT {
     MATCH (c:Claim)-[g:GIVES_NAME]->(n) WHERE ${VISIBLE_CLAIM('c')}
     RETURN g {.id, .kind, .value, .lang, .scheme, .reason, .addedBy, .retractedBy, .retractReason,
               addedAt: toString(g.addedAt), retractedAt: toString(g.retractedAt), claimId: c.id}
     ORDER BY g.retractedAt IS NOT NULL, g.kind, g.value, g.id
   } AS names`,
);

/**
 * A bundle's name records (RecordSet.names): each made once; a claim already giving the name (a record
 * not retracted) is left as it is, so loading a bundle again, or the export of a store, adds nothing. A
 * record once retracted (retractAlias) is never made again by a load: its id is the same every time.
 */
export const upsertNames = statement(
  'names.upsertNames',
  `UNWIND $rows AS r
   MATCH (c:Claim {id: r.claimId}), (n:Entity {id: r.entityId})
   WHERE NOT EXISTS {
     MATCH (c)-[g:GIVES_NAME]->(n)
     WHERE g.id = r.id
        OR (g.kind = r.kind AND g.value = r.value AND coalesce(g.lang, g.scheme) = coalesce(r.lang, r.scheme)
            AND g.retractedAt IS NULL)
   }
   CREATE (c)-[g:GIVES_NAME]->(n)
   SET g.id = r.id, g.kind = r.kind, g.value = r.value, g.lang = r.lang, g.scheme = r.scheme,
       g.reason = r.reason, g.addedBy = r.addedBy, g.addedAt = datetime(r.addedAt)
   RETURN count(g) AS written`,
);
