import { statement } from '../executor.js';
import { RELATION_TYPES, assertRelType, type RelationType } from '../../model/graph-model.js';
import { FIGURE_SEARCH_TERMS, WRITE_PUBLISHED_VIA } from './fragments.js';

/**
 * Batched writes of a resolved bundle (UNWIND over rows). Every statement is idempotent: MERGE by id,
 * SET to the bundle's values, creation time only on create; loading the same bundle again changes nothing.
 *
 * Two rules keep a reload from undoing work done through the API since the first load:
 * - a record whose version moved past 1 (updated, disputed, retracted, re-classified through the API)
 *   keeps its values; the bundle's are not applied to it, and its id is returned as `changedSince`;
 * - sensitivity only ever goes up: a record keeps the stricter of its stored and the bundle's sensitivity,
 *   so reloading a file can never reveal what someone restricted (ids returned as `stricterKept`).
 */

const RANK = (v: string) => `CASE ${v} WHEN 'confidential' THEN 2 WHEN 'restricted' THEN 1 ELSE 0 END`;
/** The stricter of the stored sensitivity (in `before`) and the bundle's (r.sensitivity). */
const STRICTER = `CASE WHEN ${RANK('before')} >= ${RANK("coalesce(r.sensitivity, 'public')")} THEN before ELSE coalesce(r.sensitivity, 'public') END`;
/** Returns the ids a reload did not (fully) apply to; nothing for the others. */
const KEPT = (v: string) => `WITH ${v}, edited, before, r
   WHERE edited OR ${RANK('before')} > ${RANK("coalesce(r.sensitivity, 'public')")}
   RETURN CASE WHEN edited THEN ${v}.id END AS changedSince,
          CASE WHEN ${RANK('before')} > ${RANK("coalesce(r.sensitivity, 'public')")} THEN ${v}.id END AS stricterKept`;

export const findSourcesByHash = statement(
  'import.findSourcesByHash',
  `UNWIND $rows AS r
   MATCH (s:Source {sha256: r.sha256})
   WHERE s.id <> r.id
   RETURN r.id AS bundleId, s.id AS existingId`,
);

/** Sources of the record set whose id holds other text in the store: their excerpts would stop matching. */
export const findSourceTextChanges = statement(
  'import.findSourceTextChanges',
  `UNWIND $rows AS r
   MATCH (s:Source {id: r.id})
   WHERE s.sha256 <> r.sha256
   RETURN r.id AS id`,
);

/** Which of these claim ids are stored already (before this load writes). */
export const findStoredClaims = statement<{ ids: string[] }>(
  'import.findStoredClaims',
  `UNWIND $ids AS id
   MATCH (c:Claim {id: id})
   RETURN c.id AS id`,
);

/** Null-safe equality of a stored property and a row's value. */
const SAME = (a: string, b: string) => `((${a} IS NULL AND ${b} IS NULL) OR coalesce(${a} = ${b}, false))`;

/**
 * Claims of the record set that exist (unchanged through the API since) with another value, status or
 * evidence (what it asserts, about what, its excerpts and attribution, its slot): evidence is never changed
 * in place, so these are refused, each with the fields that differ. The recorder's own words about it
 * (summary, fact tag, confidence) may be corrected by a reload, as before. Claims changed through the API
 * since (version past 1) keep everything and are reported as kept.
 */
