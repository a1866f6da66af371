/**
 * The operations of operations.graphql as typed values. Each request sends only its own operation and
 * the fragments it uses (found transitively), so documents stay small under the API's token limit.
 */
import source from './operations.graphql?raw';
import type {
  NeighborhoodQuery,
  NeighborhoodQueryVariables,
  PathsQuery,
  PathsQueryVariables,
  ProvenanceQuery,
  ProvenanceQueryVariables,
  SearchQuery,
  SearchQueryVariables,
  SourceTextQuery,
  SourceTextQueryVariables,
  ViewerQuery,
  ViewerQueryVariables,
} from './generated/graphql.js';

export interface TypedOperation<TData, TVars> {
  name: string;
  document: string;
  /** Phantom fields carrying the types; never set. */
  readonly __data?: TData;
  readonly __vars?: TVars;
}

/** Top-level definitions by name (the file is formatted: every definition starts a line). */
const definitions = new Map<string, string>();
for (const block of source.split(/^(?=query |fragment |mutation )/m)) {
  const m = /^(?:query|fragment|mutation) (\w+)/.exec(block);
  if (m) definitions.set(m[1]!, block.replace(/^#.*$/gm, '').trim());
}

function documentFor(name: string): string {
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    const text = definitions.get(n);
    if (!text) throw new Error(`operations.graphql has no definition named ${n}`);
    seen.add(n);
    for (const m of text.matchAll(/\.\.\.(\w+)/g)) if (definitions.has(m[1]!)) visit(m[1]!);
  };
  visit(name);
  return [...seen].map((n) => definitions.get(n)!).join('\n');
}

function op<TData, TVars>(name: string): TypedOperation<TData, TVars> {
  return { name, document: documentFor(name) };
}

export const SearchOp = op<SearchQuery, SearchQueryVariables>('Search');
export const NeighborhoodOp = op<NeighborhoodQuery, NeighborhoodQueryVariables>('Neighborhood');
export const PathsOp = op<PathsQuery, PathsQueryVariables>('Paths');
export const ProvenanceOp = op<ProvenanceQuery, ProvenanceQueryVariables>('Provenance');
export const SourceTextOp = op<SourceTextQuery, SourceTextQueryVariables>('SourceText');
export const ViewerOp = op<ViewerQuery, ViewerQueryVariables>('Viewer');
