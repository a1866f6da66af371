import { AppError, badInput, ErrorCode, notFound } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import * as q from '../graph/queries/explore.js';
import {
  fromProjection,
  type ClaimRecord,
  type EntityRecord,
  type FigureRecord,
  type NodeRecord,
} from '../graph/records.js';
import type { Role } from '../model/enums.js';
import { decodeCursor, pageSize, toPage, type Page } from './pagination.js';
import type { RecordsService } from './records.js';

export type SearchKind = 'EVENT' | 'ACTOR' | 'PLACE' | 'SOURCE' | 'EXCERPT';
export type GraphNodeKind = 'EVENT' | 'ACTOR' | 'PLACE' | 'FIGURE';

const SEARCH_KINDS: readonly SearchKind[] = ['EVENT', 'ACTOR', 'PLACE', 'SOURCE', 'EXCERPT'];
const GRAPH_LABELS: Record<GraphNodeKind, string> = {
  EVENT: 'Event',
  ACTOR: 'Actor',
  PLACE: 'Place',
  FIGURE: 'Figure',
};

const SEARCH_PAGE = { default: 20, max: 100 };
const NEIGHBORHOOD_LIMIT = { default: 100, max: 500 };
const PATHS_FIRST = { default: 3, max: q.MAX_PATHS };
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

interface EdgeRow {
  id: string;
  type: string;
  role: Role | null;
  source: string;
  target: string;
  claimIds: string[];
}

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
    .map((w) => (w.length > 1 && w.endsWith('~') ? `${escapeLucene(w.slice(0, -1))}~` : escapeLucene(w)))
    .join(' ');
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
    const lucene = toLuceneQuery(args.query);
    const [row] = await this.executor.read(q.search, {
      q: lucene,
      kinds,
      textIndexes: q.TEXT_INDEXES,
      first,
      afterScore: cursor?.[0] ?? null,
      afterId: cursor?.[1] ?? null,
      withTotal: opts.withTotal,
      withSource: opts.withSource,
    });
    const tokens = queryTokens(args.query);
    const hits = ((row?.hits as { score: number; kind: SearchKind; node: unknown; source: unknown }[]) ?? [])
      .map((h) => {
        const node = fromProjection(h.node);
        if (h.source) this.records.primeNodes([fromProjection(h.source)]);
        return node && { score: h.score, kind: h.kind, node, matched: matchedText(node, tokens) };
      })
      .filter((h): h is SearchHitRecord => h !== null);
    this.records.primeNodes(hits.map((h) => h.node));
    const page = toPage(
      hits,
      first,
      (h) => [h.score, h.node.id],
      (h) => h,
    );
    return {
      edges: page.edges,
      pageInfo: page.pageInfo,
      totalCount: typeof row?.totalCount === 'number' ? row.totalCount : null,
    };
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
    const labels =
      args.kinds === null || args.kinds === undefined
        ? null
        : kindsArg(args.kinds, []).map((k) => GRAPH_LABELS[k]);
    const [row] = await this.executor.read(q.neighborhood(depth), {
      id,
      limit,
      labels,
      withClaims: opts.withClaims,
    });
    if (!row) throw notFound('Entity or figure', id);
    const claims = this.primeClaims(row.claims);
    const records = (row.nodes as unknown[]).map((n) => fromProjection(n)!);
    this.records.primeNodes(records);
    const distances = row.distances as number[];
    return {
      center: records[0]!.id,
      nodes: records.map((r, i) => graphNode(r, distances[i]!)),
      edges: (row.edges as EdgeRow[]).map((e) => this.edge(e, claims)),
      truncated: row.truncated === true,
    };
  }

  async paths(
    args: { from: string; to: string; maxLength?: number | null; first?: number | null },
    opts: { withClaims: boolean },
  ): Promise<PathRecord[]> {
    const from = requiredId(args.from, 'from');
    const to = requiredId(args.to, 'to');
    const maxLength = boundedArg(args.maxLength, 'maxLength', MAX_LENGTH);
    const first = pageSize(args.first, PATHS_FIRST);
    const [row] = await this.executor.read(q.paths(maxLength), {
      from,
      to,
      first,
      withClaims: opts.withClaims,
    });
    if (!row?.fromFound) throw notFound('Entity or figure', from);
    if (!row.toFound) throw notFound('Entity or figure', to);
    const claims = this.primeClaims(row.claims);
    return (row.paths as { nodes: unknown[]; hops: EdgeRow[] }[]).map((p) => {
      const nodes = p.nodes.map((n) => fromProjection(n)!);
      this.records.primeNodes(nodes);
      return { length: p.hops.length, nodes, hops: p.hops.map((e) => this.edge(e, claims)) };
    });
  }

  private primeClaims(details: unknown): Map<string, ClaimRecord> {
    const claims = this.records.primeClaimDetails((details as unknown[]) ?? []);
    return new Map(claims.map((c) => [c.id, c]));
  }

  /** Claims of an edge come from the primed details; without them (not selected) the list is empty. */
  private edge(e: EdgeRow, claims: Map<string, ClaimRecord>): GraphEdgeRecord {
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      type: e.type,
      role: e.role ?? null,
      label: e.role ? `${e.type} (${e.role})` : e.type,
      claims: e.claimIds.map((id) => claims.get(id)).filter((c): c is ClaimRecord => c !== undefined),
    };
  }
}
