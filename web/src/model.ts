/**
 * What the explorer shows, derived from the API's answers: pure functions, no DOM, no requests, so they
 * are unit-tested in Node (test/unit/explorer-model.test.ts).
 */
import { ApiError } from './api.js';
import type {
  GraphEdgePartsFragment,
  GraphNodeKind,
  GraphNodePartsFragment,
  PathsQuery,
  ProvenanceQuery,
  SearchQuery,
  ViewerQuery,
} from './generated/graphql.js';
import { formatDate } from './format.js';
import type { ViewState } from './state.js';

export interface ViewNode {
  id: string;
  kind: GraphNodeKind | 'SOURCE' | 'OTHER';
  label: string;
  type: string | null;
  /** A figure another source contradicts. */
  conflict: boolean;
  /** Visible only with clearance: drawn with a dashed outline. */
  sensitivity: string;
  /** Event dates, for the timeline. */
  date: { earliest: string | null; latest: string | null; text: string } | null;
  /** What kind of detention facility a place is, in words ("military prison"); absent or null: none. */
  facilityKind?: string | null;
}

/** A facility kind in words: military_prison → "military prison". */
export const facilityKindLabel = (kind: string): string => kind.replace(/_/g, ' ');

/**
 * Families of relations, drawn alike: the chain of command (units, parent units, commanders, members) and
 * detention (held in, released from, transferred to a facility, and the facility's operator).
 */
export const RELATION_FAMILY: Readonly<Record<string, 'command' | 'detention'>> = {
  MEMBER_OF: 'command',
  SUBORDINATE_TO: 'command',
  COMMANDS: 'command',
  HELD_IN: 'detention',
  RELEASED_FROM: 'detention',
  TRANSFERRED_TO: 'detention',
  OPERATES: 'detention',
};

export type ViewEdge = GraphEdgePartsFragment;

/** The nodes and edges of the path found last, highlighted on the canvas. */
export interface PathIds {
  nodes: string[];
  edges: string[];
}

export type NoticeKind = 'info' | 'warn' | 'error';

export type Provenance = ProvenanceQuery['provenance'];

/** Claims per request: a hub can have thousands, and the page must stay responsive. */
export const CLAIMS_PAGE = 50;

/** Most hops the path finder asks for. */
export const MAX_PATH = 6;

/** Kinds of record the graph can show as nodes (sources and claims are evidence, shown in the panel). */
export const GRAPH_KINDS: ReadonlySet<string> = new Set(['Event', 'Actor', 'Place', 'Figure']);

export function toViewNode(n: GraphNodePartsFragment): ViewNode {
  const node = n.node as Record<string, unknown>;
  const date = node.date as Parameters<typeof formatDate>[0];
  return {
    id: n.id,
    kind: n.kind,
    label: n.label,
    type: n.type ?? null,
    conflict: Array.isArray(node.conflicts) && node.conflicts.length > 0,
    sensitivity: typeof node.sensitivity === 'string' ? node.sensitivity : 'public',
    date:
      n.kind === 'EVENT' && date
        ? { earliest: date.earliest ?? null, latest: date.latest ?? null, text: formatDate(date) }
        : null,
    facilityKind: typeof node.facilityKind === 'string' ? facilityKindLabel(node.facilityKind) : null,
  };
}

const PATH_KINDS: Record<string, ViewNode['kind']> = {
  Event: 'EVENT',
  Actor: 'ACTOR',
  Place: 'PLACE',
  Figure: 'FIGURE',
};

/** A path hop as a node: a path knows less of a record than a neighbourhood does. */
export function pathNode(n: PathsQuery['paths'][number]['nodes'][number]): ViewNode {
  const typename = (n as { __typename?: string }).__typename ?? '';
  const f = n as { name?: string; measure?: string; value?: number | null };
  return {
    id: n.id,
    kind: PATH_KINDS[typename] ?? 'OTHER',
    label: f.name ?? (f.measure ? `${f.measure}: ${f.value ?? '?'}` : n.id),
    type: null,
    conflict: false,
    sensitivity: 'public',
    date: null,
    facilityKind: null,
  };
}

/** The records in view as listed: by kind, then by name. */
export function listOrder(nodes: readonly ViewNode[]): ViewNode[] {
  return [...nodes].sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
}

export type SearchHit = SearchQuery['search']['edges'][number]['node'];

export interface HitView {
  kind: string;
  /** What the hit opens: an excerpt opens its source. */
  target: string;
  title: string;
  /** The words that matched, when they are not the title itself. */
  matched: string | null;
}

export function hitView(hit: SearchHit): HitView {
  const node = hit.node as {
    id: string;
    name?: string;
    title?: string;
    source?: { id: string; title: string };
  };
  // A figure has no name: its words (Figure.text or label, and subgroup) are its title.
  const title =
    node.name ?? node.title ?? node.source?.title ?? (hit.kind === 'FIGURE' ? hit.matched : node.id);
  const target = hit.kind === 'EXCERPT' && node.source ? node.source.id : node.id;
  return { kind: hit.kind, target, title, matched: hit.matched !== title ? hit.matched : null };
}

/** Sources and excerpts are evidence, read in the panel; every other hit opens in the graph. */
export const opensInGraph = (kind: string): boolean => kind !== 'SOURCE' && kind !== 'EXCERPT';

export function expandedMessage(a: {
  name: string;
  nodes: number;
  truncated: boolean;
  limit: number;
  added: number;
}): { text: string; kind: NoticeKind } {
  if (a.truncated)
    return {
      text: `Showing ${a.nodes - 1} neighbours of “${a.name}”; it has more than the limit of ${a.limit}. Raise the limit, or untick kinds to narrow the view.`,
      kind: 'warn',
    };
  return {
    text: a.added
      ? `Expanded “${a.name}”: ${a.nodes - 1} neighbours.`
      : `“${a.name}” has no further neighbours to show.`,
    kind: 'info',
  };
}

export const noPathMessage = (from: string, to: string): string =>
  `No path of at most ${MAX_PATH} hops between “${from}” and “${to}” among the records visible to you.`;

export const pathMessage = (length: number, labels: readonly string[]): string =>
  `Path of ${length} hop(s): ${labels.join(' → ')}`;

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.code})`;
  return `Something went wrong: ${(err as Error).message}`;
}

export function viewerLabel(v: ViewerQuery['viewer']): string {
  return v.role === 'anonymous' ? 'anonymous (public records)' : `${v.name ?? 'key'} — ${v.role}`;
}

/** A file-name-safe timestamp: 2026-11-25T10-00-00. */
export function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

/** The JSON export of the view: what is in it, how it got there, and the link that rebuilds it. */
export function exportDocument(v: {
  now: Date;
  link: string;
  viewer: string | null;
  state: ViewState;
  path: PathIds | null;
  nodes: ViewNode[];
  edges: ViewEdge[];
}) {
  return {
    format: 'hrkg-explorer-view/1',
    exportedAt: v.now.toISOString(),
    link: v.link,
    viewer: v.viewer,
    state: v.state,
    path: v.path,
    nodes: v.nodes,
    edges: v.edges.map(({ id, source, target, type, role, position, label }) => ({
      id,
      source,
      target,
      type,
      role,
      position,
      label,
    })),
  };
}
