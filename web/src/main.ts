/**
 * The graph explorer: search → open a record → expand its neighbourhood → select a node or edge to read
 * the evidence. Everything it shows comes from the public read API at /graphql, with the caller's key, so
 * redaction is the server's: a viewer's explorer never receives restricted records.
 */
import './styles.css';
import { ApiError, apiKey, request, setApiKey } from './api.js';
import {
  NeighborhoodDocument,
  PathsDocument,
  ProvenanceDocument,
  SearchDocument,
  ViewerDocument,
  type GraphNodePartsFragment,
  type NeighborhoodQuery,
  type PathsQuery,
  type SearchQuery,
} from './generated/graphql.js';
import { download, formatDate, h } from './format.js';
import { GraphView, type ViewNode } from './graph-view.js';
import { CLAIMS_PAGE, renderPanelMessage, renderProvenance } from './panel.js';
import { ALL_KINDS, emptyState, parseState, serializeState, type ViewState } from './state.js';
import { renderTimeline } from './timeline.js';

const MAX_PATH = 6;

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const els = {
  searchForm: $<HTMLFormElement>('#search-form'),
  searchInput: $<HTMLInputElement>('#search-input'),
  results: $('#results'),
  inView: $('#in-view'),
  inViewCount: $('#inview-count'),
  kinds: $('#kinds'),
  who: $('#who'),
  notice: $('#notice'),
  graph: $('#graph'),
  timeline: $('#timeline'),
  panel: $('#panel'),
  pathFrom: $('#path-from'),
  pathTo: $('#path-to'),
  findPath: $<HTMLButtonElement>('#find-path'),
  limit: $<HTMLSelectElement>('#limit'),
  keyDialog: $<HTMLDialogElement>('#key-dialog'),
  keyInput: $<HTMLInputElement>('#key-input'),
};

let state: ViewState = parseState(location.hash);
let lastHash = location.hash.replace(/^#/, '');
let busy = 0;
let selectSeq = 0;
let pathIds: { nodes: string[]; edges: string[] } | null = null;

const view = new GraphView(els.graph, { select: (id) => void select(id), expand: (id) => void expand(id) });

// ---------- state, progress and messages ----------

function saveState(): void {
  lastHash = serializeState(state);
  history.replaceState(null, '', `${location.pathname}${location.search}${lastHash ? `#${lastHash}` : ''}`);
}

async function track<T>(work: () => Promise<T>): Promise<T | undefined> {
  const mark = () => {
    document.body.dataset.busy = String(busy);
    els.graph.setAttribute('aria-busy', String(busy > 0));
  };
  busy++;
  mark();
  try {
    return await work();
  } catch (err) {
    showError(err);
    return undefined;
  } finally {
    busy--;
    mark();
  }
}

function notify(text: string, kind: 'info' | 'warn' | 'error' = 'info'): void {
  els.notice.replaceChildren(text ? h('p', { class: kind }, text) : '');
}

function showError(err: unknown): void {
  if (err instanceof ApiError) notify(`${err.message} (${err.code})`, 'error');
  else notify(`Something went wrong: ${(err as Error).message}`, 'error');
}

const labelOf = (id: string | null) => (id ? (view.node(id)?.label ?? id) : '');

// ---------- graph data ----------

function toViewNode(n: GraphNodePartsFragment): ViewNode {
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
      n.kind === 'EVENT'
        ? date
          ? { earliest: date.earliest ?? null, latest: date.latest ?? null, text: formatDate(date) }
          : null
        : null,
  };
}

function pathNode(n: PathsQuery['paths'][number]['nodes'][number]): ViewNode {
  const typename = (n as { __typename?: string }).__typename ?? '';
  const kinds: Record<string, ViewNode['kind']> = {
    Event: 'EVENT',
    Actor: 'ACTOR',
    Place: 'PLACE',
    Figure: 'FIGURE',
  };
  const f = n as { name?: string; measure?: string; value?: number | null };
  return {
    id: n.id,
    kind: kinds[typename] ?? 'OTHER',
    label: f.name ?? (f.measure ? `${f.measure}: ${f.value ?? '?'}` : n.id),
    type: null,
    conflict: false,
    sensitivity: 'public',
    date: null,
  };
}

function refreshLists(): void {
  const nodes = view
    .allNodes()
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
  els.inViewCount.textContent = nodes.length ? `(${nodes.length})` : '';
  els.inView.replaceChildren(
    ...nodes.map((n) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `item kind-${n.kind}`,
          'data-id': n.id,
          'aria-pressed': String(state.selected === n.id),
        },
        h('span', { class: 'kind-tag' }, n.kind.toLowerCase()),
        h('span', { dir: 'auto', class: 'name' }, n.label),
        n.conflict ? h('span', { class: 'flag', title: 'Sources disagree about this figure' }, ' ⚠') : null,
        n.sensitivity !== 'public' ? h('span', { class: 'badge restricted' }, n.sensitivity) : null,
      );
      button.addEventListener('click', () => void select(n.id));
      return h('li', {}, button);
    }),
  );
  renderTimeline(
    els.timeline,
    nodes.filter((n) => n.kind === 'EVENT'),
    state.selected,
    (id) => void select(id),
  );
  els.pathFrom.textContent = state.from ? labelOf(state.from) : '(start not set)';
  els.pathTo.textContent = state.to ? labelOf(state.to) : '(end not set)';
  els.pathFrom.title = els.pathFrom.textContent;
  els.pathTo.title = els.pathTo.textContent;
  els.findPath.disabled = !(state.from && state.to && state.from !== state.to);
}