export const findClaimChanges = statement(
  'import.findClaimChanges',
  `UNWIND $rows AS r
   MATCH (c:Claim {id: r.id})
   WHERE coalesce(c.version, 1) = 1
   WITH c, r,
        COLLECT { MATCH (c)-[:SUPPORTED_BY]->(e:Excerpt) RETURN e.id AS x ORDER BY x } AS excerpts,
        COLLECT { MATCH (c)-[at:ATTRIBUTED_TO]->(a:Actor) RETURN a.id AS x ORDER BY at.hop } AS attributedTo,
        COLLECT { MATCH (c)-[at:ATTRIBUTED_TO]->(:Actor)
                  RETURN coalesce(at.capacity, '') + '|' + coalesce(at.excerptId, '') AS x ORDER BY at.hop } AS hops
   WITH r, [f IN [
     CASE WHEN NOT ${SAME('c.kind', 'r.kind')} THEN 'kind' END,
     CASE WHEN NOT ${SAME('c.property', 'r.property')} THEN 'property' END,
     CASE WHEN NOT ${SAME('c.role', 'r.role')} THEN 'role' END,
     CASE WHEN NOT ${SAME('c.subjectId', 'r.subjectId')} THEN 'subject' END,
     CASE WHEN NOT ${SAME('c.objectId', 'r.objectId')} THEN 'object' END,
     CASE WHEN NOT ${SAME('c.valueJson', 'r.valueJson')} THEN 'value' END,
     CASE WHEN NOT ${SAME('c.status', 'r.status')} THEN 'status' END,
     CASE WHEN NOT ${SAME('c.statusReason', 'r.statusReason')} THEN 'statusReason' END,
     CASE WHEN NOT ${SAME('c.statusChangedBy', 'r.statusChangedBy')} THEN 'statusChangedBy' END,
     CASE WHEN NOT ${SAME('c.statusChangedAt', 'datetime(r.statusChangedAt)')} THEN 'statusChangedAt' END,
     CASE WHEN NOT ${SAME('c.slot', 'r.slot')} THEN 'slot' END,
     CASE WHEN NOT ${SAME('c.position', 'r.position')} THEN 'position' END,
     CASE WHEN NOT ${SAME('c.periodStartJson', 'r.periodStartJson')} THEN 'periodStart' END,
     CASE WHEN NOT ${SAME('c.periodEndJson', 'r.periodEndJson')} THEN 'periodEnd' END,
     CASE WHEN excerpts <> r.sortedExcerptIds THEN 'excerpts' END,
     CASE WHEN attributedTo <> r.attributedTo THEN 'attributedTo' END,
     CASE WHEN hops <> [i IN range(0, size(r.attributedTo) - 1) |
       coalesce(r.attribution[i].capacity, '') + '|' + coalesce(r.attribution[i].excerptId, '')] THEN 'attribution' END
   ] WHERE f IS NOT NULL] AS fields
   WHERE size(fields) > 0
   RETURN r.id AS id, fields`,
);

/**
 * Figures of the record set that exist with other values (the words and numbers of a claim's figure). The
 * figure of an amended claim is left out, as an edited claim is in findClaimChanges: a load keeps it as is.
 */
export const findFigureChanges = statement(
  'import.findFigureChanges',
  `UNWIND $rows AS r
   MATCH (f:Figure {id: r.id})
   WHERE NOT EXISTS { MATCH (:Claim {id: f.claimId})-[:HAS_VERSION]->(:ClaimVersion) }
   WITH r, [x IN [
     CASE WHEN NOT ${SAME('f.measure', 'r.measure')} THEN 'measure' END,
     CASE WHEN NOT ${SAME('f.value', 'r.value')} THEN 'value' END,
     CASE WHEN NOT ${SAME('f.min', 'r.min')} THEN 'min' END,
     CASE WHEN NOT ${SAME('f.max', 'r.max')} THEN 'max' END,
     CASE WHEN NOT ${SAME('f.qualifier', 'r.qualifier')} THEN 'qualifier' END,
     CASE WHEN NOT ${SAME('f.unit', 'r.unit')} THEN 'unit' END,
     CASE WHEN NOT ${SAME('f.subgroup', 'r.subgroup')} THEN 'subgroup' END,
     CASE WHEN NOT ${SAME('f.text', 'r.text')} THEN 'text' END,
     CASE WHEN NOT ${SAME('f.duration', 'r.duration')} THEN 'duration' END,
     CASE WHEN NOT ${SAME('f.sex', 'r.sex')} THEN 'sex' END,
     CASE WHEN NOT ${SAME('f.ageGroup', 'r.ageGroup')} THEN 'ageGroup' END,
     CASE WHEN NOT ${SAME('f.category', 'r.category')} THEN 'category' END,
     CASE WHEN NOT ${SAME('f.periodStartJson', 'r.periodStartJson')} THEN 'periodStart' END,
     CASE WHEN NOT ${SAME('f.periodEndJson', 'r.periodEndJson')} THEN 'periodEnd' END,
     CASE WHEN NOT ${SAME('f.asOfJson', 'r.asOfJson')} THEN 'asOf' END
   ] WHERE x IS NOT NULL] AS fields
   WHERE size(fields) > 0
   RETURN r.id AS id, fields`,
);

/**
 * A dataset's newer release supersedes: each new claim with a slot, from a source that is a release of a
 * dataset, supersedes the claims in the same slot (same subject and property) from an earlier release of
 * that dataset by the same publisher that assert something else and are not superseded yet. "Earlier"
 * means stored before this load: the sources of this load ($loadSources) supersede none of each other's
 * claims, so one load can never make two claims supersede each other. The older claim is kept as it was
 * (value, status, evidence), readable, linked by SUPERSEDES, and no longer counted as a conflict. Equal
 * assertions are left side by side: the newer file corroborates the older.
 */
