/** The graph canvas: Cytoscape.js holding the nodes and edges the investigator has opened. */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { GraphPort } from './controller.js';
import { RELATION_FAMILY, type ViewEdge, type ViewNode } from './model.js';

const COLORS: Record<string, string> = {
  EVENT: '#b45309',
  ACTOR: '#1d4ed8',
  PLACE: '#047857',
  FIGURE: '#7c3aed',
  SOURCE: '#374151',
  OTHER: '#6b7280',
};
const SHAPES: Record<string, cytoscape.Css.NodeShape> = {
  EVENT: 'round-rectangle',
  ACTOR: 'ellipse',
  PLACE: 'diamond',
  FIGURE: 'hexagon',
  SOURCE: 'rectangle',
  OTHER: 'ellipse',
};

/** Nodes by kind; conflicts double-outlined in red, restricted records dashed; the path in red. */
const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'background-color': (n: cytoscape.NodeSingular) => COLORS[n.data('kind') as string] ?? '#6b7280',
      shape: (n: cytoscape.NodeSingular) => SHAPES[n.data('kind') as string] ?? 'ellipse',
      width: 30,
      height: 30,
      'font-size': 11,
      'text-wrap': 'wrap',
      'text-max-width': '140px',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      color: '#111827',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
    },
  },
  {
    selector: 'node[?conflict]',
    style: { 'border-width': 4, 'border-color': '#dc2626', 'border-style': 'double' },
  },
  {
    selector: 'node[sensitivity != "public"]',
    style: { 'border-width': 3, 'border-color': '#111827', 'border-style': 'dashed' },
  },
  {
    selector: 'node:selected',
    style: { 'overlay-color': '#f59e0b', 'overlay-opacity': 0.35, 'overlay-padding': 6 },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9ca3af',
      'target-arrow-color': '#9ca3af',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 9,
      color: '#374151',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
    },
  },
  // The chain of command in blue; detention (held in, released from, transferred to, operator) dashed.
  {
    selector: 'edge[family = "command"]',
    style: { 'line-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8' },
  },
  {
    selector: 'edge[family = "detention"]',
    style: { 'line-color': '#92400e', 'target-arrow-color': '#92400e', 'line-style': 'dashed' },
  },
  {
    selector: 'edge:selected',
    style: { width: 3, 'line-color': '#f59e0b', 'target-arrow-color': '#f59e0b' },
  },
  {
    selector: 'edge.on-path',
    style: { 'line-color': '#dc2626', 'target-arrow-color': '#dc2626', width: 4 },
  },
  { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': '#dc2626' } },
];

export class GraphView implements GraphPort {
  readonly cy: Core;
  private readonly nodes = new Map<string, ViewNode>();

  constructor(
    container: HTMLElement,
    handlers: { select(id: string | null): void; expand(id: string): void },
  ) {
    this.cy = cytoscape({
      container,
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
      style: STYLE,
    });
    this.cy.on('tap', 'node, edge', (e) => handlers.select(e.target.id() as string));
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) handlers.select(null);
    });
    this.cy.on('dbltap', 'node', (e) => handlers.expand(e.target.id() as string));
  }

  has(id: string): boolean {
    return this.cy.getElementById(id).nonempty();
  }

  node(id: string): ViewNode | undefined {
    return this.nodes.get(id);
  }

  allNodes(): ViewNode[] {
    return [...this.nodes.values()];
  }

  edges(): ViewEdge[] {
    return this.cy.edges().map((e) => e.data('edge') as ViewEdge);
  }

  /** Edges touching a node, for the keyboard list of its connections. */
  edgesOf(id: string): ViewEdge[] {
    return this.cy
      .getElementById(id)
      .connectedEdges()
      .map((e) => e.data('edge') as ViewEdge);
  }

  edge(id: string): ViewEdge | undefined {
    const e = this.cy.getElementById(id);
    return e.nonempty() && e.isEdge() ? (e.data('edge') as ViewEdge) : undefined;
  }

  /** Adds what is not there yet; returns how many elements were new. Lays out when something was added. */
  merge(nodes: ViewNode[], edges: ViewEdge[], around?: string): number {
    const add: ElementDefinition[] = [];
    for (const n of nodes) {
      const known = this.nodes.get(n.id);
      if (known) {
        // Keep the richer record (a path hop knows less than a neighbourhood node).
        if (known.kind === 'OTHER' && n.kind !== 'OTHER') this.nodes.set(n.id, n);
        continue;
      }
      this.nodes.set(n.id, n);
      add.push({
        group: 'nodes',
        data: { id: n.id, label: n.label, kind: n.kind, conflict: n.conflict, sensitivity: n.sensitivity },
      });
    }
    for (const e of edges) {
      if (this.has(e.id)) continue;
      add.push({
        group: 'edges',
        data: {
          id: e.id,
          source: e.source,
          target: e.target,
          label: e.label,
          family: RELATION_FAMILY[e.type] ?? 'other',
          edge: e,
        },
      });
    }
    if (!add.length) return 0;
    const added = this.cy.add(add);
    const centre = around ? this.cy.getElementById(around) : undefined;
    if (centre?.nonempty() && this.cy.nodes().length > added.nodes().length) {
      // Place newcomers around the node they came from before the layout settles them.
      const p = centre.position();
      added.nodes().forEach((n, i) => {
        const a = (2 * Math.PI * i) / Math.max(1, added.nodes().length);
        n.position({ x: p.x + 160 * Math.cos(a), y: p.y + 160 * Math.sin(a) });
      });
    }
    this.layout();
    return add.length;
  }

  layout(): void {
    this.cy
      .layout({
        name: 'cose',
        animate: false,
        randomize: false,
        nodeRepulsion: () => 400_000,
        idealEdgeLength: () => 140,
        nodeOverlap: 40,
        componentSpacing: 120,
        padding: 40,
      } as cytoscape.LayoutOptions)
      .run();
    this.fit();
  }

  /** Fits the view, never zooming in past 1:1 so a few nodes do not fill the screen. */
  fit(): void {
    this.cy.resize(); // the container may have changed size (notices, panel) since the last draw
    this.cy.fit(undefined, 40);
    if (this.cy.zoom() > 1) {
      this.cy.zoom(1);
      this.cy.center();
    }
  }

  select(id: string | null): void {
    this.cy.elements().unselect();
    if (!id) return;
    const el = this.cy.getElementById(id);
    if (el.nonempty()) {
      el.select();
      // Bring a node into view only when it is out of sight: moving the canvas under the pointer
      // would make a double click land somewhere else.
      if (el.isNode()) {
        const p = el.renderedPosition();
        if (p.x < 0 || p.y < 0 || p.x > this.cy.width() || p.y > this.cy.height()) this.cy.center(el);
      }
    }
  }

  highlightPath(nodeIds: string[], edgeIds: string[]): void {
    this.cy.elements().removeClass('on-path');
    for (const id of [...nodeIds, ...edgeIds]) this.cy.getElementById(id).addClass('on-path');
  }

  /** Where a node is drawn on the page (for tests driving the canvas). */
  renderedPosition(id: string): { x: number; y: number } | null {
    const el = this.cy.getElementById(id);
    if (el.empty() || !el.isNode()) return null;
    const box = this.cy.container()!.getBoundingClientRect();
    const p = el.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  clear(): void {
    this.cy.elements().remove();
    this.nodes.clear();
  }

  png(): Blob {
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
  }
}
