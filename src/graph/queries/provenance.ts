import { statement } from '../executor.js';
import {
  CLAIM_DETAILS,
  CONFLICTING_CLAIMS,
  DISAGREES,
  IMPLICIT_AS_OF,
  nodeProjection,
  SHARE_A_SOURCE,
  SOURCE_PROPERTIES,
  VISIBLE,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_FIGURE,
  VISIBLE_PATH,
} from './fragments.js';

/**
 * The evidence read fields (provenance, conflicts, statistics): each answers in one statement. $details
 * switches the claims between CLAIM_DETAILS (their nested fields primed) and a bare projection.
 */

/** Claim variable `c` with or without its details (CASE evaluates only the branch taken). */
const CLAIM = `CASE WHEN $details THEN ${CLAIM_DETAILS} ELSE ${nodeProjection('c')} END`;

/** A source (variable `s`) with its publisher, as in CLAIM_DETAILS._sources. */
const SOURCE = `s {${SOURCE_PROPERTIES}, _labels: labels(s), _publisher: head(COLLECT {
    MATCH (s)-[:PUBLISHED_BY]->(pub:Actor) WHERE ${VISIBLE('pub')} RETURN pub {.*, _labels: labels(pub)}
  })}`;

/**
 * The record with id $id and a page of the claims in which it takes part, each with the record's roles in
 * it (ProvenanceRole): an entity as the claim's subject, its object, the subject of the figure it
 * asserts, or given an alias or identifier by it (GIVES_NAME); a figure asserted; the claim itself; a source cited; a relationship asserted. Relationships have
 * no id index, so their start node is looked up among $relationStarts (candidate ids parsed from the rel-
 * id) and r.id checked exactly. Claims the caller may not see (VISIBLE_CLAIM: their subject and object
 * too) are neither listed nor counted.
 */
export const provenance = statement<{
  id: string;
  relationStarts: string[];
  details: boolean;
  limit: number;
  after: string | null;
}>(
  'provenance.provenance',
  `CALL () {
     MATCH (n:Entity {id: $id}) WHERE ${VISIBLE('n')}
     RETURN head([l IN labels(n) WHERE l IN ['Event', 'Actor', 'Place']]) AS kind, n.name AS label,
            COLLECT {
              CALL (n) {
                MATCH (c:Claim)-[:ABOUT]->(n) RETURN c, 'SUBJECT' AS role
                UNION ALL
                MATCH (c:Claim)-[:OBJECT]->(n) RETURN c, 'OBJECT' AS role
                UNION ALL
                MATCH (c:Claim)-[:OBJECT]->(:Figure)-[:FIGURE_OF]->(n) RETURN c, 'FIGURE_SUBJECT' AS role
                UNION ALL
                MATCH (c:Claim)-[g:GIVES_NAME]->(n)
                RETURN c, CASE g.kind WHEN 'identifier' THEN 'IDENTIFIER' ELSE 'ALIAS' END AS role
              }
              WITH c, role WHERE ${VISIBLE_CLAIM('c')}
              WITH c, collect(DISTINCT role) AS roles
              RETURN {c: c, roles: roles} ORDER BY c.fact, c.id
            } AS claims
     UNION
     MATCH (n:Figure {id: $id}) WHERE ${VISIBLE_FIGURE('n')}
     RETURN 'Figure' AS kind, coalesce(n.text, n.measure) AS label,
            COLLECT {
              MATCH (c:Claim)-[:OBJECT]->(n) WHERE ${VISIBLE_CLAIM('c')}
              RETURN {c: c, roles: ['FIGURE']} ORDER BY c.id
            } AS claims
     UNION
     MATCH (n:Claim {id: $id}) WHERE ${VISIBLE_CLAIM('n')}
     RETURN 'Claim' AS kind, n.summary AS label, [{c: n, roles: ['CLAIM']}] AS claims
     UNION
     MATCH (n:Source {id: $id}) WHERE ${VISIBLE('n')}
     RETURN 'Source' AS kind, n.title AS label,
            COLLECT {
              MATCH (c:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(n)
              WHERE ${VISIBLE_CLAIM('c')}
              WITH DISTINCT c RETURN {c: c, roles: ['SOURCE']} ORDER BY c.id
            } AS claims
     UNION
     MATCH (a:Entity)-[r]->(b:Entity)
     WHERE a.id IN $relationStarts AND r.id = $id AND ${VISIBLE('a')} AND ${VISIBLE('b')}
       AND size(${VISIBLE_CLAIM_IDS('r')}) > 0
     RETURN 'Relation' AS kind,
            type(r) + coalesce(' (' + r.role + ')', '') + ': ' + a.name + ' → ' + b.name AS label,
            COLLECT {
              MATCH (c:Claim) WHERE c.id IN r.claimIds AND ${VISIBLE_CLAIM('c')}
              RETURN {c: c, roles: ['RELATION']} ORDER BY c.id
            } AS claims
   }
   WITH kind, label, claims LIMIT 1
   // One page ($limit claims after the claim with id $after): details are projected for the page only.
   WITH kind, label, claims, size(claims) AS total,
        CASE WHEN $after IS NULL THEN 0
             ELSE head([i IN range(0, size(claims) - 1) WHERE claims[i].c.id = $after]) + 1 END AS start
   WITH kind, label, total, start, CASE WHEN start IS NULL THEN [] ELSE claims[start..start + $limit] END AS page
   CALL (page) {
     UNWIND page AS entry
     WITH entry.c AS c, entry.roles AS roles
     RETURN collect(${CLAIM}) AS projected, collect(roles) AS roles
   }
   RETURN kind, label, projected AS claims, roles, total, start IS NOT NULL AS cursorFound,
          coalesce(start, 0) + size(page) < total AS hasNextPage`,
);