export const supersede = statement<{ rows: Record<string, unknown>[]; loadSources: string[] }>(
  'import.supersede',
  `UNWIND $rows AS r
   MATCH (n:Claim {id: r.id})
   MATCH (src:Source {id: r.sourceId}) WHERE src.dataset IS NOT NULL
   WITH n, r, src, [(src)-[:PUBLISHED_BY]->(p:Actor) | p.id] AS publishers
   MATCH (o:Claim {slot: r.slot})
   WHERE o <> n AND o.assertion <> r.assertion
     AND o.subjectId = n.subjectId AND o.property = n.property AND o.kind = n.kind
     AND NOT EXISTS { MATCH (o)<-[:SUPERSEDES]-(:Claim) }
     AND EXISTS {
       MATCH (o)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(os:Source)
       WHERE NOT os.id IN $loadSources AND os.dataset = src.dataset
         AND [(os)-[:PUBLISHED_BY]->(p:Actor) | p.id] = publishers
     }
   MERGE (n)-[:SUPERSEDES]->(o)
   RETURN n.id AS newer, o.id AS older`,
);

/** Entities of the bundle that were merged into another since: loading them again would revive them. */
export const findMergedEntities = statement(
  'import.findMergedEntities',
  `UNWIND $ids AS id
   MATCH (m:Merged {id: id})
   RETURN m.id AS id, m.mergedInto AS mergedInto`,
);

export const findBundleLoad = statement(
  'import.findLoad',
  'MATCH (b:BundleLoad {sha256: $sha256}) RETURN b.sha256 AS sha256, b.loadedAt AS loadedAt',
);

export const upsertEntities = statement(
  'import.upsertEntities',
  `UNWIND $rows AS r
   MERGE (n:Entity {id: r.id})
   ON CREATE SET n.createdAt = datetime(r.recordedAt), n.version = 1
   WITH n, r, coalesce(n.version, 1) > 1 AS edited, coalesce(n.sensitivity, 'public') AS before
   FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
     SET n.kind = r.kind, n.type = r.type, n.name = r.name, n.lang = r.lang,
         n.aliasesJson = r.aliasesJson, n.names = r.names,
         n.identifiersJson = r.identifiersJson, n.identifierKeys = r.identifierKeys,
         n.description = r.description,
         n.dateJson = r.dateJson, n.dateEarliest = date(r.dateEarliest), n.dateLatest = date(r.dateLatest),
         n.datePrecision = r.datePrecision,
         n.endDateJson = r.endDateJson, n.endDateEarliest = date(r.endDateEarliest), n.endDateLatest = date(r.endDateLatest),
         n.facilityKind = r.facilityKind)
   SET n.sensitivity = ${STRICTER}
   FOREACH (_ IN CASE WHEN r.kind = 'Event' THEN [1] ELSE [] END | SET n:Event)
   FOREACH (_ IN CASE WHEN r.kind = 'Actor' THEN [1] ELSE [] END | SET n:Actor)
   FOREACH (_ IN CASE WHEN r.kind = 'Place' THEN [1] ELSE [] END | SET n:Place)
   ${KEPT('n')}`,
);

export const upsertSources = statement(
  'import.upsertSources',
  `UNWIND $rows AS r
   MERGE (s:Source {id: r.id})
   ON CREATE SET s.createdAt = datetime(r.recordedAt), s.version = 1
   // A source corrected through the API (updateSource: it has earlier versions) keeps its metadata, as an
   // edited claim does; the load reports it (changedSince).
   WITH s, r, EXISTS { MATCH (s)-[:HAS_VERSION]->(:SourceVersion) } AS edited,
        coalesce(s.sensitivity, 'public') AS before
   SET s.text = r.text, s.sha256 = r.sha256, s.length = r.length, s.sensitivity = ${STRICTER},
       // What a file is a release of is fixed when it is first stored: it decides what it supersedes.
       s.dataset = coalesce(s.dataset, r.dataset)
   FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
     SET s.title = r.title, s.language = r.language, s.url = r.url, s.retrievedAt = datetime(r.retrievedAt),
         s.publishedJson = r.publishedJson, s.publishedEarliest = date(r.publishedEarliest),
         s.publishedLatest = date(r.publishedLatest), s.reliability = r.reliability, s.notes = r.notes)
   WITH s, r, edited, before
   CALL (s, r, edited) {
     WITH s, r WHERE r.publisherId IS NOT NULL AND NOT edited
     MATCH (a:Actor {id: r.publisherId})
     MERGE (s)-[:PUBLISHED_BY]->(a)
   }
   // A chain, once stored, changes only through updateSource (which keeps the one before): a load adds a
   // chain to a source without one, and never drops hops (an analyst's export leaves hidden outlets out).
   WITH s, r, edited, before, EXISTS { (s)-[:PUBLISHED_VIA]->() } AS chained
   ${WRITE_PUBLISHED_VIA('s, r, edited, chained', 's', 'CASE WHEN edited OR chained THEN null ELSE r.publishedVia END')}
   ${KEPT('s')}`,
);

