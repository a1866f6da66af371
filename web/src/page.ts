/**
 * The page as the controller sees it (ExplorerUi): draws the notice, the lists, the timeline, the
 * evidence panel and the viewer into index.html's elements. Reads the controller's state, never keeps any.
 */
import type { Explorer, ExplorerUi } from './controller.js';
import type { Elements } from './dom.js';
import { h } from './format.js';
import type { GraphView } from './graph-view.js';
import { renderInView, renderKinds, renderPathEnds, renderResults } from './lists.js';
import { listOrder, viewerLabel, type NoticeKind, type Provenance, type SearchHit } from './model.js';
import { panelActions } from './panel-actions.js';
import { renderPanelMessage, renderProvenance } from './panel.js';
import type { ViewState } from './state.js';
import { renderTimeline } from './timeline.js';
import type { ViewerQuery } from './generated/graphql.js';

export class Page implements ExplorerUi {
  /** The controller is created with the page, so it is looked up when first needed. */
  constructor(
    private readonly els: Elements,
    private readonly graph: GraphView,
    private readonly explorer: () => Explorer,
  ) {}

  busy(count: number): void {
    document.body.dataset.busy = String(count);
    this.els.graph.setAttribute('aria-busy', String(count > 0));
  }

  notify(text: string, kind: NoticeKind = 'info'): void {
    this.els.notice.replaceChildren(text ? h('p', { class: kind }, text) : '');
  }

  refresh(): void {
    const x = this.explorer();
    const { selected, from, to } = x.state;
    const select = (id: string) => void x.select(id);
    const nodes = listOrder(this.graph.allNodes());
    renderInView(this.els.inView, this.els.inViewCount, nodes, selected, select);
    renderTimeline(
      this.els.timeline,
      nodes.filter((n) => n.kind === 'EVENT'),
      selected,
      select,
    );
    renderPathEnds(this.els, from ? x.labelOf(from) : null, to ? x.labelOf(to) : null, x.canFindPath);
  }

  results(hits: SearchHit[] | null): void {
    renderResults(this.els.results, hits, (kind, id) => void this.explorer().open(kind, id));
  }

  evidencePending(id: string | null): void {
    if (id) renderPanelMessage(this.els.panel, this.explorer().labelOf(id), 'Loading the evidence…');
    else
      renderPanelMessage(this.els.panel, 'Evidence', 'Select a node or an edge to see the claims behind it.');
  }

  evidence(id: string, p: Provenance): void {
    const x = this.explorer();
    const graph = this.graph;
    const actions = panelActions(id, p.kind, {
      edge: (e) => graph.edge(e),
      has: (n) => graph.has(n),
      edgesOf: (n) => graph.edgesOf(n),
      labelOf: (n) => x.labelOf(n),
      select: (n) => void x.select(n),
      expand: (n) => void x.expand(n),
      setPathEnd: (end, n) => x.setPathEnd(end, n),
    });
    renderProvenance(this.els.panel, p, { ...actions, more: (after) => x.moreClaims(id, after) });
  }

  viewer(v: ViewerQuery['viewer']): void {
    this.els.who.textContent = viewerLabel(v);
    document.body.dataset.role = v.role;
  }

  controls(state: ViewState): void {
    this.els.searchInput.value = state.query;
    this.els.limit.value = String(state.limit);
    renderKinds(this.els.kinds, state.kinds, (kinds) => this.explorer().setKinds(kinds));
  }
}
