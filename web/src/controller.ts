/**
 * The explorer's state and actions, without the DOM: what is open, selected and on the path, kept in the
 * URL fragment; every action asks the API (`request`), changes the canvas through a narrow port and tells
 * the page what to draw through `ExplorerUi`. main.ts wires it to the real page; the unit tests to fakes.
 */
import {
  NeighborhoodDocument,
  PathsDocument,
  ProvenanceDocument,
  SearchDocument,
  ViewerDocument,
  type TypedDocumentString,
  type ViewerQuery,
} from './generated/graphql.js';
import {
  CLAIMS_PAGE,
  errorMessage,
  expandedMessage,
  MAX_PATH,
  noPathMessage,
  opensInGraph,
  pathMessage,
  pathNode,
  toViewNode,
  type NoticeKind,
  type PathIds,
  type Provenance,
  type SearchHit,
  type ViewEdge,
  type ViewNode,
} from './model.js';
import { serializeState, type ViewState } from './state.js';

export type Request = <TData, TVars>(
  document: TypedDocumentString<TData, TVars>,
  variables: TVars,
) => Promise<TData>;

/** What the controller needs of the graph canvas (GraphView). */
export interface GraphPort {
  node(id: string): ViewNode | undefined;
  allNodes(): ViewNode[];
  edges(): ViewEdge[];
  merge(nodes: ViewNode[], edges: ViewEdge[], around?: string): number;
  highlightPath(nodeIds: string[], edgeIds: string[]): void;
  select(id: string | null): void;
  clear(): void;
}

/** What the page draws when the state changes. */
export interface ExplorerUi {
  /** Requests in flight. */
  busy(count: number): void;
  notify(text: string, kind?: NoticeKind): void;
  /** The lists of what is in view, the timeline and the path ends, from the controller's state. */
  refresh(): void;
  /** Search hits; null clears the list. */
  results(hits: SearchHit[] | null): void;
  /** The selection changed and its evidence is on its way (null: nothing selected). */
  evidencePending(id: string | null): void;
  evidence(id: string, provenance: Provenance): void;
  viewer(viewer: ViewerQuery['viewer']): void;
  /** The state's controls (search box, limit, kinds) after the state was replaced. */
  controls(state: ViewState): void;
}

export interface ExplorerDeps {
  request: Request;
  graph: GraphPort;
  ui: ExplorerUi;
  /** Stores the serialized state in the URL fragment (without adding a history entry). */
  saveHash(hash: string): void;
}

export class Explorer {
  state: ViewState;
  path: PathIds | null = null;
  private busyCount = 0;
  private selectSeq = 0;
  private lastHash: string;