/**
 * The parameters of every conflicts statement; the keyset $after is [subjectId, conflictKey]; $origin
 * (INTERNAL, ACROSS_SOURCES or null for any) keeps the groups with a disagreeing pair of that origin.
 */
export type ConflictsParams = {
  subjectId: string | null;
  origin: string | null;
  after: string[] | null;
  limit: number;
  withTotal: boolean;
  details: boolean;
};

/** Whether the asked subject exists, so that a mistyped id is told apart from a subject without conflicts. */
const subjectExists = `($subjectId IS NULL OR EXISTS { MATCH (vs:Entity {id: $subjectId}) WHERE ${VISIBLE('vs')} })`;

/** Claim variable `c` has a claim disagreeing with it (DISAGREES) of the origin asked for ($origin). */
const DISPUTED = `EXISTS {
       MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
       WHERE ${DISAGREES('c', 'cdOther')} AND ${VISIBLE_CLAIM('cdOther')}
         AND ($origin IS NULL OR ${SHARE_A_SOURCE('c', 'cdOther')} = ($origin = 'INTERNAL'))
     }`;

/**
 * The groups of a page of conflict keys (`page`: [subjectId, conflictKey] pairs), with their live claims,
 * the ids of those compared as of their sources' publication, and whether a disagreeing pair shares a
 * source (internal) or shares none (acrossSources).
 */
const CONFLICT_GROUPS = `CALL (page) {
     UNWIND page AS k
     MATCH (subject:Entity {id: k[0]})
     CALL (subject, k) {
       MATCH (c:Claim)-[:ABOUT]->(subject)
       WHERE c.conflictKey = k[1] AND c.status <> 'retracted' AND ${VISIBLE_CLAIM('c')}
       WITH c ORDER BY c.id
       RETURN collect(${CLAIM}) AS claims,
              collect(CASE WHEN ${IMPLICIT_AS_OF('c')} THEN c.id END) AS implicitAsOf,
              collect(COLLECT {
                MATCH (cdOther:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
                WHERE ${DISAGREES('c', 'cdOther')} AND ${VISIBLE_CLAIM('cdOther')}
                RETURN ${SHARE_A_SOURCE('c', 'cdOther')}
              }) AS origins
     }
     RETURN collect({subjectId: k[0], conflictKey: k[1], subject: ${nodeProjection('subject')}, claims: claims,
                     implicitAsOf: implicitAsOf,
                     internal: any(o IN origins WHERE true IN o), acrossSources: any(o IN origins WHERE false IN o)}) AS groups
   }`;

