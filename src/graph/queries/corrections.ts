import { statement, type Statement } from '../executor.js';
import { assertRelType, RELATION_TYPES, type RelationType } from '../../model/graph-model.js';
import { FIGURE_SEARCH_TERMS, VISIBLE, VISIBLE_CLAIM, WRITE_PUBLISHED_VIA } from './fragments.js';

/**
 * Statements of the corrections: a source's publishedVia chain and earlier versions (updateSource), a claim's
 * earlier versions (amendClaim). An earlier version is a node of its own (:SourceVersion / :ClaimVersion,
 * id `<record id>@<version>`) linked from its record by HAS_VERSION, holding what the record was at that
 * version; the record itself always holds its current version, so every other read sees the current one.
 */

type Ids = { ids: string[] };

/** Each source's chain through outlets the caller may see, nearest to the reader first. */
export const publishedViaOf = statement<Ids>(
  'corrections.publishedViaOf',
  `UNWIND $ids AS id
   MATCH (:Source {id: id})-[h:PUBLISHED_VIA]->(a:Actor)
   WHERE ${VISIBLE('a')}
   WITH id, h, a ORDER BY h.hop
   RETURN id, collect({actorId: a.id, url: h.url, publishedJson: h.publishedJson}) AS hops`,
);

/** Each source's earlier versions, newest first (the source itself is visible: it is the parent). */
export const sourceHistory = statement<Ids>(
  'corrections.sourceHistory',
  `UNWIND $ids AS id
   MATCH (:Source {id: id})-[:HAS_VERSION]->(v:SourceVersion)
   WITH id, v ORDER BY v.version DESC
   RETURN id, collect(v {.*, changedAt: toString(v.changedAt)}) AS versions`,
);

/** Each claim's earlier versions, newest first. */
export const claimHistory = statement<Ids>(
  'corrections.claimHistory',
  `UNWIND $ids AS id
   MATCH (:Claim {id: id})-[:HAS_VERSION]->(v:ClaimVersion)
   WITH id, v ORDER BY v.version DESC
   RETURN id, collect(v {.*, amendedAt: toString(v.amendedAt)}) AS versions`,
);

/**
 * Takes the source's write lock by moving it to its next version (see write.bumpEntityVersion) and returns
 * its metadata, its publisher and its whole chain (hidden outlets included: the snapshot keeps everything).
 * No row, and nothing written, when the caller may not see the source.
 */
export const lockSource = statement<{ id: string }>(
  'corrections.lockSource',
  `MATCH (s:Source {id: $id}) WHERE ${VISIBLE('s')}
   SET s.version = s.version + 1
   RETURN s {.title, .language, .url, .publishedJson, .reliability, .notes, .version,
            retrievedAt: toString(s.retrievedAt)} AS props,
          head(COLLECT { MATCH (s)-[:PUBLISHED_BY]->(p:Actor) RETURN p.id ORDER BY p.id }) AS publisherId,
          EXISTS { MATCH (s)-[:PUBLISHED_BY]->(p:Actor) WHERE NOT ${VISIBLE('p')} } AS publisherHidden,
          COLLECT { MATCH (s)-[h:PUBLISHED_VIA]->(a:Actor) WITH h, a ORDER BY h.hop
                    RETURN {actorId: a.id, url: h.url, publishedJson: h.publishedJson,
                            hidden: NOT ${VISIBLE('a')}} } AS hops`,
);

/**
 * Keeps the metadata the source had as a SourceVersion ($v), then writes the corrected metadata ($r, as
 * stores/properties.ts sourceParams gives it), its publisher and its chain.
 */
export const updateSource = statement(
  'corrections.updateSource',
  `MATCH (s:Source {id: $r.id})
   CREATE (v:SourceVersion {id: $v.id, sourceId: $r.id, version: $v.version, changedAt: datetime(),
     changedBy: $v.changedBy, reason: $v.reason, title: $v.title, language: $v.language, url: $v.url,
     retrievedAt: $v.retrievedAt, publishedJson: $v.publishedJson, reliability: $v.reliability,
     notes: $v.notes, publisherId: $v.publisherId, publishedViaJson: $v.publishedViaJson})
   CREATE (s)-[:HAS_VERSION]->(v)
   SET s.title = $r.title, s.language = $r.language, s.url = $r.url,
       s.retrievedAt = datetime($r.retrievedAt),
       s.publishedJson = $r.publishedJson, s.publishedEarliest = date($r.publishedEarliest),
       s.publishedLatest = date($r.publishedLatest), s.reliability = $r.reliability, s.notes = $r.notes
   WITH s, v
   CALL (s) {
     OPTIONAL MATCH (s)-[old:PUBLISHED_BY]->()
     DELETE old
   }
   CALL (s) {
     MATCH (a:Actor {id: $r.publisherId})
     MERGE (s)-[:PUBLISHED_BY]->(a)
   }
   ${WRITE_PUBLISHED_VIA('s', 's', '$r.publishedVia')}
   RETURN s.version AS version, toString(v.changedAt) AS changedAt`,
);

/**
 * Takes the claim's write lock by moving it to its next version and returns it whole, with its figure;
 * no row, and nothing written, when the caller may not see it (VISIBLE_CLAIM).
 */
