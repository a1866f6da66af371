import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.js';
import { Explorer, type ExplorerUi, type GraphPort, type Request } from '../../web/src/controller.js';
import type { ViewEdge, ViewNode } from '../../web/src/model.js';
import { emptyState, parseState, serializeState, type ViewState } from '../../web/src/state.js';

/**
 * The explorer's controller without a browser: a fake API answering by operation name, a fake canvas
 * (a map of nodes) and a page that records what it was asked to draw.
 */
type Answer = (vars: Record<string, unknown>) => unknown;

function graphNode(id: string, label = id.toUpperCase()) {
  return { id, kind: 'PLACE', label, type: null, distance: 1, node: { id } };
}

const edge = (source: string, target: string): ViewEdge => ({
  id: `rel-${source}-${target}`,
  source,
  target,
  type: 'LOCATED_IN',
  role: null,
  position: null,
  label: 'LOCATED_IN',
});

/** A graph of a - b - c (and d alone): neighbourhoods, paths and evidence. */
const api: Record<string, Answer> = {
  Viewer: () => ({ viewer: { role: 'anonymous', name: null, clearance: 'public' } }),
  Neighborhood: ({ id }) => {
    const around: Record<string, string[]> = { a: ['b'], b: ['a', 'c'], c: ['b'], d: [] };
    const ids = around[id as string] ?? [];
    return {
      neighborhood: {
        center: id,
        truncated: false,
        nodes: [graphNode(id as string), ...ids.map((n) => graphNode(n))],
        edges: ids.map((n) => (n > (id as string) ? edge(id as string, n) : edge(n, id as string))),
      },
    };
  },
  Paths: ({ from, to }) =>
    from === 'a' && to === 'c'
      ? {
          paths: [
            {
              length: 2,
              nodes: ['a', 'b', 'c'].map((id) => ({ __typename: 'Place', id, name: id.toUpperCase() })),
              hops: [edge('a', 'b'), edge('b', 'c')],
            },
          ],
        }
      : { paths: [] },
  Provenance: ({ id }) => ({
    provenance: { id, kind: 'Place', label: String(id).toUpperCase(), claims: [] },
  }),
  Search: ({ query }) => ({
    search: { edges: [{ node: { score: 1, kind: 'PLACE', matched: query, node: { id: 'a', name: 'A' } } }] },
  }),
};

function setup(initial: ViewState = emptyState(), answers: Partial<Record<string, Answer>> = {}) {
  const calls: { op: string; vars: Record<string, unknown> }[] = [];
  const gates = new Map<string, Promise<void>>();
  const request: Request = async (document, variables) => {
    const op = /(?:query|mutation)\s+(\w+)/.exec(String(document))![1]!;
    const vars = variables as Record<string, unknown>;
    calls.push({ op, vars });
    await gates.get(`${op}:${String(vars.id ?? '')}`);
    const answer = answers[op] ?? api[op];
    if (!answer) throw new Error(`no fake for ${op}`);
    return answer(vars) as never;
  };
  const nodes = new Map<string, ViewNode>();
  const edges = new Map<string, ViewEdge>();
  const drawn = { selected: null as string | null, path: [] as string[] };
  const graph: GraphPort = {
    node: (id) => nodes.get(id),
    allNodes: () => [...nodes.values()],
    edges: () => [...edges.values()],
    merge(ns, es) {
      const before = nodes.size + edges.size;
      for (const n of ns) if (!nodes.has(n.id)) nodes.set(n.id, n);
      for (const e of es) if (!edges.has(e.id)) edges.set(e.id, e);
      return nodes.size + edges.size - before;
    },
    highlightPath: (n, e) => (drawn.path = [...n, ...e]),
    select: (id) => (drawn.selected = id),
    clear: () => {
      nodes.clear();
      edges.clear();
    },
  };
  const ui = {
    busy: [] as number[],
    notices: [] as { text: string; kind: string }[],
    results: [] as (unknown[] | null)[],
    panel: [] as string[],
    viewer: '' as string,
    controls: [] as ViewState[],
  };
  const page: ExplorerUi = {
    busy: (n) => ui.busy.push(n),
    notify: (text, kind = 'info') => ui.notices.push({ text, kind }),
    refresh: () => {},
    results: (hits) => ui.results.push(hits),
    evidencePending: (id) => ui.panel.push(`pending ${id}`),
    evidence: (id) => ui.panel.push(`evidence ${id}`),
    viewer: (v) => (ui.viewer = v.role),
    controls: (s) => ui.controls.push(structuredClone(s)),
  };
  const hashes: string[] = [];
  const explorer = new Explorer({ request, graph, ui: page, saveHash: (h) => hashes.push(h) }, initial, '');
  return { explorer, calls, gates, nodes, drawn, ui, hashes };
}

