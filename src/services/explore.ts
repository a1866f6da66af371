import { AppError, badInput, ErrorCode, notFound } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import type { ClaimDetails, ClaimRecord, EntityRecord, FigureRecord, NodeRecord } from '../graph/records.js';
import * as store from '../graph/stores/explore.js';
import type { EdgeRecord, GraphNodeKind, SearchKind } from '../graph/stores/explore.js';
import type { Role } from '../model/enums.js';
import { decodeCursor, pageSize, toPage, type Page } from './pagination.js';
import type { RecordsService } from './records.js';

export type { GraphNodeKind, SearchKind } from '../graph/stores/explore.js';

const SEARCH_KINDS: readonly SearchKind[] = ['EVENT', 'ACTOR', 'PLACE', 'SOURCE', 'EXCERPT', 'FIGURE'];

const SEARCH_PAGE = { default: 20, max: 100 };
const NEIGHBORHOOD_LIMIT = { default: 100, max: 500 };
const PATHS_FIRST = { default: 3, max: store.MAX_PATHS };
const DEPTH = { default: 1, min: 1, max: 3 };
const MAX_LENGTH = { default: 4, min: 1, max: 6 };
/** Longest search query accepted (keeps the Lucene query well under its clause limit). */
const MAX_QUERY_CHARS = 500;

export interface SearchHitRecord {
  score: number;
  kind: SearchKind;
  node: NodeRecord;
  matched: string;
}

export interface SearchResult extends Page<SearchHitRecord> {
  /** Null when the caller did not ask for it (not computed). */
  totalCount: number | null;
}

export interface GraphNodeRecord {
  id: string;
  kind: GraphNodeKind;
  label: string;
  type: string | null;
  distance: number;
  node: NodeRecord;
}

export interface GraphEdgeRecord {
  id: string;
  source: string;
  target: string;
  type: string;
  role: Role | null;
  /** The post held (MEMBER_OF, COMMANDS). */
  position: string | null;
  label: string;
  claims: ClaimRecord[];
}

export interface NeighborhoodResult {
  center: string;
  nodes: GraphNodeRecord[];
  edges: GraphEdgeRecord[];
  truncated: boolean;
}

export interface PathRecord {
  length: number;
  nodes: NodeRecord[];
  hops: GraphEdgeRecord[];
}

export interface PathSearchResult {
  paths: PathRecord[];
  /** A cap of the search left something unread: a shorter path, or one at all, may be missing. */
  truncated: boolean;
}

/** Words of the query for picking the name that matched: lower-cased, fuzzy marks removed. */
function queryTokens(query: string): { word: string; fuzzy: boolean }[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => ({ word: w.replace(/~+$/, ''), fuzzy: w.endsWith('~') }))
    .filter((t) => t.word.length > 0);
}

/** Edit distance, only for short words (fuzzy query tokens against name words). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The name or alias that matched: the first containing a query word (or, for word~, a near spelling). */
function matchedName(entity: EntityRecord, tokens: { word: string; fuzzy: boolean }[]): string {
  const names = [entity.name, ...entity.aliases.map((a) => a.value)];
  const hit = names.find((name) => {
    const lower = name.toLowerCase();
    const words = lower.split(/[\s\p{P}]+/u);
    return tokens.some((t) =>
      t.fuzzy ? words.some((w) => editDistance(w, t.word) <= 2) : lower.includes(t.word),
    );
  });
  return hit ?? entity.name;
}

function matchedText(node: NodeRecord, tokens: { word: string; fuzzy: boolean }[]): string {
  switch (node.__kind) {
    case 'Source':
      return node.title;
    case 'Excerpt':
      return node.exact;
    case 'Figure':
      return [node.text ?? figureLabel(node), node.subgroup].filter(Boolean).join(' · ');
    case 'Event':
    case 'Actor':
    case 'Place':
      return matchedName(node, tokens);
    default:
      return node.id;
  }
}

