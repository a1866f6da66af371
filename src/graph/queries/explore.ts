import { statement, type Statement } from '../executor.js';
import { RELATION_TYPES, assertRelType } from '../../model/graph-model.js';
import {
  CLAIM_DETAILS,
  FIGURE_LINK_TYPES,
  nodeProjection,
  VISIBLE,
  VISIBLE_CLAIM,
  VISIBLE_CLAIM_IDS,
  VISIBLE_NODE,
  VISIBLE_STEP,
} from './fragments.js';

/**
 * Exploration reads: full-text search, neighbourhoods and shortest paths. Each answers a root field in
 * one round trip. Values are parameters; the only interpolations are relationship types from the model's
 * allow-list and validated small integers (path length bounds cannot be parameters in Cypher).
 */

/** Relationship types a graph view walks: entity relations plus the figure links. */
export const GRAPH_REL_TYPES = [...RELATION_TYPES, ...FIGURE_LINK_TYPES] as const;
const REL_PATTERN = GRAPH_REL_TYPES.map(assertRelType).join('|');

/** Full-text indexes over excerpt text and source titles (English, Arabic), queried together; best score per node wins. */
export const TEXT_INDEXES: readonly string[] = ['text_en', 'text_ar'];

/** Bounds Cypher cannot take as parameters: only these validated integers are ever interpolated. */
function boundedInt(n: number, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`Bound out of range: ${n}`);
  return n;
}

/**
 * A GraphEdge as a map (variable: the relationship `r`). Figure links have no stored id or claim ids:
 * their id follows the relation id scheme and their claims are the start figure's own claims.
 */
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

/** Full-text indexes search reads, with the kinds each holds (a record is in one, an excerpt or source in both text indexes). */
export const SEARCH_INDEXES: readonly { index: string; kinds: readonly string[] }[] = [
  { index: 'entity_names', kinds: ['EVENT', 'ACTOR', 'PLACE'] },
  ...TEXT_INDEXES.map((index) => ({ index, kinds: ['SOURCE', 'EXCERPT'] })),
  { index: 'figure_text', kinds: ['FIGURE'] },
];

/** The SearchKind of a node variable. */
const SEARCH_KIND = (n: string) =>
  `CASE WHEN ${n}:Event THEN 'EVENT' WHEN ${n}:Actor THEN 'ACTOR' WHEN ${n}:Place THEN 'PLACE'
        WHEN ${n}:Source THEN 'SOURCE' WHEN ${n}:Excerpt THEN 'EXCERPT' WHEN ${n}:Figure THEN 'FIGURE' END`;

/** A hit `h` ({node, score}, node bound to `n`) is one the caller may get: of a kind asked, visible, after the keyset. */
const SEARCH_WANTED = (h: string, n: string) =>
  `($afterScore IS NULL OR ${h}.score < $afterScore OR (${h}.score = $afterScore AND ${n}.id > $afterId))
   AND ${SEARCH_KIND(n)} IN $kinds AND ${VISIBLE_NODE(n)}`;

/**
 * One page of ranked hits over entity names/aliases, excerpt/source text and figures (their words and
 * numbers: the figure_text index, migration 0010); a figure is found only when visible (VISIBLE_NODE: its
 * claim too). A record's score is its best in any index ($indexes, chosen by $kinds); hits are ordered by
 * score, then id; keyset after ($afterScore, $afterId); $first + 1 hits returned. $q is an escaped Lucene query.
 *
 * It pages before it ranks: each index gives its hits best first, and only a window of them (the next
 * entry of $windows: {limit: n}, the last {} for all) is read. Per index, hits are filtered (kind,
 * clearance, keyset) in score order until $first + 1 are found; those tied with the last of them are then
 * taken again in id order (the page's order among equal scores), with every other hit of that score. A
 * window is enough when, in every index, that page and its ties lie above the window's lowest score, or
 * the index had no more hits; otherwise the next window is read. So the work for a page grows with the
 * page, the hits before it and the hits sharing its last score, not with the number of matches.
 * A record found in two indexes (an excerpt in text_en and text_ar) with its best score at or before the
 * keyset was on an earlier page: it is left out of the later ones whatever its other score.
 *
 * $withTotal counts all hits: that reads and checks every match, so it costs what the match count is.
 * $withSource adds each excerpt's source.
 */
