import DataLoader from 'dataloader';
import { RELATION_TYPES } from '../model/graph-model.js';
import type { Executor, Row, Statement } from './executor.js';
import * as q from './queries/records.js';
import {
  toRecord,
  type AttributionRecord,
  type ClaimRecord,
  type ExcerptRecord,
  type FigureRecord,
  type NodeRecord,
  type RelationRecord,
} from './records.js';

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
  claimsOfFigure: DataLoader<string, ClaimRecord[]>;
  figureLinks: DataLoader<string, { shareOfId: string | null; duringId: string | null }>;
  publisherOf: DataLoader<string, string | null>;
}

const claimRecord = (props: unknown) =>
  toRecord({ labels: ['Claim'], properties: props as Record<string, unknown> }) as ClaimRecord;
const figureRecord = (props: unknown) =>
  toRecord({ labels: ['Figure'], properties: props as Record<string, unknown> }) as FigureRecord;
const excerptRecord = (props: unknown) =>
  toRecord({ labels: ['Excerpt'], properties: props as Record<string, unknown> }) as ExcerptRecord;

/** A loader whose statement returns rows {id, <field>}; ids without a row get the fallback. */
function batched<V>(
  executor: Executor,
  stmt: Statement,
  field: string,
  map: (value: unknown) => V,
  fallback: () => V,
  extra: Record<string, unknown> = {},
): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (ids) => {
      const rows: Row[] = await executor.read(stmt, { ids: [...ids], ...extra });
      const byId = new Map(rows.map((r) => [String(r.id), map(r[field])] as const));
      return ids.map((id) => byId.get(id) ?? fallback());
    },
    { maxBatchSize: 1000 },
  );
}

export function createLoaders(executor: Executor): Loaders {
  const list =
    <T>(fn: (x: unknown) => T) =>
    (v: unknown) =>
      (v as unknown[]).map(fn);
  return {
    node: new DataLoader<string, NodeRecord | null>(
      async (ids) => {
        const rows = await executor.read(q.nodesById, { ids: [...ids] });
        const byId = new Map(
          rows.map((r) => [
            String(r.id),
            toRecord({ labels: r.labels as string[], properties: r.props as Record<string, unknown> }),
          ]),
        );
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: 1000 },
    ),
    claimsAbout: batched(executor, q.claimsAbout, 'claims', list(claimRecord), () => []),
    figuresOf: batched(executor, q.figuresOf, 'figures', list(figureRecord), () => []),
    relationsOf: batched(
      executor,
      q.relationsOf,
      'relations',
      (v) => v as RelationRecord[],
      () => [],
      {
        types: RELATION_TYPES,
      },
    ),
    excerptsOfClaim: batched(executor, q.excerptsOfClaims, 'excerpts', list(excerptRecord), () => []),
    attributionOfClaim: batched(
      executor,
      q.attributionOfClaims,
      'hops',
      (v) => v as AttributionRecord[],
      () => [],
    ),
    conflictsOfClaim: batched(executor, q.conflictsOfClaims, 'claims', list(claimRecord), () => []),
    claimsOfFigure: batched(executor, q.claimsOfFigures, 'claims', list(claimRecord), () => []),
    figureLinks: new DataLoader(async (ids) => {
      const rows = await executor.read(q.figureLinks, { ids: [...ids] });
      const byId = new Map(
        rows.map((r) => [
          String(r.id),
          { shareOfId: (r.shareOfId as string) ?? null, duringId: (r.duringId as string) ?? null },
        ]),
      );
      return ids.map((id) => byId.get(id) ?? { shareOfId: null, duringId: null });
    }),
    publisherOf: batched(
      executor,
      q.publishersOf,
      'publisherId',
      (v) => (v as string) ?? null,
      () => null,
    ),
  };
}