export const lockClaim = statement<{ id: string }>(
  'corrections.lockClaim',
  `MATCH (c:Claim {id: $id}) WHERE ${VISIBLE_CLAIM('c')}
   SET c.version = c.version + 1
   RETURN c {.*, recordedAt: toString(c.recordedAt)} AS claim,
          head(COLLECT {
            MATCH (c)-[:OBJECT]->(f:Figure)
            RETURN f {.*, shareOfId: head(COLLECT { MATCH (f)-[:SHARE_OF]->(w:Figure) RETURN w.id }),
                          duringId: head(COLLECT { MATCH (f)-[:DURING]->(e:Event) RETURN e.id })}
          }) AS figure,
          coalesce(c.sensitivity, 'public') AS sensitivity`,
);

/**
 * Keeps what the claim asserted as a ClaimVersion ($v), then writes what it asserts now ($c: the fields of
 * ClaimValue and the summary) and, for a figure claim, the figure's values ($f, figureParams; null: none).
 * An undated figure's implicit as-of is recomputed from its sources, as UPSERT_CLAIMS_BODY stores it.
 */
export const amendClaim = statement(
  'corrections.amendClaim',
  `MATCH (c:Claim {id: $id})
   CREATE (v:ClaimVersion {id: $v.id, claimId: $id, version: $v.version, amendedAt: datetime(),
     amendedBy: $v.amendedBy, reason: $v.reason, claimJson: $v.claimJson, figureJson: $v.figureJson})
   CREATE (c)-[:HAS_VERSION]->(v)
   SET c.summary = $c.summary, c.role = $c.role, c.valueJson = $c.valueJson, c.conflictKey = $c.conflictKey,
       c.valueKey = $c.valueKey, c.valueLow = $c.valueLow, c.valueHigh = $c.valueHigh,
       c.asOfEarliest = $c.asOfEarliest, c.asOfLatest = $c.asOfLatest, c.asOfFromSource = $c.asOfFromSource,
       c.assertion = CASE WHEN c.slot IS NULL THEN null ELSE $c.assertion END,
       c.implicitAsOfEarliest = null, c.implicitAsOfLatest = null,
       c.position = $c.position, c.periodStartJson = $c.periodStartJson, c.periodEndJson = $c.periodEndJson,
       c.periodEarliest = date($c.periodEarliest), c.periodLatest = date($c.periodLatest)
   WITH c, v
   CALL (c) {
     WITH c WHERE $f IS NOT NULL
     MATCH (c)-[:OBJECT]->(f:Figure)
     SET f.value = $f.value, f.min = $f.min, f.max = $f.max, f.qualifier = $f.qualifier, f.unit = $f.unit,
         f.subgroup = $f.subgroup, f.text = $f.text, f.periodStartJson = $f.periodStartJson,
         f.periodEndJson = $f.periodEndJson, f.asOfJson = $f.asOfJson,
         f.periodEarliest = date($f.periodEarliest), f.periodLatest = date($f.periodLatest),
         f.duration = $f.duration, f.sex = $f.sex, f.ageGroup = $f.ageGroup, f.category = $f.category
     SET f.searchTerms = ${FIGURE_SEARCH_TERMS('f')}
     // The whole and the event it covers are links of the current version; the snapshot keeps the earlier.
     WITH f
     CALL (f) {
       OPTIONAL MATCH (f)-[old:SHARE_OF|DURING]->()
       DELETE old
     }
     CALL (f) {
       MATCH (w:Figure {id: $f.shareOfId})
       CREATE (f)-[:SHARE_OF]->(w)
     }
     CALL (f) {
       MATCH (e:Event {id: $f.duringId})
       CREATE (f)-[:DURING]->(e)
     }
   }
   CALL (c) {
     WITH c WHERE coalesce(c.asOfFromSource, false)
     MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(pub:Source)
     WITH c, min(pub.publishedEarliest) AS lo, max(pub.publishedLatest) AS hi
     SET c.implicitAsOfEarliest = toString(lo), c.implicitAsOfLatest = toString(hi)
   }
   RETURN toString(v.amendedAt) AS amendedAt`,
);

/**
 * Takes a claim off the relationship it asserted (its role amended): the claim id moves from claimIds to
 * formerClaimIds. A relationship left with no claim is kept (never deleted), and is invisible to readers
 * since no claim asserts it (VISIBLE_REL needs one); `kg check` accepts it when formerClaimIds names a claim.
 */
export const leaveRelation: Readonly<Record<RelationType, Statement>> = Object.fromEntries(
  RELATION_TYPES.map((type) => [
    type,
    statement(
      `corrections.leaveRelation.${type}`,
      `MATCH (:Entity {id: $fromId})-[rel:${assertRelType(type)} {id: $relId}]->(:Entity {id: $toId})
       SET rel.claimIds = [x IN coalesce(rel.claimIds, []) WHERE x <> $claimId],
           rel.formerClaimIds = COLLECT { UNWIND coalesce(rel.formerClaimIds, []) + [$claimId] AS x
                                          WITH DISTINCT x ORDER BY x RETURN x }
       RETURN rel.claimIds AS claimIds`,
    ),
  ]),
) as Record<RelationType, Statement>;
