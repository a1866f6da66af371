import { statement } from '../executor.js';
import {
  CLAIM_DETAILS,
  DISAGREES,
  EMBEDDED_CLAIMS,
  SOURCE_PROPERTIES,
  SUPERSEDES_FOR_CALLER,
  VISIBLE,
  VISIBLE_CLAIM,
  VISIBLE_ATTRIBUTION,
  VISIBLE_CLAIM_IDS,
  VISIBLE_FIGURE,
  VISIBLE_NODE,
} from './fragments.js';

/** The ids a batched statement answers for, one row per id it finds. */
type Ids = { ids: string[] };

/**
 * Batched reads behind the per-request DataLoaders: each takes a list of ids ($ids) and answers for all
 * of them in one round trip, so a GraphQL level costs one statement however many parents it has.
 */

/** Any record by id; each branch uses its label's unique-id index. */
export const nodesById = statement<Ids>(
  'records.nodesById',
  `UNWIND $ids AS id
   CALL (id) {
     MATCH (n:Entity {id: id}) RETURN n
     UNION MATCH (n:Claim {id: id}) RETURN n
     UNION MATCH (n:Figure {id: id}) RETURN n
     UNION MATCH (n:Excerpt {id: id}) RETURN n
     UNION MATCH (n:Source {id: id}) RETURN n
   }
   WITH id, n WHERE ${VISIBLE_NODE('n')}
   OPTIONAL MATCH (n:Excerpt)-[:IN_SOURCE]->(s:Source)
   RETURN id, CASE WHEN n:Source THEN n {${SOURCE_PROPERTIES}} ELSE n {.*, sourceId: s.id} END AS props, labels(n) AS labels`,
);

/**
 * An entity with the claims about it and their details (CLAIM_DETAILS), for `node(id)` when the query
 * asks for the entity's claims: the whole evidence in one round trip. Claims in claimsAbout's order.
 */
export const entityWithClaims = statement<{ id: string }>(
  'records.entityWithClaims',
  `MATCH (n:Entity {id: $id}) WHERE ${VISIBLE('n')}
   RETURN n {.*} AS props, labels(n) AS labels,
          COLLECT {
            MATCH (c:Claim)-[:ABOUT]->(n) WHERE ${VISIBLE_CLAIM('c')}
            WITH c ORDER BY c.fact, c.id LIMIT ${EMBEDDED_CLAIMS}
            RETURN ${CLAIM_DETAILS}
          } AS claims`,
);

export const claimsAbout = statement<Ids>(
  'records.claimsAbout',
  `UNWIND $ids AS id
   MATCH (c:Claim)-[:ABOUT]->(:Entity {id: id})
   WHERE ${VISIBLE_CLAIM('c')}
   WITH id, c ORDER BY c.fact, c.id
   RETURN id, collect(c {.*}) AS claims`,
);

export const figuresOf = statement<Ids>(
  'records.figuresOf',
  `UNWIND $ids AS id
   MATCH (f:Figure)-[:FIGURE_OF]->(:Entity {id: id})
   WHERE ${VISIBLE_FIGURE('f')}
   WITH id, f ORDER BY f.measure, f.subgroup, f.id
   RETURN id, collect(f {.*}) AS figures`,
);

/** Relationships of the model's allow-list only ($types comes from RELATION_TYPES, filtered by the caller). */
export const relationsOf = statement<{ ids: string[]; types: readonly string[] }>(
  'records.relationsOf',
  `UNWIND $ids AS id
   MATCH (e:Entity {id: id})-[r]-(o:Entity)
   WHERE type(r) IN $types AND ${VISIBLE('o')}
   WITH id, r, startNode(r) AS a, endNode(r) AS b, ${VISIBLE_CLAIM_IDS('r')} AS claimIds
   WHERE size(claimIds) > 0
   ORDER BY type(r), r.role, a.id, b.id
   RETURN id, collect({id: r.id, type: type(r), role: r.role, position: r.position, fromId: a.id, toId: b.id,
                       claimIds: claimIds}) AS relations`,
);

