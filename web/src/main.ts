/**
 * The graph explorer: search → open a record → expand its neighbourhood → select a node or edge to read
 * the evidence. Everything it shows comes from the public read API at /graphql, with the caller's key, so
 * redaction is the server's: a viewer's explorer never receives restricted records.
 *
 * This module wires the page together: the controller (controller.ts: state and actions, no DOM), the
 * page it draws on (page.ts and the views it uses) and the canvas (graph-view.ts), plus the toolbar.
 */
import './styles.css';
import { request, setApiKey } from './api.js';
import { Explorer } from './controller.js';
import { findElements, type Elements } from './dom.js';
import { download } from './format.js';
import { GraphView } from './graph-view.js';
import { exportDocument, stamp } from './model.js';
import { Page } from './page.js';
import { emptyState, parseState } from './state.js';
import { installTestHook } from './test-hook.js';

const els = findElements();
const graph = new GraphView(els.graph, {
  select: (id) => void explorer.select(id),
  expand: (id) => void explorer.expand(id),
});
const explorer: Explorer = new Explorer(
  {
    request,
    graph,
    ui: new Page(els, graph, () => explorer),
    saveHash: (hash) =>
      history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`),
  },
  parseState(location.hash),
  location.hash,
);

function exportJson(): void {
  const doc = exportDocument({
    now: new Date(),
    link: location.href,
    viewer: els.who.textContent,
    state: explorer.state,
    path: explorer.path,
    nodes: graph.allNodes(),
    edges: graph.edges(),
  });
  download(
    new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }),
    `hrkg-view-${stamp(new Date())}.json`,
  );
}

function bindControls(els: Elements): void {
  els.searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void explorer.search(els.searchInput.value);
  });
  els.limit.addEventListener('change', () => explorer.setLimit(Number(els.limit.value)));
  els.fit.addEventListener('click', () => graph.fit());
  els.findPath.addEventListener('click', () => void explorer.findPath());
  els.clearPath.addEventListener('click', () => explorer.clearPath());
  els.exportPng.addEventListener('click', () => download(graph.png(), `hrkg-view-${stamp(new Date())}.png`));
  els.exportJson.addEventListener('click', exportJson);
  els.clearView.addEventListener('click', () => {
    const { kinds, query } = explorer.state;
    void explorer.replay({ ...emptyState(), kinds, query });
  });
  els.keyButton.addEventListener('click', () => {
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
    void explorer.who().then(() => explorer.replay(explorer.state));
  });
  window.addEventListener('hashchange', () => {
    if (explorer.isForeignHash(location.hash)) void explorer.replay(parseState(location.hash));
  });
}

bindControls(els);
document.body.dataset.busy = '0';
// Only a test build (vite build --mode test) has the hook; production drops this branch and the module.
if (import.meta.env.MODE === 'test') installTestHook(graph, explorer);

void (async () => {
  await explorer.who();
  await explorer.replay(explorer.state);
})();