/**
 * The first page of all conflicts in the graph, without a total: walks the (subjectId, conflictKey) keys in
 * the order of the claim_subject_conflict index and checks each group only until $limit disputed groups
 * are found, instead of checking every claim of the graph first. Same groups, same order as `conflicts`.
 */
export const conflictsPage = statement<ConflictsParams>(
  'provenance.conflictsPage',
  `MATCH (k:Claim)
   WHERE k.subjectId IS NOT NULL AND k.conflictKey IS NOT NULL
     AND ($after IS NULL OR k.subjectId > $after[0] OR (k.subjectId = $after[0] AND k.conflictKey > $after[1]))
   WITH DISTINCT k.subjectId AS subjectId, k.conflictKey AS conflictKey
   ORDER BY subjectId, conflictKey
   WHERE EXISTS {
     MATCH (c:Claim {subjectId: subjectId, conflictKey: conflictKey})
     WHERE c.status <> 'retracted' AND ${VISIBLE_CLAIM('c')} AND ${DISPUTED}
   }
   WITH subjectId, conflictKey LIMIT toInteger($limit)
   WITH collect([subjectId, conflictKey]) AS page
   ${CONFLICT_GROUPS}
   RETURN null AS total, groups, true AS subjectExists`,
);

/**
 * Groups of non-retracted claims sharing (subjectId, conflictKey) in which at least one pair disagrees
 * (the rule of DISAGREES) with the origin asked for ($origin), ordered by that key; a keyset page after $after ([subjectId,
 * conflictKey]) of at most $limit groups, and their number when $withTotal. Always one row.
 */
function conflictsStatement(name: string, match: string) {
  return statement<ConflictsParams>(
    name,
    `${match}
     WHERE c.conflictKey IS NOT NULL AND c.status <> 'retracted' AND ${VISIBLE_CLAIM('c')}
       // Without a total to count, groups before the cursor need not be checked at all.
       AND ($after IS NULL OR $withTotal OR c.subjectId > $after[0]
            OR (c.subjectId = $after[0] AND c.conflictKey > $after[1]))
       AND ${DISPUTED}
     WITH DISTINCT c.subjectId AS subjectId, c.conflictKey AS conflictKey
     ORDER BY subjectId, conflictKey
     WITH collect([subjectId, conflictKey]) AS keys
     WITH CASE WHEN $withTotal THEN size(keys) END AS total,
          [k IN keys WHERE $after IS NULL OR k[0] > $after[0] OR (k[0] = $after[0] AND k[1] > $after[1])][..toInteger($limit)] AS page
     ${CONFLICT_GROUPS}
     RETURN total, groups, ${subjectExists} AS subjectExists`,
  );
}

export const conflicts = conflictsStatement('provenance.conflicts', 'MATCH (c:Claim)');

export const conflictsAbout = conflictsStatement(
  'provenance.conflictsAbout',
  'MATCH (c:Claim)-[:ABOUT]->(:Entity {id: $subjectId})',
);

/** The parameters of every statistics statement (null: no filter). */
export type StatisticsParams = {
  measures: string[] | null;
  subjectIds: string[] | null;
  sourceIds: string[] | null;
  subgroup: string | null;
  sexes: string[] | null;
  ageGroups: string[] | null;
  categories: string[] | null;
  details: boolean;
};

/**
 * Figures grouped by (measure, subject, subgroup, unit), each with its claims (all, by id), the sources
 * of its non-retracted claims and, per live claim, the ids of the claims that disagree with it; a group
 * is disputed when two of its own figures' claims disagree. Figures whose every claim is retracted are
 * left out. Filters: $measures, $sourceIds, $subgroup ('' = whole population), the subgroup's parts
 * ($sexes, $ageGroups, $categories), each null for any. Figures whose subgroups differ in a part are
 * different groups.
 */