export const upsertExcerpts = statement(
  'import.upsertExcerpts',
  `UNWIND $rows AS r
   MATCH (s:Source {id: r.sourceId})
   MERGE (e:Excerpt {id: r.id})
   SET e.exact = r.exact, e.start = r.start, e.end = r.end, e.prefix = r.prefix, e.suffix = r.suffix
   MERGE (e)-[:IN_SOURCE]->(s)`,
);

/** Claims with their links; the write API's recordClaim runs the same body (it never finds an edited claim). */
export const UPSERT_CLAIMS_BODY = `UNWIND $rows AS r
   MATCH (subject:Entity {id: r.subjectId})
   MERGE (c:Claim {id: r.id})
   ON CREATE SET c.recordedBy = r.recordedBy, c.recordedAt = datetime(r.recordedAt), c.version = 1
   WITH c, r, subject, coalesce(c.version, 1) > 1 AS edited, coalesce(c.sensitivity, 'public') AS before
   FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
     SET c.kind = r.kind, c.fact = r.fact, c.summary = r.summary, c.property = r.property, c.role = r.role,
         c.valueJson = r.valueJson, c.conflictKey = r.conflictKey, c.valueKey = r.valueKey,
         c.valueLow = r.valueLow, c.valueHigh = r.valueHigh,
         c.asOfEarliest = r.asOfEarliest, c.asOfLatest = r.asOfLatest, c.asOfFromSource = r.asOfFromSource,
         c.status = r.status, c.statusReason = r.statusReason, c.statusChangedAt = datetime(r.statusChangedAt),
         c.statusChangedBy = r.statusChangedBy, c.confidence = r.confidence,
         c.subjectId = r.subjectId, c.objectId = r.objectId, c.slot = r.slot, c.assertion = r.assertion,
         c.position = r.position, c.periodStartJson = r.periodStartJson, c.periodEndJson = r.periodEndJson,
         c.periodEarliest = date(r.periodEarliest), c.periodLatest = date(r.periodLatest))
   SET c.sensitivity = ${STRICTER}
   MERGE (c)-[:ABOUT]->(subject)
   WITH c, r, edited, before
   CALL (c, r) {
     UNWIND r.excerptIds AS exId
     MATCH (e:Excerpt {id: exId})
     MERGE (c)-[:SUPPORTED_BY]->(e)
   }
   // An edited claim's attribution is kept as it is, like the rest of what it asserts.
   CALL (c, r, edited) {
     WITH c, r WHERE NOT edited
     UNWIND range(0, size(r.attributedTo) - 1) AS i
     MATCH (a:Actor {id: r.attributedTo[i]})
     MERGE (c)-[at:ATTRIBUTED_TO {hop: i + 1}]->(a)
     SET at.capacity = r.attribution[i].capacity, at.excerptId = r.attribution[i].excerptId
   }
   CALL (c, r) {
     WITH c, r WHERE r.kind = 'relation'
     MATCH (o:Entity {id: r.objectId})
     MERGE (c)-[:OBJECT]->(o)
   }
   // A figure with neither as-of nor period is compared as of its sources' publication (model/claims.ts):
   // the span of the cited sources' publication dates, stored once here rather than derived on every read.
   CALL (c) {
     WITH c WHERE coalesce(c.asOfFromSource, false)
     MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(pub:Source)
     WITH c, min(pub.publishedEarliest) AS lo, max(pub.publishedLatest) AS hi
     SET c.implicitAsOfEarliest = toString(lo), c.implicitAsOfLatest = toString(hi)
   }`;

export const upsertClaims = statement(
  'import.upsertClaims',
  `${UPSERT_CLAIMS_BODY}
   ${KEPT('c')}`,
);