/** A whole-number argument: default when absent, BAD_USER_INPUT below min, LIMIT_EXCEEDED above max. */
function boundedArg(
  value: number | null | undefined,
  name: string,
  opts: { default: number; min: number; max: number },
): number {
  if (value === null || value === undefined) return opts.default;
  if (!Number.isInteger(value) || value < opts.min)
    throw badInput(`${name} must be an integer from ${opts.min} to ${opts.max}`, [name]);
  if (value > opts.max) {
    throw new AppError(ErrorCode.LIMIT_EXCEEDED, `${name} may be at most ${opts.max}`, {
      inputPath: [name],
      limit: opts.max,
    });
  }
  return value;
}

function requiredId(value: string, name: string): string {
  if (!value.trim()) throw badInput(`${name} must not be empty`, [name]);
  return value;
}

/** A kinds filter: absent means all; an empty list is refused rather than silently matching nothing. */
function kindsArg<K extends string>(kinds: readonly K[] | null | undefined, all: readonly K[]): K[] {
  if (kinds === null || kinds === undefined) return [...all];
  if (kinds.length === 0) throw badInput('kinds must name at least one kind (omit it for all)', ['kinds']);
  return [...new Set(kinds)];
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Display label of a figure, e.g. "people_released: 1,168 (approximately)". */
export function figureLabel(f: FigureRecord): string {
  const unit = f.unit === 'percent' ? '%' : '';
  const amount =
    f.value !== null
      ? `${numberFormat.format(f.value)}${unit}`
      : f.min !== null || f.max !== null
        ? `${f.min !== null ? numberFormat.format(f.min) : '…'}–${f.max !== null ? numberFormat.format(f.max) : '…'}${unit}`
        : (f.text ?? '?');
  return `${f.measure}: ${amount} (${f.qualifier.replace(/_/g, ' ')})`;
}

function graphNode(record: NodeRecord, distance: number): GraphNodeRecord {
  if (record.__kind === 'Figure') {
    return {
      id: record.id,
      kind: 'FIGURE',
      label: figureLabel(record),
      type: record.measure,
      distance,
      node: record,
    };
  }
  if (record.__kind === 'Event' || record.__kind === 'Actor' || record.__kind === 'Place') {
    return {
      id: record.id,
      kind: record.__kind.toUpperCase() as GraphNodeKind,
      label: record.name,
      type: record.type,
      distance,
      node: record,
    };
  }
  throw new Error(`Not a graph node: ${record.id}`);
}

/**
 * Search, neighbourhoods and paths. Arguments are checked before any database work; each call runs one
 * statement and primes the request's loaders with what it returned, so nested fields cost nothing more.
 */
export class ExploreService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
  ) {}

  async search(
    args: {
      query: string;
      kinds?: readonly SearchKind[] | null;
      first?: number | null;
      after?: string | null;
    },
    opts: { withTotal: boolean; withSource: boolean },
  ): Promise<SearchResult> {
    if (!args.query.trim()) throw badInput('query must not be empty', ['query']);
    if (args.query.length > MAX_QUERY_CHARS) {
      throw new AppError(ErrorCode.LIMIT_EXCEEDED, `query may be at most ${MAX_QUERY_CHARS} characters`, {
        inputPath: ['query'],
        limit: MAX_QUERY_CHARS,
      });
    }
    const kinds = kindsArg(args.kinds, SEARCH_KINDS);
    const first = pageSize(args.first, SEARCH_PAGE);
    const cursor = decodeCursor(args.after, 2);
    if (cursor && (typeof cursor[0] !== 'number' || typeof cursor[1] !== 'string'))
      throw badInput('after is not a cursor this field returned', ['after']);
    const found = await store.search(this.executor, {
      words: args.query,
      kinds,
      first,
      afterScore: (cursor?.[0] as number | undefined) ?? null,
      afterId: (cursor?.[1] as string | undefined) ?? null,
      withTotal: opts.withTotal,
      withSource: opts.withSource,
    });
    const tokens = queryTokens(args.query);
    this.records.primeNodes(found.hits.map((h) => h.source));
    const hits = found.hits.map(({ score, kind, node }) => ({
      score,
      kind,
      node,
      matched: matchedText(node, tokens),
    }));
    this.records.primeNodes(hits.map((h) => h.node));
    const page = toPage(
      hits,
      first,
      (h) => [h.score, h.node.id],
      (h) => h,
    );
    return { edges: page.edges, pageInfo: page.pageInfo, totalCount: found.totalCount };
  }

  async neighborhood(
    args: {
      id: string;
      depth?: number | null;
      limit?: number | null;
      kinds?: readonly GraphNodeKind[] | null;
    },
    opts: { withClaims: boolean },
  ): Promise<NeighborhoodResult> {
    const id = requiredId(args.id, 'id');
    const depth = boundedArg(args.depth, 'depth', DEPTH);
    const limit = pageSize(args.limit, NEIGHBORHOOD_LIMIT, 'limit');
    const kinds = args.kinds === null || args.kinds === undefined ? null : kindsArg(args.kinds, []);
    const found = await store.neighborhood(this.executor, {
      id,
      depth,
      limit,
      kinds,
      withClaims: opts.withClaims,
    });
    if (!found) throw notFound('Entity or figure', id);
    const claims = this.primeClaims(found.claims);
    this.records.primeNodes(found.nodes.map((n) => n.node));
    return {
      center: found.nodes[0]!.node.id,
      nodes: found.nodes.map((n) => graphNode(n.node, n.distance)),
      edges: found.edges.map((e) => edge(e, claims)),
      truncated: found.truncated,
    };
  }

  /** Up to `first` shortest paths between two records; see pathSearch. */
  async paths(
    args: { from: string; to: string; maxLength?: number | null; first?: number | null },
    opts: { withClaims: boolean },
  ): Promise<PathRecord[]> {
    return (await this.pathSearch(args, opts)).paths;
  }

  /** Up to `first` shortest paths between two records, and whether a cap of the search cut it. */
  async pathSearch(
    args: { from: string; to: string; maxLength?: number | null; first?: number | null },
    opts: { withClaims: boolean },
  ): Promise<PathSearchResult> {
    const from = requiredId(args.from, 'from');
    const to = requiredId(args.to, 'to');
    const maxLength = boundedArg(args.maxLength, 'maxLength', MAX_LENGTH);
    const first = pageSize(args.first, PATHS_FIRST);
    const found = await store.paths(this.executor, {
      from,
      to,
      maxLength,
      first,
      withClaims: opts.withClaims,
    });
    if (!found.fromFound) throw notFound('Entity or figure', from);
    if (!found.toFound) throw notFound('Entity or figure', to);
    const claims = this.primeClaims(found.claims);
    const paths = found.paths.map((p) => {
      this.records.primeNodes(p.nodes);
      return { length: p.hops.length, nodes: p.nodes, hops: p.hops.map((e) => edge(e, claims)) };
    });
    return { paths, truncated: found.truncated };
  }

  private primeClaims(details: ClaimDetails[]): Map<string, ClaimRecord> {
    const claims = this.records.primeClaimDetails(details);
    return new Map(claims.map((c) => [c.id, c]));
  }
}

/** Claims of an edge come from the primed details; without them (not selected) the list is empty. */
function edge(e: EdgeRecord, claims: Map<string, ClaimRecord>): GraphEdgeRecord {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    type: e.type,
    role: e.role,
    position: e.position,
    label: e.role || e.position ? `${e.type} (${e.role ?? e.position})` : e.type,
    claims: e.claimIds.map((id) => claims.get(id)).filter((c): c is ClaimRecord => c !== undefined),
  };
}
