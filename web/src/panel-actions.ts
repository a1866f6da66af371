/**
 * What the evidence panel offers above the claims: for an edge, its two ends; for a node, buttons to
 * expand it or make it a path end, and its connections in view as a keyboard-reachable list.
 */
import { h } from './format.js';
import { GRAPH_KINDS, type ViewEdge } from './model.js';
import type { PanelActions } from './panel.js';

export interface PanelContext {
  edge(id: string): ViewEdge | undefined;
  has(id: string): boolean;
  edgesOf(id: string): ViewEdge[];
  labelOf(id: string): string;
  select(id: string): void;
  expand(id: string): void;
  setPathEnd(end: 'from' | 'to', id: string): void;
}

function button(text: string, action: string, run: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', 'data-action': action }, text);
  b.addEventListener('click', run);
  return b;
}

function edgeEnds(edge: ViewEdge, c: PanelContext): HTMLElement {
  return h(
    'p',
    { class: 'edge-ends' },
    h('span', { dir: 'auto' }, c.labelOf(edge.source)),
    ` — ${edge.label} → `,
    h('span', { dir: 'auto' }, c.labelOf(edge.target)),
  );
}

function connections(id: string, c: PanelContext): HTMLElement | null {
  const edges = c.edgesOf(id);
  if (!edges.length) return null;
  return h(
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
          h('span', { dir: 'auto' }, c.labelOf(other)),
        );
        b.addEventListener('click', () => c.select(e.id));
        return h('li', {}, b);
      }),
    ),
  );
}

/** The panel's header and connections for the record `id` of the given kind (a GraphQL type name). */
export function panelActions(id: string, kind: string, c: PanelContext): Omit<PanelActions, 'more'> {
  const edge = c.edge(id);
  if (edge) return { header: [edgeEnds(edge, c)] };
  if (!GRAPH_KINDS.has(kind)) return { header: [] };
  const inGraph = c.has(id);
  const header = [
    h(
      'div',
      { class: 'actions' },
      button(inGraph ? 'Expand' : 'Open in graph', 'expand', () => c.expand(id)),
      inGraph ? button('Path from here', 'path-from', () => c.setPathEnd('from', id)) : null,
      inGraph ? button('Path to here', 'path-to', () => c.setPathEnd('to', id)) : null,
    ),
  ];
  return { header, connections: connections(id, c) };
}