// ---------- actions ----------

async function expand(id: string): Promise<void> {
  await track(async () => {
    const data: NeighborhoodQuery = await request(NeighborhoodDocument, {
      id,
      depth: 1,
      limit: state.limit,
      kinds: state.kinds,
    });
    const nb = data.neighborhood;
    const added = view.merge(nb.nodes.map(toViewNode), nb.edges, id);
    if (!state.open.includes(id)) state.open.push(id);
    saveState();
    const name = labelOf(id);
    if (nb.truncated)
      notify(
        `Showing ${nb.nodes.length - 1} neighbours of “${name}”; it has more than the limit of ${state.limit}. Raise the limit, or untick kinds to narrow the view.`,
        'warn',
      );
    else
      notify(
        added
          ? `Expanded “${name}”: ${nb.nodes.length - 1} neighbours.`
          : `“${name}” has no further neighbours to show.`,
      );
    refreshLists();
  });
}

async function select(id: string | null): Promise<void> {
  const seq = ++selectSeq;
  state.selected = id;
  view.select(id);
  saveState();
  refreshLists();
  if (!id) {
    renderPanelMessage(els.panel, 'Evidence', 'Select a node or an edge to see the claims behind it.');
    return;
  }
  renderPanelMessage(els.panel, labelOf(id), 'Loading the evidence…');
  await track(async () => {
    const data = await request(ProvenanceDocument, { id, first: CLAIMS_PAGE });
    if (seq !== selectSeq) return; // a later selection won
    renderProvenance(els.panel, data.provenance, {
      ...panelActions(id, data.provenance.kind),
      more: async (after) => {
        const next = await track(() => request(ProvenanceDocument, { id, first: CLAIMS_PAGE, after }));
        if (!next) throw new Error('the next claims could not be loaded');
        return next.provenance;
      },
    });
  });
}

/** Kinds of record the graph can show as nodes (sources and claims are evidence, shown in the panel). */
const GRAPH_KINDS = new Set(['Event', 'Actor', 'Place', 'Figure']);

