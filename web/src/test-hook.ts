/**
 * `window.__explorer`, for the browser tests that drive the canvas: where a node is drawn, and what is in
 * view. Installed only in a test build (`vite build --mode test`, as test/e2e/browser.ts builds it);
 * the production bundle has neither this module nor the name (test/unit/explorer-bundle.test.ts checks).
 */
import { apiKey } from './api.js';
import type { Explorer } from './controller.js';
import type { GraphView } from './graph-view.js';

export function installTestHook(graph: GraphView, explorer: Explorer): void {
  (window as unknown as { __explorer: unknown }).__explorer = {
    renderedPosition: (id: string) => graph.renderedPosition(id),
    nodeIds: () => graph.allNodes().map((n) => n.id),
    edgeIds: () => graph.edges().map((e) => e.id),
    onPath: () => (explorer.path ? [...explorer.path.nodes, ...explorer.path.edges] : []),
    hasKey: () => apiKey() !== null,
  };
}