/** Figures of claims; the write API runs the same body. */
export const UPSERT_FIGURES_BODY = `UNWIND $rows AS r
   MATCH (subject:Entity {id: r.subjectId})
   MATCH (c:Claim {id: r.claimId})
   MERGE (f:Figure {id: r.id})
   // The figure of an amended claim (amendClaim) holds its current values: kept, like an edited claim.
   WITH f, r, c, subject, EXISTS { MATCH (c)-[:HAS_VERSION]->(:ClaimVersion) } AS edited,
        coalesce(f.sensitivity, 'public') AS before
   FOREACH (_ IN CASE WHEN edited THEN [] ELSE [1] END |
     SET f.measure = r.measure, f.value = r.value, f.min = r.min, f.max = r.max, f.qualifier = r.qualifier,
         f.unit = r.unit, f.subgroup = r.subgroup, f.text = r.text,
         f.duration = r.duration, f.sex = r.sex, f.ageGroup = r.ageGroup, f.category = r.category,
         f.searchTerms = ${FIGURE_SEARCH_TERMS('r')},
         f.periodStartJson = r.periodStartJson, f.periodEndJson = r.periodEndJson, f.asOfJson = r.asOfJson,
         f.periodEarliest = date(r.periodEarliest), f.periodLatest = date(r.periodLatest))
   SET f.sensitivity = ${STRICTER}, f.subjectId = r.subjectId, f.claimId = r.claimId
   MERGE (f)-[:FIGURE_OF]->(subject)
   MERGE (c)-[:OBJECT]->(f)
   WITH f, r, edited, before`;

export const upsertFigures = statement(
  'import.upsertFigures',
  `${UPSERT_FIGURES_BODY}
   ${KEPT('f')}`,
);

/** A figure's SHARE_OF and DURING links; the write API runs the same body. */
export const LINK_FIGURES_BODY = `UNWIND $rows AS r
   MATCH (f:Figure {id: r.id})
   // An amended claim's figure keeps its current whole and event (amendClaim changes them, with a version).
   WHERE NOT EXISTS { MATCH (f)<-[:OBJECT]-(:Claim)-[:HAS_VERSION]->(:ClaimVersion) }
   CALL (f, r) {
     WITH f, r WHERE r.shareOfId IS NOT NULL
     MATCH (whole:Figure {id: r.shareOfId})
     MERGE (f)-[:SHARE_OF]->(whole)
   }
   CALL (f, r) {
     WITH f, r WHERE r.duringId IS NOT NULL
     MATCH (e:Event {id: r.duringId})
     MERGE (f)-[:DURING]->(e)
   }`;

export const linkFigures = statement('import.linkFigures', LINK_FIGURES_BODY);

/** One statement per relation type: types cannot be parameters, so they come from the model's allow-list. */
export const upsertRelations: Readonly<Record<RelationType, ReturnType<typeof statement>>> =
  Object.fromEntries(
    RELATION_TYPES.map((type) => [
      type,
      statement(
        `import.upsertRelations.${type}`,
        `UNWIND $rows AS r
       MATCH (a:Entity {id: r.fromId}), (b:Entity {id: r.toId})
       // Lock the start node first, as the write API does, so a concurrent recordClaim cannot lose ids.
       SET a._lock = true
       REMOVE a._lock
       MERGE (a)-[rel:${assertRelType(type)} {id: r.id}]->(b)
       SET rel.role = r.role, rel.position = r.position,
           // Union of the claim ids already on the relationship and the bundle's, sorted (no APOC needed).
           rel.claimIds = COLLECT { UNWIND coalesce(rel.claimIds, []) + r.claimIds AS x WITH DISTINCT x ORDER BY x RETURN x }`,
      ),
    ]),
  ) as Record<RelationType, ReturnType<typeof statement>>;

/**
 * Which of these links of a load the store holds already: place links (OCCURRED_IN, PART_OF) by their
 * start `nodeId`, involvements (INVOLVED_IN) by their event `nodeId` (each read from the end with few links).
 */
export const storedPlaceLinks = statement<{ rows: { id: string; nodeId: string }[] }>(
  'import.storedPlaceLinks',
  `UNWIND $rows AS r
   MATCH (n:Entity {id: r.nodeId})
   WHERE EXISTS { MATCH (n)-[rel:OCCURRED_IN|PART_OF]->() WHERE rel.id = r.id }
      OR EXISTS { MATCH (n)<-[rel:INVOLVED_IN]-() WHERE rel.id = r.id }
   RETURN DISTINCT r.id AS id`,
);

/** Which of these claims were amended (amendClaim): a load leaves their relationships as they are. */
export const amendedClaims = statement<{ ids: string[] }>(
  'import.amendedClaims',
  `UNWIND $ids AS id
   MATCH (c:Claim {id: id}) WHERE EXISTS { MATCH (c)-[:HAS_VERSION]->(:ClaimVersion) }
   RETURN c.id AS id`,
);

export const recordBundleLoad = statement(
  'import.recordLoad',
  `MERGE (b:BundleLoad {sha256: $sha256})
   ON CREATE SET b.loadedAt = datetime(), b.recordedBy = $recordedBy, b.counts = $counts`,
);