function panelActions(id: string, kind: string) {
  const edge = view.edge(id);
  if (edge) {
    return {
      header: [
        h(
          'p',
          { class: 'edge-ends' },
          h('span', { dir: 'auto' }, labelOf(edge.source)),
          ` — ${edge.label} → `,
          h('span', { dir: 'auto' }, labelOf(edge.target)),
        ),
      ],
    };
  }
  const button = (text: string, action: string, run: () => void) => {
    const b = h('button', { type: 'button', 'data-action': action }, text);
    b.addEventListener('click', run);
    return b;
  };
  const inGraph = view.has(id);
  if (!GRAPH_KINDS.has(kind)) return { header: [] };
  const header = [
    h(
      'div',
      { class: 'actions' },
      button(inGraph ? 'Expand' : 'Open in graph', 'expand', () => void expand(id)),
      inGraph ? button('Path from here', 'path-from', () => setPathEnd('from', id)) : null,
      inGraph ? button('Path to here', 'path-to', () => setPathEnd('to', id)) : null,
    ),
  ];
  const edges = view.edgesOf(id);
  const connections = edges.length
    ? h(
        'details',
        { class: 'connections', open: edges.length <= 12 },
        h('summary', {}, `Connections in view (${edges.length})`),
        h(
          'ul',
          { class: 'list' },
          ...edges.map((e) => {
            const other = e.source === id ? e.target : e.source;
            const b = h(
              'button',
              { type: 'button', class: 'item', 'data-edge': e.id },
              e.source === id ? `${e.label} → ` : `← ${e.label} — `,
              h('span', { dir: 'auto' }, labelOf(other)),
            );
            b.addEventListener('click', () => void select(e.id));
            return h('li', {}, b);
          }),
        ),
      )
    : null;
  return { header, connections };
}

function setPathEnd(end: 'from' | 'to', id: string): void {
  state[end] = id;
  saveState();
  refreshLists();
  if (state.from && state.to && state.from !== state.to) void findPath();
}

async function findPath(): Promise<void> {
  const { from, to } = state;
  if (!from || !to) return;
  await track(async () => {
    const data = await request(PathsDocument, { from, to, maxLength: MAX_PATH });
    const path = data.paths[0];
    if (!path) {
      pathIds = null;
      view.highlightPath([], []);
      notify(
        `No path of at most ${MAX_PATH} hops between “${labelOf(from)}” and “${labelOf(to)}” among the records visible to you.`,
        'warn',
      );
      return;
    }
    view.merge(path.nodes.map(pathNode), path.hops);
    pathIds = { nodes: path.nodes.map((n) => n.id), edges: path.hops.map((e) => e.id) };
    view.highlightPath(pathIds.nodes, pathIds.edges);
    notify(`Path of ${path.length} hop(s): ${path.nodes.map((n) => labelOf(n.id)).join(' → ')}`);
    refreshLists();
  });
}

function clearPath(): void {
  state.from = null;
  state.to = null;
  pathIds = null;
  view.highlightPath([], []);
  saveState();
  refreshLists();
}

function renderResults(data: SearchQuery): void {
  const hits = data.search.edges.map((e) => e.node);
  if (!hits.length) {
    els.results.replaceChildren(
      h('li', { class: 'muted' }, 'Nothing found (among the records visible to you).'),
    );
    return;
  }
  els.results.replaceChildren(
    ...hits.map((hit) => {
      const node = hit.node as {
        id: string;
        name?: string;
        title?: string;
        source?: { id: string; title: string };
      };
      const title = node.name ?? node.title ?? node.source?.title ?? node.id;
      // Excerpts open their source; sources show their evidence; entities open in the graph.
      const target = hit.kind === 'EXCERPT' && node.source ? node.source.id : node.id;
      const b = h(
        'button',
        { type: 'button', class: `item kind-${hit.kind}`, 'data-id': target, 'data-kind': hit.kind },
        h('span', { class: 'kind-tag' }, hit.kind.toLowerCase()),
        h('span', { dir: 'auto', class: 'name' }, title),
        hit.matched !== title ? h('span', { dir: 'auto', class: 'matched' }, hit.matched) : null,
      );
      b.addEventListener('click', () => void openHit(hit.kind, target));
      return h('li', {}, b);
    }),
  );
}

async function openHit(kind: string, id: string): Promise<void> {
  if (kind === 'SOURCE' || kind === 'EXCERPT') await select(id);
  else {
    await expand(id);
    await select(id);
  }
}

