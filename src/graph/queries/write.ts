import { statement, type Statement } from '../executor.js';
import {
  assertLabel,
  assertRelType,
  ENTITY_KINDS,
  RELATION_TYPES,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import * as bundle from './import.js';
import { VISIBLE, VISIBLE_CLAIM, VISIBLE_FIGURE, VISIBLE_NODE } from './fragments.js';

/**
 * Statements of the write API. They run inside runMutation's transaction. Records are written with the
 * same properties the bundle loader writes (the claim, excerpt and figure statements reuse its Cypher),
 * so that data added by hand reads exactly like loaded data.
 */

/**
 * Any writable record by id, with what validation needs; records the caller may not see (by the read
 * rule, VISIBLE_NODE: a claim with a hidden subject, object or no visible evidence included) are left
 * out, so that a write naming one is refused as if it did not exist.
 */
export const findNodes = statement(
  'write.findNodes',
  `UNWIND $ids AS id
   CALL (id) {
     MATCH (n:Entity {id: id}) RETURN n
     UNION MATCH (n:Claim {id: id}) RETURN n
     UNION MATCH (n:Figure {id: id}) RETURN n
     UNION MATCH (n:Source {id: id}) RETURN n
   }
   WITH id, n WHERE ${VISIBLE_NODE('n')}
   RETURN id, labels(n) AS labels, n.status AS status, n.subjectId AS subjectId, n.objectId AS objectId,
          n.type AS type`,
);

export const sourceText = statement(
  'write.sourceText',
  `MATCH (s:Source {id: $id}) WHERE ${VISIBLE('s')}
   RETURN s.text AS text`,
);

export const existingExcerpts = statement(
  'write.existingExcerpts',
  'UNWIND $ids AS id MATCH (e:Excerpt {id: id}) RETURN collect(e.id) AS ids',
);

/**
 * The same text is one source: MERGE on sha256 (unique constraint) makes concurrent ingests of one text
 * wait for each other, so exactly one creates it. `_created` marks the creating transaction. A source that
 * was there already comes back with its metadata (`stored`) only when the caller may see it; its publisher
 * only when the caller may see that too.
 */
export const mergeSource = statement(
  'write.mergeSource',
  `MERGE (s:Source {sha256: $r.sha256})
   ON CREATE SET s.id = $r.id, s.createdAt = datetime(), s.version = 1, s._created = true,
       s.title = $r.title, s.text = $r.text, s.length = $r.length, s.language = $r.language,
       s.url = $r.url, s.retrievedAt = datetime($r.retrievedAt),
       s.publishedJson = $r.publishedJson, s.publishedEarliest = date($r.publishedEarliest),
       s.publishedLatest = date($r.publishedLatest),
       s.reliability = $r.reliability, s.sensitivity = $r.sensitivity, s.notes = $r.notes
   WITH s, coalesce(s._created, false) AS created
   REMOVE s._created
   WITH s, created
   CALL (s, created) {
     WITH s WHERE created AND $r.publisherId IS NOT NULL
     MATCH (a:Actor {id: $r.publisherId})
     MERGE (s)-[:PUBLISHED_BY]->(a)
   }
   CALL (s, created) {
     WITH s WHERE created
     UNWIND coalesce($r.publishedVia, []) AS h
     MATCH (hopActor:Actor {id: h.actorId})
     CREATE (s)-[:PUBLISHED_VIA {hop: h.hop, url: h.url, publishedJson: h.publishedJson,
       publishedEarliest: date(h.publishedEarliest), publishedLatest: date(h.publishedLatest)}]->(hopActor)
   }
   RETURN s.id AS id, created, ${VISIBLE('s')} AS visible,
     CASE WHEN NOT created AND ${VISIBLE('s')} THEN s {.title, .language, .url, .publishedJson, .reliability, .notes,
       retrievedAt: toString(s.retrievedAt), sensitivity: coalesce(s.sensitivity, 'public'),
       publisherId: head(COLLECT { MATCH (s)-[:PUBLISHED_BY]->(a) WHERE ${VISIBLE('a')} RETURN a.id }),
       publishedVia: COLLECT { MATCH (s)-[h:PUBLISHED_VIA]->(a) WHERE ${VISIBLE('a')}
         WITH h, a ORDER BY h.hop RETURN {actorId: a.id, url: h.url, publishedJson: h.publishedJson} }} END AS stored`,
);

/** Entity properties as the bundle loader sets them (sensitivity and version apart), from map $e. */
const ENTITY_FIELDS = `n.kind = $e.kind, n.type = $e.type, n.name = $e.name, n.lang = $e.lang,
       n.aliasesJson = $e.aliasesJson, n.names = $e.names,
       n.identifiersJson = $e.identifiersJson, n.identifierKeys = $e.identifierKeys,
       n.description = $e.description,
       n.dateJson = $e.dateJson, n.dateEarliest = date($e.dateEarliest), n.dateLatest = date($e.dateLatest),
       n.datePrecision = $e.datePrecision,
       n.endDateJson = $e.endDateJson, n.endDateEarliest = date($e.endDateEarliest),
       n.endDateLatest = date($e.endDateLatest), n.facilityKind = $e.facilityKind`;

/** One statement per kind: labels cannot be parameters, so they come from the model. */
export const createEntity: Readonly<Record<EntityKind, Statement>> = Object.fromEntries(
  ENTITY_KINDS.map((kind) => [
    kind,
    statement(
      `write.createEntity.${kind}`,
      `CREATE (n:Entity:${assertLabel(kind)} {id: $e.id})
       SET n.createdAt = datetime(), n.version = 1, n.sensitivity = $e.sensitivity,
       ${ENTITY_FIELDS}
       RETURN n.id AS id`,
    ),
  ]),
) as Record<EntityKind, Statement>;

/**
 * Increments the version first: a SET that reads the property it writes takes the node's write lock
 * before reading, so the value returned is the latest committed one plus one, and concurrent updates
 * queue here. The caller compares it with the version the client read.
 */
export const bumpEntityVersion = statement(
  'write.bumpEntityVersion',
  `MATCH (n:Entity {id: $id})
   SET n.version = n.version + 1
   RETURN n {.*} AS props, labels(n) AS labels`,
);

export const setEntityFields = statement(
  'write.setEntityFields',
  `MATCH (n:Entity {id: $e.id})
   SET ${ENTITY_FIELDS}
   RETURN n.id AS id`,
);

export const insertExcerpts = statement('write.insertExcerpts', bundle.upsertExcerpts.cypher);

export const insertClaim = statement(
  'write.insertClaim',
  `${bundle.UPSERT_CLAIMS_BODY}
   RETURN count(c) AS written`,
);

export const insertFigure = statement(
  'write.insertFigure',
  `${bundle.UPSERT_FIGURES_BODY}
   RETURN count(f) AS written`,
);

/** A new figure's SHARE_OF and DURING links (their ends checked visible by figureClaim and findNodes). */
export const linkFigure = statement('write.linkFigure', bundle.LINK_FIGURES_BODY);

/**
 * A claim the caller may see, as the whole of a share: its kind and status, and its figure's unit when the
 * figure is visible too (a hidden figure is no whole: the caller gets NOT_FOUND, as for a missing one).
 */
export const figureClaim = statement<{ id: string }>(
  'write.figureClaim',
  `MATCH (c:Claim {id: $id}) WHERE ${VISIBLE_CLAIM('c')}
   OPTIONAL MATCH (c)-[:OBJECT]->(f:Figure) WHERE ${VISIBLE_FIGURE('f')}
   RETURN c.kind AS kind, c.status AS status, f.unit AS unit, c.kind = 'figure' AND f IS NULL AS hidden`,
);

/**
 * Creates the relationship or adds claims to it, as the bundle loader does (MERGE by id, union of claim
 * ids). Setting and removing a marker on the start node takes its write lock first, so concurrent
 * writers of one relationship cannot both create it or lose each other's claim ids.
 */
export const mergeRelation: Readonly<Record<RelationType, Statement>> = Object.fromEntries(
  RELATION_TYPES.map((type) => [
    type,
    statement(
      `write.mergeRelation.${type}`,
      `MATCH (a:Entity {id: $r.fromId}), (b:Entity {id: $r.toId})
       SET a._lock = true
       REMOVE a._lock
       WITH a, b
       OPTIONAL MATCH (a)-[old:${assertRelType(type)} {id: $r.id}]->(b)
       WITH a, b, old.claimIds AS before
       MERGE (a)-[rel:${assertRelType(type)} {id: $r.id}]->(b)
       SET rel.role = $r.role, rel.position = $r.position,
           rel.claimIds = COLLECT { UNWIND coalesce(rel.claimIds, []) + $r.claimIds AS x WITH DISTINCT x ORDER BY x RETURN x }
       RETURN before, rel.claimIds AS claimIds`,
    ),
  ]),
) as Record<RelationType, Statement>;

/**
 * Locks the claim by incrementing its version (see bumpEntityVersion) and returns its status fields; no
 * row, and nothing locked or written, when the caller may not see the claim (VISIBLE_CLAIM: itself, its
 * subject, its object and its evidence), so that the refusal reveals nothing and the write never happens.
 */
export const bumpClaimVersion = statement(
  'write.bumpClaimVersion',
  `MATCH (c:Claim {id: $id}) WHERE ${VISIBLE_CLAIM('c')}
   SET c.version = c.version + 1
   RETURN c.status AS status, c.statusReason AS statusReason, toString(c.statusChangedAt) AS statusChangedAt,
          c.statusChangedBy AS statusChangedBy, c.version AS version,
          coalesce(c.sensitivity, 'public') AS sensitivity`,
);

export const setClaimStatus = statement(
  'write.setClaimStatus',
  `MATCH (c:Claim {id: $id})
   SET c.status = $status, c.statusReason = $reason, c.statusChangedAt = datetime($at),
       c.statusChangedBy = $by
   RETURN toString(c.statusChangedAt) AS statusChangedAt`,
);

/**
 * Any record whose sensitivity can be set, write-locked before its current values are read; `visible`
 * tells whether the caller may see it by the read rule (VISIBLE_NODE), read under the lock.
 */
export const lockSensitive = statement(
  'write.lockSensitive',
  `CALL () {
     MATCH (n:Entity {id: $id}) RETURN n
     UNION MATCH (n:Claim {id: $id}) RETURN n
     UNION MATCH (n:Figure {id: $id}) RETURN n
     UNION MATCH (n:Source {id: $id}) RETURN n
   }
   SET n._lock = true
   REMOVE n._lock
   RETURN coalesce(n.sensitivity, 'public') AS sensitivity, n.version AS version, labels(n) AS labels,
          ${VISIBLE_NODE('n')} AS visible`,
);

/** Sets the sensitivity; records that carry a version (entities, claims, sources) move to the next one. */
export const setSensitivity = statement(
  'write.setSensitivity',
  `CALL () {
     MATCH (n:Entity {id: $id}) RETURN n
     UNION MATCH (n:Claim {id: $id}) RETURN n
     UNION MATCH (n:Figure {id: $id}) RETURN n
     UNION MATCH (n:Source {id: $id}) RETURN n
   }
   SET n.sensitivity = $sensitivity
   FOREACH (_ IN CASE WHEN n.version IS NULL THEN [] ELSE [1] END | SET n.version = n.version + 1)
   RETURN n.version AS version`,
);
