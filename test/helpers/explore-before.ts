import { statement, type Statement } from '../../src/graph/executor.js';
import { RELATION_TYPES, assertRelType } from '../../src/model/graph-model.js';
import {
  CLAIM_DETAILS,
  FIGURE_LINK_TYPES,
  nodeProjection,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_NODE,
  VISIBLE_STEP,
} from '../../src/graph/queries/fragments.js';

/**
 * The neighbourhood and paths statements as they were before hub-aware traversal (issue #17): full
 * shortest-path walks through every neighbour of every node. Kept only so that tests can show the capped
 * walks give the same answers (same ids, same order) wherever no cap cut anything.
 */

const REL_PATTERN = [...RELATION_TYPES, ...FIGURE_LINK_TYPES].map(assertRelType).join('|');

function boundedInt(n: number, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`Bound out of range: ${n}`);
  return n;
}

/** A GraphEdge as a map (variable: the relationship `r`). */
const EDGE = `{
    id: coalesce(r.id, 'rel-' + toLower(type(r)) + '-' + startNode(r).id + '-' + endNode(r).id),
    type: type(r), role: r.role, position: r.position, source: startNode(r).id, target: endNode(r).id,
    claimIds: CASE WHEN 'Figure' IN labels(startNode(r))
      THEN COLLECT { WITH startNode(r) AS fig MATCH (cl:Claim)-[:OBJECT]->(fig) WHERE ${VISIBLE_CLAIM('cl')} RETURN cl.id ORDER BY cl.id }
      ELSE ${VISIBLE_CLAIM_IDS('r')} END
  }`;

/** Claims (with CLAIM_DETAILS) behind a list of edge maps bound to `edgeList`, only when $withClaims. */
const EDGE_CLAIMS = (edgeList: string) => `COLLECT {
    UNWIND CASE WHEN $withClaims THEN ${edgeList} ELSE [] END AS edge
    UNWIND edge.claimIds AS cid
    WITH DISTINCT cid
    MATCH (c:Claim {id: cid})
    RETURN ${CLAIM_DETAILS} ORDER BY c.id
  }`;

type NeighborhoodParams = { id: string; limit: number; labels: string[] | null; withClaims: boolean };
const neighborhoodByDepth = new Map<number, Statement<NeighborhoodParams>>();

/**
 * The centre ($id: an entity or figure) and up to $limit - 1 other nodes by shortest distance (ties by id),
 * within `depth` hops over GRAPH_REL_TYPES in either direction; $labels (or null) filters the others.
 * One extra node is fetched to tell whether the limit cut any off. Edges: every relationship between
 * returned nodes, with claims when $withClaims.
 */
export function neighborhood(depth: number): Statement<NeighborhoodParams> {
  const d = boundedInt(depth, 1, 3);
  let stmt = neighborhoodByDepth.get(d);
  if (!stmt) {
    stmt = statement<NeighborhoodParams>(
      `reference.neighborhood.depth${d}`,
      `CALL () {
         MATCH (x:Entity {id: $id}) RETURN x AS center
         UNION
         MATCH (x:Figure {id: $id}) RETURN x AS center
       }
       WITH center WHERE ${VISIBLE_NODE('center')}
       WITH center, COLLECT {
         // Walk only through records and relationships the caller may see (VISIBLE_STEP): a hidden record
         // or a relationship backed only by hidden claims does not even connect others.
         MATCH p = ANY SHORTEST (center) ((a)-[step:${REL_PATTERN}]-(b) WHERE ${VISIBLE_STEP('step', 'b')}){1,${d}} (n)
         WHERE n <> center AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)) AND ${VISIBLE_NODE('n')}
         WITH n, length(p) AS distance ORDER BY distance, n.id LIMIT toInteger($limit)
         RETURN {n: n, distance: distance}
       } AS found
       WITH center, found[0..toInteger($limit) - 1] AS kept, size(found) >= toInteger($limit) AS truncated
       WITH truncated, [center] + [f IN kept | f.n] AS ns, [0] + [f IN kept | f.distance] AS distances
       WITH truncated, ns, distances, COLLECT {
         UNWIND ns AS na
         MATCH (na)-[r:${REL_PATTERN}]->(nb) WHERE nb IN ns
         WITH r ORDER BY type(r), startNode(r).id, endNode(r).id, r.role
         WITH ${EDGE} AS edge WHERE size(edge.claimIds) > 0
         RETURN edge
       } AS edges
       RETURN truncated, distances, [n IN ns | ${nodeProjection('n')}] AS nodes, edges,
              ${EDGE_CLAIMS('edges')} AS claims`,
    );
    neighborhoodByDepth.set(d, stmt);
  }
  return stmt;
}

type PathsParams = { from: string; to: string; first: number; withClaims: boolean };
const pathsByLength = new Map<number, Statement<PathsParams>>();

/** Most paths a paths query considers before ordering; `first` (at most this) is applied after. */
const MAX_PATHS = 10;

/**
 * Up to $first shortest paths (no repeated node) of at most `maxLength` hops between $from and $to
 * (entities or figures), shortest first, then by the ids along them; with claims when $withClaims.
 * fromFound/toFound tell an unknown id from the absence of a path.
 */
export function paths(maxLength: number): Statement<PathsParams> {
  const m = boundedInt(maxLength, 1, 6);
  let stmt = pathsByLength.get(m);
  if (!stmt) {
    stmt = statement<PathsParams>(
      `reference.paths.max${m}`,
      `OPTIONAL CALL () {
         MATCH (x:Entity {id: $from}) RETURN x AS fromNode
         UNION
         MATCH (x:Figure {id: $from}) RETURN x AS fromNode
       }
       OPTIONAL CALL () {
         MATCH (x:Entity {id: $to}) RETURN x AS toNode
         UNION
         MATCH (x:Figure {id: $to}) RETURN x AS toNode
       }
       WITH CASE WHEN fromNode IS NOT NULL AND ${VISIBLE_NODE('fromNode')} THEN fromNode END AS fromNode,
            CASE WHEN toNode IS NOT NULL AND ${VISIBLE_NODE('toNode')} THEN toNode END AS toNode
       WITH fromNode, toNode, COLLECT {
         MATCH p = SHORTEST ${MAX_PATHS} (fromNode) ((a)-[step:${REL_PATTERN}]-(b) WHERE ${VISIBLE_STEP('step', 'b')}){0,${m}} (toNode)
         WITH p WHERE all(i IN range(0, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
         // A hop the caller sees no claim for is not offered as evidence of a connection.
         WITH p, [r IN relationships(p) | ${EDGE}] AS hops
         WHERE all(h IN hops WHERE size(h.claimIds) > 0)
         WITH p, hops ORDER BY length(p), [n IN nodes(p) | n.id] LIMIT toInteger($first)
         RETURN {
           nodes: [n IN nodes(p) | ${nodeProjection('n')}],
           hops: hops
         }
       } AS found
       RETURN fromNode IS NOT NULL AS fromFound, toNode IS NOT NULL AS toFound, found AS paths,
              ${EDGE_CLAIMS('reduce(acc = [], fp IN found | acc + fp.hops)')} AS claims`,
    );
    pathsByLength.set(m, stmt);
  }
  return stmt;
}
