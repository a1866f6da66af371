import DataLoader from 'dataloader';
import type { Executor } from './executor.js';
import type {
  AttributionRecord,
  ClaimRecord,
  ExcerptRecord,
  FigureRecord,
  NodeRecord,
  RelationRecord,
} from './records.js';
import * as store from './stores/records.js';
import type { FigureLinks } from './stores/records.js';

/**
 * Per-request DataLoaders: every parent at one level of a GraphQL response is answered by one batched
 * statement (UNWIND $ids), and repeated ids within a request are read once.
 */
export interface Loaders {
  node: DataLoader<string, NodeRecord | null>;
  claimsAbout: DataLoader<string, ClaimRecord[]>;
  figuresOf: DataLoader<string, FigureRecord[]>;
  relationsOf: DataLoader<string, RelationRecord[]>;
  excerptsOfClaim: DataLoader<string, ExcerptRecord[]>;
  attributionOfClaim: DataLoader<string, AttributionRecord[]>;
  conflictsOfClaim: DataLoader<string, ClaimRecord[]>;
  supersedingClaims: DataLoader<string, ClaimRecord[]>;
  supersededClaims: DataLoader<string, ClaimRecord[]>;
  claimsOfFigure: DataLoader<string, ClaimRecord[]>;
  figureLinks: DataLoader<string, FigureLinks>;
  publisherOf: DataLoader<string, string | null>;
}

/**
 * A loader over a batched store read (answers by id); ids without an answer get the fallback. Batches hold
 * at most 1000 ids unless told otherwise.
 */
function batched<V>(
  load: (ids: string[]) => Promise<Map<string, V>>,
  fallback: () => V,
  options: DataLoader.Options<string, V> = { maxBatchSize: 1000 },
): DataLoader<string, V> {
  return new DataLoader<string, V>(async (ids) => {
    const byId = await load([...ids]);
    return ids.map((id) => byId.get(id) ?? fallback());
  }, options);
}

export function createLoaders(executor: Executor): Loaders {
  const read =
    <V>(fn: (executor: Executor, ids: string[]) => Promise<Map<string, V>>) =>
    (ids: string[]) =>
      fn(executor, ids);
  const none = () => [];
  return {
    node: batched(read(store.nodesById), () => null),
    claimsAbout: batched(read(store.claimsAbout), none),
    figuresOf: batched(read(store.figuresOf), none),
    relationsOf: batched(read(store.relationsOf), none),
    excerptsOfClaim: batched(read(store.excerptsOfClaims), none),
    attributionOfClaim: batched(read(store.attributionOfClaims), none),
    conflictsOfClaim: batched(read(store.conflictsOfClaims), none),
    supersedingClaims: batched(read(store.supersedingClaims), none),
    supersededClaims: batched(read(store.supersededClaims), none),
    claimsOfFigure: batched(read(store.claimsOfFigures), none),
    // DataLoader's default batches (unbounded): one statement for every figure of a level.
    figureLinks: batched(read(store.figureLinks), () => ({ shareOfId: null, duringId: null }), {}),
    publisherOf: batched(read(store.publishersOf), () => null),
  };
}
