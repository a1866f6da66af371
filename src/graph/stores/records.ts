import { RELATION_TYPES } from '../../model/graph-model.js';
import type { Executor, Row } from '../executor.js';
import { EMBEDDED_CLAIMS } from '../queries/fragments.js';
import * as q from '../queries/records.js';
import {
  decodeClaimDetails,
  fromProjection,
  toRecord,
  toRelationRecord,
  type AttributionRecord,
  type ClaimDetails,
  type ClaimRecord,
  type ExcerptRecord,
  type FigureRecord,
  type NodeRecord,
  type RelationRecord,
} from '../records.js';
import { num, str, strs } from '../values.js';

/**
 * Reads of records by id: the batched reads behind the per-request DataLoaders (src/graph/loaders.ts), each
 * one statement for any number of ids and answering by id (ids without a row are absent from the map), and
 * the reads of an entity with its evidence and of source texts (RecordsService).
 */

type Props = Record<string, unknown>;

/** A node as a statement returns it: `props` (its projected properties) and `labels`. */
const labelled = (r: Row): NodeRecord | null =>
  toRecord({ labels: strs(r.labels), properties: r.props as Props });

/** Lists of property maps of one label (claims, figures, excerpts with their sourceId) as records. */
const ofLabel =
  <T extends NodeRecord>(label: T['__kind']) =>
  (v: unknown): T[] =>
    ((v as unknown[] | null) ?? []).map((p) => toRecord({ labels: [label], properties: p as Props }) as T);

/** Runs a batched statement and maps each row's id to its decoded `field`. */
async function byId<V>(
  rows: Promise<Row[]>,
  field: string,
  decode: (value: unknown) => V,
): Promise<Map<string, V>> {
  return new Map((await rows).map((r) => [String(r.id), decode(r[field])] as const));
}

/** Any records by id (entities, sources, excerpts, claims, figures the caller may see). */
export async function nodesById(executor: Executor, ids: string[]): Promise<Map<string, NodeRecord | null>> {
  const rows = await executor.read(q.nodesById, { ids });
  return new Map(rows.map((r) => [String(r.id), labelled(r)] as const));
}

/** The claims about each entity, by fact then id. */
export function claimsAbout(executor: Executor, ids: string[]): Promise<Map<string, ClaimRecord[]>> {
  return byId(executor.read(q.claimsAbout, { ids }), 'claims', ofLabel<ClaimRecord>('Claim'));
}

/** The figures about each entity. */
export function figuresOf(executor: Executor, ids: string[]): Promise<Map<string, FigureRecord[]>> {
  return byId(executor.read(q.figuresOf, { ids }), 'figures', ofLabel<FigureRecord>('Figure'));
}

/** The relationships of each entity (the model's relation types) backed by a claim the caller may see. */
export function relationsOf(executor: Executor, ids: string[]): Promise<Map<string, RelationRecord[]>> {
  return byId(executor.read(q.relationsOf, { ids, types: RELATION_TYPES }), 'relations', (v) =>
    ((v as unknown[] | null) ?? []).map(toRelationRecord),
  );
}

/** The excerpts supporting each claim, in visible sources. */
export function excerptsOfClaims(executor: Executor, ids: string[]): Promise<Map<string, ExcerptRecord[]>> {
  return byId(executor.read(q.excerptsOfClaims, { ids }), 'excerpts', ofLabel<ExcerptRecord>('Excerpt'));
}

/** The attribution chain of each claim: visible agents' ids, numbered from 1. */
export function attributionOfClaims(
  executor: Executor,
  ids: string[],
): Promise<Map<string, AttributionRecord[]>> {
  return byId(executor.read(q.attributionOfClaims, { ids }), 'hops', (v) =>
    ((v as Row[] | null) ?? []).map((h) => ({
      hop: num(h.hop) ?? 0,
      agentId: String(h.agentId),
      capacity: str(h.capacity),
      excerpt: fromProjection(h.excerpt) as ExcerptRecord | null,
    })),
  );
}

/** The later releases' claims that supersede each claim (SUPERSEDES_FOR_CALLER). */
export function supersedingClaims(executor: Executor, ids: string[]): Promise<Map<string, ClaimRecord[]>> {
  return byId(executor.read(q.supersedingClaims, { ids }), 'claims', ofLabel<ClaimRecord>('Claim'));
}

/** The earlier releases' claims each claim supersedes, those the caller may see. */
export function supersededClaims(executor: Executor, ids: string[]): Promise<Map<string, ClaimRecord[]>> {
  return byId(executor.read(q.supersededClaims, { ids }), 'claims', ofLabel<ClaimRecord>('Claim'));
}

export function conflictsOfClaims(executor: Executor, ids: string[]): Promise<Map<string, ClaimRecord[]>> {
  return byId(executor.read(q.conflictsOfClaims, { ids }), 'claims', ofLabel<ClaimRecord>('Claim'));
}

/** The claims asserting each figure. */
export function claimsOfFigures(executor: Executor, ids: string[]): Promise<Map<string, ClaimRecord[]>> {
  return byId(executor.read(q.claimsOfFigures, { ids }), 'claims', ofLabel<ClaimRecord>('Claim'));
}

export interface FigureLinks {
  /** The figure this one is a share of. */
  shareOfId: string | null;
  /** The event this figure counts during. */
  duringId: string | null;
}

/** Each figure's links to the whole it is a share of and the event it counts during (visible ones). */
export async function figureLinks(executor: Executor, ids: string[]): Promise<Map<string, FigureLinks>> {
  const rows = await executor.read(q.figureLinks, { ids });
  return new Map(
    rows.map((r) => [String(r.id), { shareOfId: str(r.shareOfId), duringId: str(r.duringId) }] as const),
  );
}

/** The id of each source's visible publisher (sources without one are absent). */
export function publishersOf(executor: Executor, ids: string[]): Promise<Map<string, string | null>> {
  return byId(executor.read(q.publishersOf, { ids }), 'publisherId', str);
}

/**
 * The texts of visible sources, whole (start and end null) or a slice by code points [start, end): the only
 * read of source texts for the API.
 */
export async function sourceTexts(
  executor: Executor,
  ids: string[],
  range: { start: number | null; end: number | null },
): Promise<Map<string, string | null>> {
  const rows = await executor.read(q.sourceTexts, { ids, start: range.start, end: range.end });
  return new Map(rows.map((r) => [String(r.id), str(r.text)] as const));
}

export interface EntityWithClaims {
  entity: NodeRecord | null;
  /** The claims about it with their details, in claimsAbout's order. */
  claims: ClaimDetails[];
  /** Whether `claims` are all of them (the statement embeds at most EMBEDDED_CLAIMS). */
  allClaims: boolean;
}

/** An entity with the claims about it and their details, in one round trip; null when not visible. */
export async function entityWithClaims(executor: Executor, id: string): Promise<EntityWithClaims | null> {
  const [row] = await executor.read(q.entityWithClaims, { id });
  if (!row) return null;
  const claims = ((row.claims as unknown[] | null) ?? []).map(decodeClaimDetails);
  return { entity: labelled(row), claims, allClaims: claims.length < EMBEDDED_CLAIMS };
}