export const search = statement<{
  q: string;
  kinds: string[];
  indexes: readonly string[];
  windows: readonly { limit?: number }[];
  first: number;
  afterScore: number | null;
  afterId: string | null;
  withTotal: boolean;
  withSource: boolean;
}>(
  'explore.search',
  `UNWIND $windows AS window
   CALL (window) {
     UNWIND $indexes AS ix
     CALL (ix, window) {
       CALL db.index.fulltext.queryNodes(ix, $q, window) YIELD node, score
       RETURN collect({node: node, score: score}) AS read
     }
     // floor: the lowest score read, when the window cut the index off (hits above it are all read)
     WITH collect({read: read,
                   floor: CASE WHEN size(read) >= coalesce(window.limit, size(read) + 1) THEN read[-1].score END}) AS lists
     // Records at or before the keyset in any index (their best score put them on an earlier page).
     WITH lists, CASE WHEN $afterScore IS NULL THEN [] ELSE reduce(acc = [], l IN lists | acc +
            [h IN l.read WHERE h.score > $afterScore OR (h.score = $afterScore AND h.node.id <= $afterId) | h.node]) END AS shown
     UNWIND lists AS l
     CALL (l, shown) {
       WITH l, shown, COLLECT {
         UNWIND l.read AS h
         WITH h, h.node AS n WHERE (l.floor IS NULL OR h.score > l.floor) AND NOT n IN shown AND ${SEARCH_WANTED('h', 'n')}
         RETURN h LIMIT toInteger($first) + 1
       } AS top
       WITH l, shown, top, CASE WHEN size(top) > toInteger($first) THEN top[-1].score END AS last
       // The hits tied with the last are taken by id (the page's order), not as the index gave them.
       RETURN l.floor IS NOT NULL AND last IS NULL AS short, [h IN top WHERE last IS NULL OR h.score > last] + COLLECT {
         UNWIND CASE WHEN last IS NULL THEN [] ELSE [h IN l.read WHERE h.score = last] END AS h
         WITH h, h.node AS n ORDER BY n.id
         WITH h, n WHERE h IN top OR (NOT n IN shown AND ${SEARCH_WANTED('h', 'n')})
         RETURN h LIMIT toInteger($first) + 1
       } AS found
     }
     RETURN NOT any(s IN collect(short) WHERE s) AS enough, reduce(acc = [], f IN collect(found) | acc + f) AS found
   }
   WITH found WHERE enough
   LIMIT 1
   CALL (found) {
     UNWIND found AS h
     WITH h.node AS node, max(h.score) AS score
     ORDER BY score DESC, node.id
     LIMIT toInteger($first) + 1
     RETURN collect({node: node, score: score, kind: ${SEARCH_KIND('node')}}) AS page
   }
   CALL () {
     UNWIND CASE WHEN $withTotal THEN $indexes ELSE [] END AS ix
     CALL db.index.fulltext.queryNodes(ix, $q) YIELD node
     WITH DISTINCT node WHERE ${SEARCH_KIND('node')} IN $kinds AND ${VISIBLE_NODE('node')}
     RETURN CASE WHEN $withTotal THEN count(node) END AS totalCount
   }
   RETURN totalCount, COLLECT {
     UNWIND page AS h
     WITH h, h.node AS n
     OPTIONAL MATCH (n:Excerpt)-[:IN_SOURCE]->(src:Source) WHERE ${VISIBLE('src')}
     RETURN {score: h.score, kind: h.kind, node: ${nodeProjection('n', ', sourceId: src.id')},
             source: CASE WHEN $withSource AND src IS NOT NULL THEN ${nodeProjection('src')} END}
   } AS hits`,
);

/**
 * Hub-aware walks (issue #17). A security branch or a town is linked to a share of all events, so a walk
 * that follows every relationship of every node it reaches does work that grows with the graph. These
 * walks go level by level and cap the work of each level instead:
 *
 * - a node gives at most $fanOut neighbours per step: first over the structural relationships (PART_OF,
 *   MEMBER_OF, COMMANDS, ...), then over the mass ones (MASS_REL_TYPES: an event's actors, place and
 *   figures), each in the store's own order of that node's relationships (deterministic for a given store;
 *   it is not a ranking). Reading stops at $fanOut + 1: only the first neighbours of a hub are ever read;
 * - a level takes at most $levelBudget steps, from its nodes in id order.
 *
 * Only visible steps count (VISIBLE_STEP), so a hidden record or relationship neither appears nor uses up a
 * cap. Whenever a cap left something unread the answer says `truncated`. Without a cap being reached the
 * walk sees exactly what a full breadth-first walk sees: the same nodes at the same (shortest) distances.
 */
export const MASS_REL_TYPES = ['INVOLVED_IN', 'OCCURRED_IN', 'FIGURE_OF'] as const;
const STRUCTURE_PATTERN = GRAPH_REL_TYPES.filter((t) => !(MASS_REL_TYPES as readonly string[]).includes(t))
  .map(assertRelType)
  .join('|');
const MASS_PATTERN = MASS_REL_TYPES.map(assertRelType).join('|');

/** Parameters of every capped walk. */
type WalkCaps = {
  /** Most neighbours one node gives per step. */
  fanOut: number;
  /** Most steps one level takes. */
  levelBudget: number;
};