  constructor(
    private readonly deps: ExplorerDeps,
    initial: ViewState,
    currentHash: string,
  ) {
    this.state = initial;
    this.lastHash = currentHash.replace(/^#/, '');
  }

  /** A record's label in view, else its id. */
  labelOf(id: string | null): string {
    return id ? (this.deps.graph.node(id)?.label ?? id) : '';
  }

  /** Whether both path ends are set, and differ. */
  get canFindPath(): boolean {
    return !!(this.state.from && this.state.to && this.state.from !== this.state.to);
  }

  /** Whether a change of the URL fragment came from outside (a pasted link, the back button). */
  isForeignHash(hash: string): boolean {
    return hash.replace(/^#/, '') !== this.lastHash;
  }

  async expand(id: string): Promise<void> {
    await this.track(async () => {
      const { limit, kinds } = this.state;
      const data = await this.deps.request(NeighborhoodDocument, { id, depth: 1, limit, kinds });
      const nb = data.neighborhood;
      const added = this.deps.graph.merge(nb.nodes.map(toViewNode), nb.edges, id);
      if (!this.state.open.includes(id)) this.state.open.push(id);
      this.save();
      const m = expandedMessage({
        name: this.labelOf(id),
        nodes: nb.nodes.length,
        truncated: nb.truncated,
        limit,
        added,
      });
      this.deps.ui.notify(m.text, m.kind);
      this.deps.ui.refresh();
    });
  }

  async select(id: string | null): Promise<void> {
    const seq = ++this.selectSeq;
    this.state.selected = id;
    this.deps.graph.select(id);
    this.save();
    this.deps.ui.refresh();
    this.deps.ui.evidencePending(id);
    if (!id) return;
    await this.track(async () => {
      const data = await this.deps.request(ProvenanceDocument, { id, first: CLAIMS_PAGE });
      if (seq !== this.selectSeq) return; // a later selection won
      this.deps.ui.evidence(id, data.provenance);
    });
  }

  /** The next page of a record's claims. */
  async moreClaims(id: string, after: string): Promise<Provenance> {
    const next = await this.track(() =>
      this.deps.request(ProvenanceDocument, { id, first: CLAIMS_PAGE, after }),
    );
    if (!next) throw new Error('the next claims could not be loaded');
    return next.provenance;
  }

  /** Opens a search hit: evidence in the panel, anything else in the graph too. */
  async open(kind: string, id: string): Promise<void> {
    if (opensInGraph(kind)) await this.expand(id);
    await this.select(id);
  }

  setPathEnd(end: 'from' | 'to', id: string): void {
    this.state[end] = id;
    this.save();
    this.deps.ui.refresh();
    if (this.canFindPath) void this.findPath();
  }

  async findPath(): Promise<void> {
    const { from, to } = this.state;
    if (!from || !to) return;
    await this.track(async () => {
      const data = await this.deps.request(PathsDocument, { from, to, maxLength: MAX_PATH });
      const path = data.paths[0];
      if (!path) {
        this.path = null;
        this.deps.graph.highlightPath([], []);
        this.deps.ui.notify(noPathMessage(this.labelOf(from), this.labelOf(to)), 'warn');
        return;
      }
      this.deps.graph.merge(path.nodes.map(pathNode), path.hops);
      this.path = { nodes: path.nodes.map((n) => n.id), edges: path.hops.map((e) => e.id) };
      this.deps.graph.highlightPath(this.path.nodes, this.path.edges);
      this.deps.ui.notify(
        pathMessage(
          path.length,
          path.nodes.map((n) => this.labelOf(n.id)),
        ),
      );
      this.deps.ui.refresh();
    });
  }

  clearPath(): void {
    this.state.from = null;
    this.state.to = null;
    this.path = null;
    this.deps.graph.highlightPath([], []);
    this.save();
    this.deps.ui.refresh();
  }

  async search(query: string): Promise<void> {
    this.state.query = query;
    this.save();
    if (!query.trim()) {
      this.deps.ui.results(null);
      return;
    }
    await this.track(async () => {
      const data = await this.deps.request(SearchDocument, { query, first: 25 });
      this.deps.ui.results(data.search.edges.map((e) => e.node));
    });
  }

  setKinds(kinds: ViewState['kinds']): void {
    this.state.kinds = kinds;
    this.save();
  }

  setLimit(limit: number): void {
    this.state.limit = limit;
    this.save();
  }

  /** Asks who the caller is (the API key may have changed). */
  async who(): Promise<void> {
    await this.track(async () => this.deps.ui.viewer((await this.deps.request(ViewerDocument, {})).viewer));
  }

  /** Rebuilds the view from a state (a shared link, or after the key changed), in the order it was built. */
  async replay(next: ViewState): Promise<void> {
    this.deps.graph.clear();
    this.path = null;
    this.state = { ...next, open: [] };
    this.deps.ui.controls(this.state);
    for (const id of next.open) await this.expand(id);
    if (next.from && next.to) await this.findPath();
    await this.select(next.selected);
    if (this.state.query) await this.search(this.state.query);
    this.save();
  }

  /** Runs a request, counting it as in flight; a failure is shown as a notice and yields undefined. */
  private async track<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.deps.ui.busy(++this.busyCount);
    try {
      return await work();
    } catch (err) {
      this.deps.ui.notify(errorMessage(err), 'error');
      return undefined;
    } finally {
      this.deps.ui.busy(--this.busyCount);
    }
  }

  private save(): void {
    this.lastHash = serializeState(this.state);
    this.deps.saveHash(this.lastHash);
  }
}
