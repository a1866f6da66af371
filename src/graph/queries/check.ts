import { statement } from '../executor.js';

/**
 * The store's integrity check (`kg check`): read-only statements that page through the whole store with
 * keyset cursors ($after: the last id of the previous page, '' for the first; $limit rows), so that a large
 * store is read in many short transactions instead of one huge one. Each page returns `last` (the cursor for
 * the next page, null when the page was empty), `scanned` and the ids of the records that break an invariant.
 * Ids are ordered by their unique-constraint index, so every page is an index range seek, never a scan.
 */

/** What a page statement takes. */
export interface PageParams {
  after: string;
  limit: number;
  [key: string]: unknown;
}

/**
 * Claims: with no excerpt (SUPPORTED_BY), and whose stored subjectId/objectId disagree with their edges
 * (exactly one ABOUT to the subject; one OBJECT to the object entity or figure when objectId is set, none
 * otherwise).
 */
export const claimsPage = statement<PageParams>(
  'check.claims',
  `MATCH (c:Claim) WHERE c.id > $after
   WITH c ORDER BY c.id LIMIT toInteger($limit)
   WITH c,
     NOT EXISTS { (c)-[:SUPPORTED_BY]->(:Excerpt) } AS noExcerpt,
     COLLECT { MATCH (c)-[:ABOUT]->(s) RETURN s.id } AS subjects,
     COLLECT { MATCH (c)-[:OBJECT]->(o) RETURN o.id } AS objects
   WITH c, noExcerpt,
     (subjects <> [c.subjectId]
      OR (c.objectId IS NULL AND size(objects) > 0)
      OR (c.objectId IS NOT NULL AND objects <> [c.objectId])) AS edgesDisagree
   RETURN max(c.id) AS last, count(c) AS scanned,
     collect(CASE WHEN noExcerpt THEN c.id END) AS withoutExcerpt,
     collect(CASE WHEN edgesDisagree THEN c.id END) AS edgesDisagree`,
);

/** Sources: id, text and stored sha256 (the text is hashed in TypeScript, as the loader hashes it). */
export const sourcesPage = statement<PageParams>(
  'check.sources',
  `MATCH (s:Source) WHERE s.id > $after
   WITH s ORDER BY s.id LIMIT toInteger($limit)
   RETURN s.id AS id, s.text AS text, s.sha256 AS sha256`,
);

/**
 * Excerpts with their words, code-point offsets and the sources they are in (one, when sound). Excerpt ids
 * begin with their source's (ex-<source>-<start>-<end>), so a page in id order reads few sources' texts.
 */
export const excerptsPage = statement<PageParams>(
  'check.excerpts',
  `MATCH (e:Excerpt) WHERE e.id > $after
   WITH e ORDER BY e.id LIMIT toInteger($limit)
   RETURN e.id AS id, e.exact AS exact, e.start AS start, e.end AS end,
     COLLECT { MATCH (e)-[:IN_SOURCE]->(s:Source) RETURN s.id } AS sourceIds`,
);

/** One source's text, for the excerpts' slices. */
export const sourceText = statement<{ id: string }>(
  'check.sourceText',
  'MATCH (s:Source {id: $id}) RETURN s.text AS text',
);

/**
 * Relationships between entities (the model's relation types, $types) that cite no claim (claimIds), or
 * cite an id that is no claim about either of their ends (its subject or object): the rule linkEntities
 * enforces, and relation claims (subject the start, object the end) keep.  A relationship left by an amended
 * claim (amendClaim moved it to another role) cites none but names it in formerClaimIds: that claim must
 * exist, be about an end, and have an earlier version. Paged by start entity.
 * Also (`misfit`) relationships whose ends' types or position the model's rules ($rules, from
 * model/graph-model.ts RELATIONS) refuse, and entities with a facility kind that are no facility.
 * Also (`identified`) each entity's identifiers and identifier keys, for the caller to check that the keys
 * (what lookups by identifier find, queries/identity.ts ENTITIES_BY_IDENTIFIER_KEY) are those of its
 * identifiers.
 */
