import type { Role } from '../../model/enums.js';
import type { Executor, Row } from '../executor.js';
import * as q from '../queries/explore.js';
import { decodeClaimDetails, fromProjection, type ClaimDetails, type NodeRecord } from '../records.js';
import { num, str, strs } from '../values.js';

/**
 * Exploration reads: full-text search, neighbourhoods and paths, each one statement, decoded into records.
 * The statements take validated arguments; this module turns them into what Cypher needs (the Lucene
 * query, node labels, the full-text indexes to ask).
 */

export { MAX_PATHS } from '../queries/explore.js';

/**
 * Caps of the hub-aware walks (queries/explore.ts): a neighbourhood lets one node give as many neighbours as
 * the answer may hold and a level take four times that; a path search lets one node give 50 and a level
 * take 250 steps on each side. The work of a request is bounded by these, not by the degree of a hub.
 */
export const NEIGHBORHOOD_LEVEL_FACTOR = 4;
export const PATH_FAN_OUT = 50;
export const PATH_LEVEL_BUDGET = 250;

export type SearchKind = 'EVENT' | 'ACTOR' | 'PLACE' | 'SOURCE' | 'EXCERPT' | 'FIGURE';
export type GraphNodeKind = 'EVENT' | 'ACTOR' | 'PLACE' | 'FIGURE';

const GRAPH_LABELS: Record<GraphNodeKind, string> = {
  EVENT: 'Event',
  ACTOR: 'Actor',
  PLACE: 'Place',
  FIGURE: 'Figure',
};

/** Lucene's special characters; whitespace splits words. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;
const escapeLucene = (s: string) => s.replace(LUCENE_SPECIAL, '\\$&');

/**
 * The user's words as a Lucene query: every special character escaped, except a trailing ~ on a word
 * (fuzzy match). Lower-cased so AND / OR / NOT stay words, not operators (the analyzers lower-case anyway).
 */
export function toLuceneQuery(query: string): string {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (THOUSANDS.test(w) ? [w, w.replace(/,/g, '')] : [w]))
    .map((w) => (w.length > 1 && w.endsWith('~') ? `${escapeLucene(w.slice(0, -1))}~` : escapeLucene(w)))
    .join(' ');
}

/**
 * A number written with thousands separators ("105,000", "1,168"): searched as written (excerpts keep
 * it so) and as digits, as a figure's numbers are indexed (FIGURE_SEARCH_TERMS).
 */
const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;

export interface SearchQuery {
  /** The user's words (a trailing ~ asks for near spellings of a word). */
  words: string;
  kinds: SearchKind[];
  /** Hits to return: one more is read, to tell whether more follow. */
  first: number;
  /** Keyset: the score and id of the last hit shown. */
  afterScore: number | null;
  afterId: string | null;
  withTotal: boolean;
  /** Return each excerpt's source with it. */
  withSource: boolean;
}

export interface SearchHit {
  score: number;
  kind: SearchKind;
  node: NodeRecord;
  /** The excerpt's source, when asked for. */
  source: NodeRecord | null;
}

/**
 * How many hits of each index search reads, widening until its page is found (queries/explore.ts `search`):
 * enough for the page, its ties and some hidden or other-kind hits at first; then 16 times more; then all.
 */
export function searchWindows(first: number): { limit?: number }[] {
  const w = 8 * (first + 1) + 128;
  return [{ limit: w }, { limit: 16 * w }, {}];
}

/** Up to first + 1 hits by score (then id) after the keyset, and their number when asked. */
export async function search(
  executor: Executor,
  s: SearchQuery,
): Promise<{ hits: SearchHit[]; totalCount: number | null }> {
  const [row] = await executor.read(q.search, {
    q: toLuceneQuery(s.words),
    kinds: s.kinds,
    indexes: q.SEARCH_INDEXES.filter((i) => i.kinds.some((k) => s.kinds.includes(k as SearchKind))).map(
      (i) => i.index,
    ),
    windows: searchWindows(s.first),
    first: s.first,
    afterScore: s.afterScore,
    afterId: s.afterId,
    withTotal: s.withTotal,
    withSource: s.withSource,
  });
  const hits = ((row?.hits as Row[] | null) ?? []).flatMap((h): SearchHit[] => {
    const node = fromProjection(h.node);
    const hit = { score: num(h.score) ?? 0, kind: String(h.kind) as SearchKind };
    return node ? [{ ...hit, node, source: fromProjection(h.source) }] : [];
  });
  return { hits, totalCount: num(row?.totalCount) };
}