function statisticsStatement(name: string, match: string) {
  return statement<StatisticsParams>(
    name,
    `${match}
     WHERE ($measures IS NULL OR f.measure IN $measures) AND ${VISIBLE('f')} AND ${VISIBLE('subject')}
       AND ($subgroup IS NULL OR coalesce(f.subgroup, '') = $subgroup)
       AND ($sexes IS NULL OR f.sex IN $sexes) AND ($ageGroups IS NULL OR f.ageGroup IN $ageGroups)
       AND ($categories IS NULL OR f.category IN $categories)
     CALL (f) {
       MATCH (c:Claim)-[:OBJECT]->(f) WHERE ${VISIBLE_CLAIM('c')}
       WITH c ORDER BY c.id
       RETURN collect(${CLAIM}) AS claims,
              collect(CASE WHEN c.status <> 'retracted'
                THEN {id: c.id, conflictIds: [o IN ${CONFLICTING_CLAIMS} | o.id]} END) AS live
     }
     WITH f, subject, claims, live WHERE size(live) > 0
     WITH f, subject, claims, live, COLLECT {
         MATCH (c:Claim)-[:OBJECT]->(f) WHERE c.status <> 'retracted' AND ${VISIBLE_CLAIM('c')}
         MATCH (c)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(s:Source) WHERE ${VISIBLE('s')}
         WITH DISTINCT s
         RETURN ${SOURCE} ORDER BY s.id
       } AS sources
     WHERE $sourceIds IS NULL OR any(s IN sources WHERE s.id IN $sourceIds)
     WITH f, subject, claims, live, sources
     ORDER BY f.periodEarliest, f.id
     WITH f.measure AS measure, subject, f.subgroup AS subgroup, f.unit AS unit,
          [f.sex, f.ageGroup, f.category] AS parts,
          collect({figure: ${nodeProjection('f')}, claims: claims, live: live, sources: sources}) AS figures
     WITH measure, subject, subgroup, unit, parts, figures,
          reduce(ids = [], v IN figures | ids + [x IN v.live | x.id]) AS ids
     RETURN measure, ${nodeProjection('subject')} AS subject, subgroup, unit, parts, figures,
            any(v IN figures WHERE any(x IN v.live WHERE any(o IN x.conflictIds WHERE o IN ids))) AS disputed
     ORDER BY measure, subject.id, subgroup IS NOT NULL, subgroup, unit,
              [x IN parts | coalesce(x, '')]`,
  );
}

export const statistics = statisticsStatement(
  'provenance.statistics',
  'MATCH (f:Figure)-[:FIGURE_OF]->(subject:Entity)',
);

/**
 * The given subjects and, for an event, the events part of it or carried out under it (1 to 3 hops), through
 * visible events and relationships backed by a visible claim only (VISIBLE_PATH).
 */
export const statisticsAbout = statisticsStatement(
  'provenance.statisticsAbout',
  `MATCH (root:Entity) WHERE root.id IN $subjectIds AND ${VISIBLE('root')}
   CALL (root) {
     RETURN root AS subject
     UNION
     MATCH partOf = (subject:Event)-[:PART_OF|PURSUANT_TO*1..3]->(root:Event)
     WHERE ${VISIBLE_PATH('partOf')}
     RETURN subject
   }
   WITH DISTINCT subject
   MATCH (f:Figure)-[:FIGURE_OF]->(subject)`,
);

/**
 * Figures claimed from the given sources ($sourceIds): starts from the sources instead of every figure.
 * The candidates are figures with any claim citing one of the sources; the shared filter then keeps
 * exactly those whose live, visible claims cite one (as in statistics), so the answer is the same.
 */
export const statisticsFromSources = statisticsStatement(
  'provenance.statisticsFromSources',
  `MATCH (src:Source) WHERE src.id IN $sourceIds
   MATCH (src)<-[:IN_SOURCE]-(:Excerpt)<-[:SUPPORTED_BY]-(:Claim)-[:OBJECT]->(candidate:Figure)
   WITH DISTINCT candidate AS f
   MATCH (f)-[:FIGURE_OF]->(subject:Entity)`,
);