/**
 * One level of a capped walk: from `frontier` (a list of {n, hp} in node id order) to the nodes not in
 * `seen`, as `level` (a list of {n, hp}, by id) and `levelCut` (a cap left steps unread). hp: the walks
 * (node and relationship lists) that reach the node, at most MAX_PATHS, each extended by the step; `[]`
 * when the caller needs none.
 */
function capLevel(frontier: string, seen: string, level: string, levelCut: string): string {
  return `CALL (${frontier}, ${seen}) {
         WITH ${frontier} AS fr, ${seen} AS sn, COLLECT {
           UNWIND ${frontier} AS e
           CALL (e) {
             WITH e.n AS a
             CALL (a) {
               MATCH (a)-[s:${STRUCTURE_PATTERN}]-(b) WHERE ${VISIBLE_STEP('s', 'b')}
               RETURN s, b
               UNION ALL
               MATCH (a)-[s:${MASS_PATTERN}]-(b) WHERE ${VISIBLE_STEP('s', 'b')}
               RETURN s, b
             }
             WITH s, b LIMIT toInteger($fanOut) + 1
             RETURN collect({s: s, b: b}) AS steps
           }
           UNWIND range(0, size(steps) - 1) AS i
           RETURN {e: e, s: steps[i].s, b: steps[i].b, over: i >= toInteger($fanOut)} AS x
           LIMIT toInteger($levelBudget) + 1
         } AS xs
         WITH sn, xs, [x IN xs[0..toInteger($levelBudget)] WHERE NOT x.over] AS used
         RETURN size(xs) > toInteger($levelBudget) OR any(x IN xs WHERE x.over) AS ${levelCut}, COLLECT {
           UNWIND used AS x
           WITH x WHERE NOT x.b IN sn
           WITH x.b AS n, collect(x) AS ins ORDER BY n.id
           // At most MAX_PATHS walks per node: stop extending once that many are kept.
           RETURN {n: n, hp: reduce(acc = [], x IN ins | CASE WHEN size(acc) >= ${MAX_PATHS} THEN acc
             ELSE acc + [h IN x.e.hp | {ns: h.ns + [n], rs: h.rs + [x.s]}] END)[0..${MAX_PATHS}]}
         } AS ${level}
       }`;
}

/**
 * The relationships between the nodes of `ns` (each once, from its start node), without reading a hub's
 * relationships: a node with more of them than there are nodes in `ns` is joined to each node of `ns`
 * instead (Expand(Into), which reads the smaller side).
 */
function relationshipsAmong(ns: string): string {
  return `UNWIND ${ns} AS na
         CALL (na, ${ns}) {
           WITH na WHERE COUNT { (na)-[:${REL_PATTERN}]->() } <= size(${ns})
           MATCH (na)-[r:${REL_PATTERN}]->(nb) WHERE nb IN ${ns}
           RETURN r
           UNION ALL
           WITH na WHERE COUNT { (na)-[:${REL_PATTERN}]->() } > size(${ns})
           UNWIND ${ns} AS nb
           MATCH (na)-[r:${REL_PATTERN}]->(nb)
           RETURN r
         }`;
}

type NeighborhoodParams = WalkCaps & {
  id: string;
  limit: number;
  labels: string[] | null;
  withClaims: boolean;
};
const neighborhoodByDepth = new Map<number, Statement<NeighborhoodParams>>();

/** Node variable `n` is of a kind asked for ($labels, or null for all). */
const WANTED = (n: string) => `($labels IS NULL OR any(l IN labels(${n}) WHERE l IN $labels))`;

/**
 * The centre ($id: an entity or figure) and up to $limit - 1 other nodes by distance (ties by id), within
 * `depth` hops over GRAPH_REL_TYPES in either direction, walked with the caps above; $labels (or null)
 * filters the others. A level is walked only while fewer than $limit wanted nodes are found (one more than
 * kept: it tells that the limit cut some off). Edges: every relationship between returned nodes, with
 * claims when $withClaims. `truncated`: the limit or a cap left nodes out.
 */