/** A relation type's rules as a parameter (model/graph-model.ts RelationSpec). */
export interface RelationRuleParam {
  type: string;
  fromTypes: readonly string[] | null;
  toTypes: readonly string[] | null;
  hasPosition: boolean;
}

export const relationsPage = statement<
  PageParams & { types: readonly string[]; rules: readonly RelationRuleParam[] }
>(
  'check.relations',
  `MATCH (a:Entity) WHERE a.id > $after
   WITH a ORDER BY a.id LIMIT toInteger($limit)
   CALL (a) {
     MATCH (a)-[r]->(b:Entity) WHERE type(r) IN $types
     WITH r, b, coalesce(r.claimIds, []) AS claimIds, coalesce(r.formerClaimIds, []) AS formerIds
     WHERE (size(claimIds) = 0 AND size(formerIds) = 0)
        OR any(id IN claimIds + formerIds WHERE NOT EXISTS {
          MATCH (c:Claim {id: id}) WHERE c.subjectId IN [a.id, b.id] OR c.objectId IN [a.id, b.id]
        })
        OR any(id IN formerIds WHERE NOT EXISTS { MATCH (:Claim {id: id})-[:HAS_VERSION]->(:ClaimVersion) })
     RETURN collect(coalesce(r.id, elementId(r))) AS bad
   }
   CALL (a) {
     MATCH (a)-[r]->(b:Entity) WHERE type(r) IN $types
     UNWIND $rules AS rule
     WITH a, r, b, rule WHERE rule.type = type(r) AND (
       (rule.fromTypes IS NOT NULL AND NOT a.type IN rule.fromTypes)
       OR (rule.toTypes IS NOT NULL AND NOT b.type IN rule.toTypes)
       OR (r.position IS NOT NULL AND NOT rule.hasPosition))
     RETURN collect(coalesce(r.id, elementId(r))) AS misfit
   }
   WITH a, bad, misfit + CASE WHEN a.facilityKind IS NOT NULL AND NOT (a:Place AND a.type = 'facility')
                              THEN [a.id] ELSE [] END AS misfit
   RETURN max(a.id) AS last, count(a) AS scanned, reduce(all = [], ids IN collect(bad) | all + ids) AS withoutClaim,
          reduce(all = [], ids IN collect(misfit) | all + ids) AS misfit,
          collect(CASE WHEN a.identifiersJson IS NOT NULL OR a.identifierKeys IS NOT NULL
                       THEN {id: a.id, identifiersJson: a.identifiersJson, identifierKeys: a.identifierKeys} END) AS identified`,
);

/** Merge and unmerge audit records ($operations) naming a merge (merge-…) that does not exist. */
export const auditMergesPage = statement<PageParams & { operations: readonly string[] }>(
  'check.auditMerges',
  `MATCH (a:AuditRecord) WHERE a.id > $after
   WITH a ORDER BY a.id LIMIT toInteger($limit)
   WITH a, CASE WHEN a.operation IN $operations THEN COLLECT {
       UNWIND a.affectedIds AS id
       WITH id WHERE id STARTS WITH 'merge-' AND NOT EXISTS { MATCH (:Merge {id: id}) }
       RETURN id
     } ELSE [] END AS missing
   RETURN max(a.id) AS last, count(a) AS scanned, reduce(all = [], ids IN collect(missing) | all + ids) AS missingMerges`,
);

/** Figures whose stated words (text) occur in none of the excerpts of the claim that asserts them. */
export const figuresPage = statement<PageParams>(
  'check.figures',
  `MATCH (f:Figure) WHERE f.id > $after
   WITH f ORDER BY f.id LIMIT toInteger($limit)
   WITH f, f.text IS NOT NULL AND NOT EXISTS {
       MATCH (c:Claim)-[:OBJECT]->(f)
       MATCH (c)-[:SUPPORTED_BY]->(e:Excerpt)
       WHERE e.exact CONTAINS f.text
     } AS unquoted
   RETURN max(f.id) AS last, count(f) AS scanned, collect(CASE WHEN unquoted THEN f.id END) AS textNotQuoted`,
);