export const excerptsOfClaims = statement<Ids>(
  'records.excerptsOfClaims',
  `UNWIND $ids AS id
   MATCH (:Claim {id: id})-[:SUPPORTED_BY]->(e:Excerpt)-[:IN_SOURCE]->(s:Source)
   WHERE ${VISIBLE('s')}
   WITH id, e, s ORDER BY s.id, e.start
   RETURN id, collect(e {.*, sourceId: s.id}) AS excerpts`,
);

export const attributionOfClaims = statement<Ids>(
  'records.attributionOfClaims',
  `UNWIND $ids AS id
   MATCH (c:Claim {id: id})
   RETURN id, ${VISIBLE_ATTRIBUTION('c', 'at', 'agentId', (a) => `${a}.id`)} AS hops`,
);

/** Claims on the same subject and measure whose value intervals are disjoint (see ClaimRow.valueLow). */
export const conflictsOfClaims = statement<Ids>(
  'records.conflictsOfClaims',
  `UNWIND $ids AS id
   MATCH (c:Claim {id: id}) WHERE c.conflictKey IS NOT NULL
   MATCH (o:Claim {conflictKey: c.conflictKey, subjectId: c.subjectId})
   WHERE ${DISAGREES('c', 'o')} AND ${VISIBLE_CLAIM('o')}
   WITH id, o ORDER BY o.id
   RETURN id, collect(o {.*}) AS claims`,
);

/** The claims (the caller may see) of later releases of a dataset that supersede each claim. */
export const supersedingClaims = statement<Ids>(
  'records.supersedingClaims',
  `UNWIND $ids AS id
   MATCH (:Claim {id: id})<-[:SUPERSEDES]-(n:Claim)
   WHERE ${SUPERSEDES_FOR_CALLER('n')} AND ${VISIBLE_CLAIM('n')}
   WITH id, n ORDER BY n.id
   RETURN id, collect(n {.*}) AS claims`,
);

/** The claims (the caller may see) of earlier releases that each claim supersedes. */
export const supersededClaims = statement<Ids>(
  'records.supersededClaims',
  `UNWIND $ids AS id
   MATCH (:Claim {id: id})-[:SUPERSEDES]->(o:Claim)
   WHERE ${VISIBLE_CLAIM('o')}
   WITH id, o ORDER BY o.id
   RETURN id, collect(o {.*}) AS claims`,
);

export const claimsOfFigures = statement<Ids>(
  'records.claimsOfFigures',
  `UNWIND $ids AS id
   MATCH (c:Claim)-[:OBJECT]->(:Figure {id: id})
   WHERE ${VISIBLE_CLAIM('c')}
   WITH id, c ORDER BY c.id
   RETURN id, collect(c {.*}) AS claims`,
);

export const figureLinks = statement<Ids>(
  'records.figureLinks',
  `UNWIND $ids AS id
   MATCH (f:Figure {id: id})
   OPTIONAL MATCH (f)-[:SHARE_OF]->(whole:Figure) WHERE ${VISIBLE_FIGURE('whole')}
   OPTIONAL MATCH (f)-[:DURING]->(e:Event) WHERE ${VISIBLE('e')}
   RETURN id, whole.id AS shareOfId, e.id AS duringId`,
);

export const publishersOf = statement<Ids>(
  'records.publishersOf',
  `UNWIND $ids AS id
   MATCH (:Source {id: id})-[:PUBLISHED_BY]->(a:Actor)
   WHERE ${VISIBLE('a')}
   RETURN id, a.id AS publisherId`,
);

/**
 * Source texts, or slices of them by code point ($start inclusive, $end exclusive; both null for the whole text:
 * Cypher's substring counts code points, as excerpt offsets do). The only statement that reads a
 * source's text for the API; one row per visible source.
 */
export const sourceTexts = statement<{ ids: string[]; start: number | null; end: number | null }>(
  'records.sourceTexts',
  `UNWIND $ids AS id
   MATCH (s:Source {id: id}) WHERE ${VISIBLE('s')}
   RETURN id, s.length AS length,
          CASE WHEN $start IS NULL THEN s.text ELSE substring(s.text, $start, $end - $start) END AS text`,
);