export function neighborhood(depth: number): Statement<NeighborhoodParams> {
  const d = boundedInt(depth, 1, 3);
  let stmt = neighborhoodByDepth.get(d);
  if (!stmt) {
    const levels = Array.from({ length: d }, (_, k) => {
      const i = k + 1;
      return `WITH center, seen, found, cut,
            CASE WHEN size([f IN found WHERE ${WANTED('f.n')}]) < toInteger($limit) THEN frontier ELSE [] END AS frontier
       ${capLevel('frontier', 'seen', 'level', 'levelCut')}
       WITH center, seen + [x IN level | x.n] AS seen, level AS frontier,
            found + [x IN level | {n: x.n, distance: ${i}}] AS found, cut OR levelCut AS cut`;
    }).join('\n       ');
    stmt = statement<NeighborhoodParams>(
      `explore.neighborhood.depth${d}`,
      `CALL () {
         MATCH (x:Entity {id: $id}) RETURN x AS center
         UNION
         MATCH (x:Figure {id: $id}) RETURN x AS center
       }
       WITH center WHERE ${VISIBLE_NODE('center')}
       WITH center, [center] AS seen, [{n: center, hp: []}] AS frontier, [] AS found, false AS cut
       ${levels}
       WITH center, cut, [f IN found WHERE ${WANTED('f.n')}] AS wanted
       WITH center, wanted[0..toInteger($limit) - 1] AS kept, cut OR size(wanted) >= toInteger($limit) AS truncated
       WITH truncated, [center] + [f IN kept | f.n] AS ns, [0] + [f IN kept | f.distance] AS distances
       WITH truncated, ns, distances, COLLECT {
         ${relationshipsAmong('ns')}
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

type PathsParams = WalkCaps & { from: string; to: string; first: number; withClaims: boolean };
const pathsByLength = new Map<number, Statement<PathsParams>>();

/** Most paths a paths query returns, and most walks kept per node on each side. */
export const MAX_PATHS = 10;

/** One side of a path search: `depth` capped levels from `start`, into `all` (with hp) and `cut`. */
function pathSide(start: string, depth: number, all: string, cut: string, keep: string): string {
  const levels = Array.from(
    { length: depth },
    () => `${capLevel('frontier', 'seen', 'level', 'levelCut')}
       WITH ${keep}, seen + [x IN level | x.n] AS seen, level AS frontier, ${all} + level AS ${all}, ${cut} OR levelCut AS ${cut}`,
  ).join('\n       ');
  return `WITH ${keep}, CASE WHEN ${start} IS NULL THEN [] ELSE [{n: ${start}, hp: [{ns: [${start}], rs: []}]}] END AS frontier
       WITH ${keep}, frontier, [x IN frontier | x.n] AS seen, frontier AS ${all}, false AS ${cut}
       ${levels}`;
}

/**
 * Up to $first paths (no repeated node) of at most `maxLength` hops between $from and $to (entities or
 * figures), shortest first, then by the ids along them; with claims when $withClaims. Both ends walk
 * capped levels towards each other (ceil(maxLength / 2) from $from, the rest from $to) and the paths are
 * joined where the walks meet: when no cap was reached (`truncated` false) the shortest path is found
 * whenever one exists. fromFound/toFound tell an unknown id from the absence of a path.
 */
export function paths(maxLength: number): Statement<PathsParams> {
  const m = boundedInt(maxLength, 1, 6);
  let stmt = pathsByLength.get(m);
  if (!stmt) {
    const fromDepth = Math.ceil(m / 2);
    const toDepth = m - fromDepth;
    stmt = statement<PathsParams>(
      `explore.paths.max${m}`,
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
       ${pathSide('fromNode', fromDepth, 'fromAll', 'fromCut', 'fromNode, toNode')}
       ${pathSide('toNode', toDepth, 'toAll', 'toCut', 'fromNode, toNode, fromAll, fromCut')}
       WITH fromNode, toNode, fromCut OR toCut AS truncated, COLLECT {
         // Join the walks where they meet: a node reached from both ends.
         UNWIND [x IN fromAll | {side: 0, x: x}] + [x IN toAll | {side: 1, x: x}] AS t
         WITH t.x.n AS meet, collect(t) AS ts
         WITH [t IN ts WHERE t.side = 0 | t.x][0] AS fx, [t IN ts WHERE t.side = 1 | t.x][0] AS tx
         WHERE fx IS NOT NULL AND tx IS NOT NULL
         UNWIND fx.hp AS fh
         UNWIND tx.hp AS th
         WITH fh.ns + reverse(th.ns)[1..] AS ns, fh.rs + reverse(th.rs) AS rs
         WHERE all(i IN range(0, size(ns) - 1) WHERE NOT ns[i] IN ns[i + 1..])
         WITH DISTINCT ns, rs
         // Every hop is backed by a claim the caller may see: each step was (VISIBLE_STEP).
         WITH ns, rs ORDER BY size(rs), [n IN ns | n.id], [r IN rs | coalesce(r.id, type(r))] LIMIT toInteger($first)
         RETURN {
           nodes: [n IN ns | ${nodeProjection('n')}],
           hops: [r IN rs | ${EDGE}]
         }
       } AS found
       RETURN fromNode IS NOT NULL AS fromFound, toNode IS NOT NULL AS toFound, found AS paths, truncated,
              ${EDGE_CLAIMS('reduce(acc = [], fp IN found | acc + fp.hops)')} AS claims`,
    );
    pathsByLength.set(m, stmt);
  }
  return stmt;
}