async function search(query: string): Promise<void> {
  state.query = query;
  saveState();
  if (!query.trim()) {
    els.results.replaceChildren();
    return;
  }
  await track(async () => renderResults(await request(SearchDocument, { query, first: 25 })));
}

// ---------- export ----------

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

function exportJson(): void {
  const doc = {
    format: 'hrkg-explorer-view/1',
    exportedAt: new Date().toISOString(),
    link: location.href,
    viewer: els.who.textContent,
    state,
    path: pathIds,
    nodes: view.allNodes(),
    edges: view
      .edges()
      .map(({ id, source, target, type, role, label }) => ({ id, source, target, type, role, label })),
  };
  download(
    new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }),
    `hrkg-view-${stamp()}.json`,
  );
}

// ---------- start ----------

async function who(): Promise<void> {
  await track(async () => {
    const data = await request(ViewerDocument, {});
    const v = data.viewer;
    els.who.textContent =
      v.role === 'anonymous' ? 'anonymous (public records)' : `${v.name ?? 'key'} — ${v.role}`;
    document.body.dataset.role = v.role;
  });
}

/** Rebuilds the view from the state (a shared link, or after the key changed). */
async function replay(next: ViewState): Promise<void> {
  view.clear();
  pathIds = null;
  const opened = next.open;
  state = { ...next, open: [] };
  els.searchInput.value = state.query;
  els.limit.value = String(state.limit);
  renderKinds();
  for (const id of opened) await expand(id);
  if (next.from && next.to) await findPath();
  await select(next.selected);
  if (state.query) await search(state.query);
  saveState();
}

function renderKinds(): void {
  els.kinds.querySelectorAll('label').forEach((l) => l.remove());
  for (const kind of ALL_KINDS) {
    const box = h('input', { type: 'checkbox', value: kind, checked: state.kinds.includes(kind) });
    box.addEventListener('change', () => {
      state.kinds = ALL_KINDS.filter(
        (k) => els.kinds.querySelector<HTMLInputElement>(`input[value="${k}"]`)?.checked ?? false,
      );
      saveState();
    });
    els.kinds.append(h('label', {}, box, ` ${kind.toLowerCase()}`));
  }
}

els.searchForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void search(els.searchInput.value);
});
els.limit.addEventListener('change', () => {
  state.limit = Number(els.limit.value);
  saveState();
});
$('#fit').addEventListener('click', () => view.fit());
els.findPath.addEventListener('click', () => void findPath());
$('#clear-path').addEventListener('click', clearPath);
$('#export-png').addEventListener('click', () => download(view.png(), `hrkg-view-${stamp()}.png`));
$('#export-json').addEventListener('click', exportJson);
$('#clear-view').addEventListener(
  'click',
  () => void replay({ ...emptyState(), kinds: state.kinds, query: state.query }),
);
$('#key-button').addEventListener('click', () => {
  els.keyInput.value = '';
  els.keyDialog.showModal();
});
els.keyDialog.addEventListener('close', () => {
  const choice = els.keyDialog.returnValue;
  if (choice === 'save' && els.keyInput.value.trim()) setApiKey(els.keyInput.value.trim());
  else if (choice === 'clear') setApiKey(null);
  else return;
  els.keyInput.value = '';
  // What the caller may see changed: rebuild the view from the server's answers.
  void who().then(() => replay(state));
});
window.addEventListener('hashchange', () => {
  const hash = location.hash.replace(/^#/, '');
  if (hash !== lastHash) void replay(parseState(hash));
});
document.body.dataset.busy = '0';

// A hook for tests that drive the canvas: where a node is drawn, and what is in view.
(window as unknown as { __explorer: unknown }).__explorer = {
  renderedPosition: (id: string) => view.renderedPosition(id),
  nodeIds: () => view.allNodes().map((n) => n.id),
  edgeIds: () => view.edges().map((e) => e.id),
  onPath: () => (pathIds ? [...pathIds.nodes, ...pathIds.edges] : []),
  hasKey: () => apiKey() !== null,
};

void (async () => {
  await who();
  await replay(state);
})();