const lastNotice = (ui: { notices: { text: string; kind: string }[] }) => ui.notices.at(-1);

describe('explorer controller', () => {
  it('expands a record with the state’s limit and kinds, and remembers it in the link', async () => {
    const { explorer, calls, nodes, hashes, ui } = setup({ ...emptyState(), limit: 25, kinds: ['PLACE'] });
    await explorer.expand('b');
    expect(calls).toEqual([{ op: 'Neighborhood', vars: { id: 'b', depth: 1, limit: 25, kinds: ['PLACE'] } }]);
    expect([...nodes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(explorer.state.open).toEqual(['b']);
    expect(parseState(hashes.at(-1)!)).toMatchObject({ open: ['b'], limit: 25, kinds: ['PLACE'] });
    expect(lastNotice(ui)).toEqual({ text: 'Expanded “B”: 2 neighbours.', kind: 'info' });
    await explorer.expand('b');
    expect(explorer.state.open).toEqual(['b']);
    expect(lastNotice(ui)!.text).toBe('“B” has no further neighbours to show.');
  });

  it('counts requests in flight and ends at zero, even when one fails', async () => {
    const { explorer, ui } = setup(emptyState(), {
      Neighborhood: () => {
        throw new ApiError('Not found', 'NOT_FOUND', 200);
      },
    });
    await explorer.expand('zz');
    expect(ui.busy).toEqual([1, 0]);
    expect(lastNotice(ui)).toEqual({ text: 'Not found (NOT_FOUND)', kind: 'error' });
    expect(explorer.state.open).toEqual([]);
  });

  it('shows the evidence of the last selection only, when answers arrive out of order', async () => {
    const { explorer, gates, ui, drawn } = setup();
    let release!: () => void;
    gates.set('Provenance:a', new Promise((r) => (release = r)));
    const first = explorer.select('a');
    await explorer.select('b');
    release();
    await first;
    expect(ui.panel).toEqual(['pending a', 'pending b', 'evidence b']);
    expect(explorer.state.selected).toBe('b');
    expect(drawn.selected).toBe('b');
  });

  it('clears the panel when nothing is selected, without asking the API', async () => {
    const { explorer, calls, ui } = setup();
    await explorer.select(null);
    expect(calls).toEqual([]);
    expect(ui.panel).toEqual(['pending null']);
  });

  it('finds a path once both ends are set, highlights it, and forgets it when cleared', async () => {
    const { explorer, calls, drawn, ui, hashes } = setup();
    await explorer.expand('a');
    explorer.setPathEnd('from', 'a');
    expect(calls.filter((c) => c.op === 'Paths')).toEqual([]);
    explorer.setPathEnd('to', 'c');
    await settle();
    expect(calls.filter((c) => c.op === 'Paths')).toEqual([
      { op: 'Paths', vars: { from: 'a', to: 'c', maxLength: 6 } },
    ]);
    expect(explorer.path).toEqual({ nodes: ['a', 'b', 'c'], edges: ['rel-a-b', 'rel-b-c'] });
    expect(drawn.path).toEqual(['a', 'b', 'c', 'rel-a-b', 'rel-b-c']);
    expect(lastNotice(ui)!.text).toBe('Path of 2 hop(s): A → B → C');
    expect(parseState(hashes.at(-1)!)).toMatchObject({ from: 'a', to: 'c' });
    explorer.clearPath();
    expect(explorer.path).toBeNull();
    expect(drawn.path).toEqual([]);
    expect(parseState(hashes.at(-1)!)).toMatchObject({ from: null, to: null });
  });

  it('says when there is no path, and draws none', async () => {
    const { explorer, drawn, ui } = setup();
    explorer.state.from = 'a';
    explorer.state.to = 'd';
    await explorer.findPath();
    expect(explorer.path).toBeNull();
    expect(drawn.path).toEqual([]);
    expect(lastNotice(ui)).toMatchObject({ kind: 'warn' });
    expect(lastNotice(ui)!.text).toContain('No path of at most 6 hops between “a” and “d”');
  });

  it('does not search for blanks, and keeps the query in the link', async () => {
    const { explorer, calls, ui, hashes } = setup();
    await explorer.search('   ');
    expect(calls).toEqual([]);
    expect(ui.results).toEqual([null]);
    await explorer.search('Aleppo');
    expect(calls).toEqual([{ op: 'Search', vars: { query: 'Aleppo', first: 25 } }]);
    expect(ui.results.at(-1)).toHaveLength(1);
    expect(parseState(hashes.at(-1)!).query).toBe('Aleppo');
  });

  it('opens entities in the graph and evidence in the panel only', async () => {
    const { explorer, calls } = setup();
    await explorer.open('PLACE', 'a');
    expect(calls.map((c) => c.op)).toEqual(['Neighborhood', 'Provenance']);
    calls.length = 0;
    await explorer.open('SOURCE', 'src-1');
    expect(calls.map((c) => c.op)).toEqual(['Provenance']);
  });

  it('rebuilds a shared link in order: records, path, selection, search', async () => {
    const link = serializeState({
      ...emptyState(),
      open: ['a', 'c'],
      from: 'a',
      to: 'c',
      selected: 'b',
      query: 'Aleppo',
      limit: 10,
    });
    const { explorer, calls, ui, hashes, nodes } = setup();
    await explorer.replay(parseState(link));
    expect(calls.map((c) => `${c.op}:${String(c.vars.id ?? c.vars.query ?? c.vars.from)}`)).toEqual([
      'Neighborhood:a',
      'Neighborhood:c',
      'Paths:a',
      'Provenance:b',
      'Search:Aleppo',
    ]);
    expect(ui.controls[0]).toMatchObject({ open: [], limit: 10, query: 'Aleppo' });
    expect([...nodes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(hashes.at(-1)).toBe(link);
    // The fragment it wrote is its own; another one (a pasted link) is not.
    expect(explorer.isForeignHash(`#${link}`)).toBe(false);
    expect(explorer.isForeignHash('#open=d')).toBe(true);
  });

  it('starts over from an empty view, dropping what was there', async () => {
    const { explorer, nodes } = setup();
    await explorer.expand('a');
    explorer.state.from = 'a';
    await explorer.replay({ ...emptyState(), open: ['d'] });
    expect([...nodes.keys()]).toEqual(['d']);
    expect(explorer.state).toMatchObject({ open: ['d'], from: null });
  });

  it('asks who the caller is', async () => {
    const { explorer, ui } = setup();
    await explorer.who();
    expect(ui.viewer).toBe('anonymous');
  });

  it('names records by their label in view, else by id', async () => {
    const { explorer } = setup();
    await explorer.expand('a');
    expect(explorer.labelOf('a')).toBe('A');
    expect(explorer.labelOf('zz')).toBe('zz');
    expect(explorer.labelOf(null)).toBe('');
  });
});

/** Lets a fire-and-forget action (setPathEnd starts findPath) finish. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}
