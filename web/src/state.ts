/**
 * The view's state, kept in the URL fragment so a link reproduces the view: which records were opened
 * (and expanded) in order, the selection, the kind filter, the path finder's ends and the last search.
 * The fragment never reaches the server, and the API key is never part of it.
 */
import type { GraphNodeKind } from './generated/graphql.js';

export const ALL_KINDS: GraphNodeKind[] = ['EVENT', 'ACTOR', 'PLACE', 'FIGURE'];
export const LIMITS = [10, 25, 50, 100, 250, 500];
export const DEFAULT_LIMIT = 100;

export interface ViewState {
  /** Records expanded, in the order the investigator opened them. */
  open: string[];
  /** The selected node or edge id. */
  selected: string | null;
  /** Kinds shown when expanding. */
  kinds: GraphNodeKind[];
  /** Most neighbours one expansion adds (the API caps it at 500). */
  limit: number;
  /** Path finder ends. */
  from: string | null;
  to: string | null;
  /** The last search. */
  query: string;
}

export function emptyState(): ViewState {
  return {
    open: [],
    selected: null,
    kinds: [...ALL_KINDS],
    limit: DEFAULT_LIMIT,
    from: null,
    to: null,
    query: '',
  };
}

const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);

export function parseState(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const kinds = list(p.get('kinds')).filter((k): k is GraphNodeKind => (ALL_KINDS as string[]).includes(k));
  return {
    open: [...new Set(list(p.get('open')))].slice(0, 50),
    selected: p.get('sel'),
    kinds: p.has('kinds') ? kinds : [...ALL_KINDS],
    limit: LIMITS.includes(Number(p.get('limit'))) ? Number(p.get('limit')) : DEFAULT_LIMIT,
    from: p.get('from'),
    to: p.get('to'),
    query: p.get('q') ?? '',
  };
}

export function serializeState(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.query) p.set('q', s.query);
  if (s.open.length) p.set('open', s.open.join(','));
  if (s.selected) p.set('sel', s.selected);
  if (s.kinds.length !== ALL_KINDS.length) p.set('kinds', s.kinds.join(','));
  if (s.limit !== DEFAULT_LIMIT) p.set('limit', String(s.limit));
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  return p.toString();
}