/** A relationship between two graph nodes, as the walks return it. */
export interface EdgeRecord {
  id: string;
  type: string;
  role: Role | null;
  /** The post held (MEMBER_OF, COMMANDS). */
  position: string | null;
  source: string;
  target: string;
  /** The claims behind it the caller may see (a figure link: its figure's claims). */
  claimIds: string[];
}

function toEdge(map: unknown): EdgeRecord {
  const e = map as Row;
  return {
    id: String(e.id),
    type: String(e.type),
    role: str(e.role) as Role | null,
    position: str(e.position),
    source: String(e.source),
    target: String(e.target),
    claimIds: strs(e.claimIds),
  };
}

const nodes = (v: unknown): NodeRecord[] => ((v as unknown[] | null) ?? []).map((n) => fromProjection(n)!);
const details = (v: unknown): ClaimDetails[] => ((v as unknown[] | null) ?? []).map(decodeClaimDetails);

export interface Neighborhood {
  /** The centre first, then the others by distance and id. */
  nodes: { node: NodeRecord; distance: number }[];
  edges: EdgeRecord[];
  /** The claims behind the edges with their details (withClaims only). */
  claims: ClaimDetails[];
  /** Whether the limit or a cap of the walk left nodes out. */
  truncated: boolean;
}

/** The neighbourhood of an entity or figure, or null when there is none the caller may see. */
export async function neighborhood(
  executor: Executor,
  n: { id: string; depth: number; limit: number; kinds: GraphNodeKind[] | null; withClaims: boolean },
): Promise<Neighborhood | null> {
  const [row] = await executor.read(q.neighborhood(n.depth), {
    id: n.id,
    limit: n.limit,
    fanOut: n.limit,
    levelBudget: NEIGHBORHOOD_LEVEL_FACTOR * n.limit,
    labels: n.kinds && n.kinds.map((k) => GRAPH_LABELS[k]),
    withClaims: n.withClaims,
  });
  if (!row) return null;
  const distances = (row.distances as unknown[] | null) ?? [];
  return {
    nodes: nodes(row.nodes).map((node, i) => ({ node, distance: num(distances[i]) ?? 0 })),
    edges: ((row.edges as unknown[] | null) ?? []).map(toEdge),
    claims: details(row.claims),
    truncated: row.truncated === true,
  };
}

export interface Paths {
  /** Whether each end exists and the caller may see it. */
  fromFound: boolean;
  toFound: boolean;
  paths: { nodes: NodeRecord[]; hops: EdgeRecord[] }[];
  /** The claims behind the hops with their details (withClaims only). */
  claims: ClaimDetails[];
  /** Whether a cap of the walk left steps unread: a shorter path, or one at all, may have been missed. */
  truncated: boolean;
}

/** Up to `first` shortest paths of at most maxLength hops between two entities or figures. */
export async function paths(
  executor: Executor,
  p: { from: string; to: string; maxLength: number; first: number; withClaims: boolean },
): Promise<Paths> {
  const [row] = await executor.read(q.paths(p.maxLength), {
    from: p.from,
    to: p.to,
    first: p.first,
    withClaims: p.withClaims,
    fanOut: PATH_FAN_OUT,
    levelBudget: PATH_LEVEL_BUDGET,
  });
  return {
    fromFound: row?.fromFound === true,
    toFound: row?.toFound === true,
    paths: ((row?.paths as Row[] | null) ?? []).map((found) => ({
      nodes: nodes(found.nodes),
      hops: ((found.hops as unknown[] | null) ?? []).map(toEdge),
    })),
    claims: details(row?.claims),
    truncated: row?.truncated === true,
  };
}
