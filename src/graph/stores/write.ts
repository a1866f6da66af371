import type { EntityKind, RelationType } from '../../model/graph-model.js';
import type { FuzzyDate } from '../../model/fuzzy-date.js';
import type {
  ClaimRow,
  EntityRow,
  ExcerptRow,
  FigureRow,
  PublicationHopRow,
  RelationRow,
  SourceRow,
} from '../../model/rows.js';
import type { Tx } from '../executor.js';
import * as q from '../queries/write.js';
import { refreshEventPlaces } from './event-places.js';
import { claimParams, entityParams, figureParams, sourceParams } from './properties.js';
import { toRecord, type EntityRecord } from '../records.js';
import { str } from '../values.js';

/**
 * Writes of the write API, inside the caller's transaction (runMutation). Rows have the bundle loader's
 * shapes (src/model/rows.ts), so written records are indistinguishable from loaded ones.
 */

export type WritableKind = EntityKind | 'Claim' | 'Figure' | 'Source';

export interface FoundNode {
  kind: WritableKind;
  status: string | null;
  subjectId: string | null;
  objectId: string | null;
  /** Entities: their type (actor type, place type, event type), for relations that need one. */
  type: string | null;
}

const KINDS: readonly WritableKind[] = ['Event', 'Actor', 'Place', 'Claim', 'Figure', 'Source'];

function kindOf(labels: string[]): WritableKind {
  return KINDS.find((k) => labels.includes(k)) ?? 'Source';
}

/** The records among ids that exist and that the caller may see. */
export async function findNodes(tx: Tx, ids: string[]): Promise<Map<string, FoundNode>> {
  const rows = await tx.run(q.findNodes, { ids: [...new Set(ids)] });
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        kind: kindOf(r.labels as string[]),
        status: (r.status as string) ?? null,
        subjectId: (r.subjectId as string) ?? null,
        objectId: (r.objectId as string) ?? null,
        type: (r.type as string) ?? null,
      },
    ]),
  );
}

/** The stored text of a source the caller may see, or null. */
export async function sourceText(tx: Tx, id: string): Promise<string | null> {
  const [row] = await tx.run(q.sourceText, { id });
  return row ? String(row.text) : null;
}

/** The metadata of a stored source, as ingestSource compares it with what it was given. */
export interface StoredSourceMeta {
  title: string | null;
  language: string | null;
  url: string | null;
  /** As Neo4j prints the instant. */
  retrievedAt: string | null;
  publishedJson: string | null;
  reliability: string | null;
  sensitivity: string;
  notes: string | null;
  /** The publisher, when the caller may see it. */
  publisherId: string | null;
  /** The outlets that carried it that the caller may see, nearest to the reader first. */
  publishedVia: PublicationHopRow[];
}

/**
 * Creates the source, or finds the one with the same text (created false). `visible`: whether the caller
 * may see it; `stored`: its metadata, only when it was there already and the caller may see it.
 */
export async function mergeSource(
  tx: Tx,
  s: SourceRow,
): Promise<{ id: string; created: boolean; visible: boolean; stored: StoredSourceMeta | null }> {
  const [row] = await tx.run(q.mergeSource, { r: sourceParams(s) });
  const m = row!.stored as Record<string, unknown> | null;
  const stored: StoredSourceMeta | null = m && {
    title: str(m.title),
    language: str(m.language),
    url: str(m.url),
    retrievedAt: str(m.retrievedAt),
    publishedJson: str(m.publishedJson),
    reliability: str(m.reliability),
    sensitivity: String(m.sensitivity),
    notes: str(m.notes),
    publisherId: str(m.publisherId),
    publishedVia: ((m.publishedVia as Record<string, unknown>[] | null) ?? []).map((h) => ({
      actorId: String(h.actorId),
      url: str(h.url),
      published: h.publishedJson ? (JSON.parse(String(h.publishedJson)) as FuzzyDate) : null,
    })),
  };
  return { id: String(row!.id), created: row!.created === true, visible: row!.visible === true, stored };
}

export async function createEntity(tx: Tx, e: EntityRow): Promise<void> {
  await tx.run(q.createEntity[e.kind], { e: entityParams(e) });
}

/**
 * Takes the entity's write lock by moving it to its next version; returns the entity as it now is
 * (version already incremented), or null when there is no such entity.
 */
export async function bumpEntityVersion(tx: Tx, id: string): Promise<EntityRecord | null> {
  const [row] = await tx.run(q.bumpEntityVersion, { id });
  if (!row) return null;
  return toRecord({
    labels: row.labels as string[],
    properties: row.props as Record<string, unknown>,
  }) as EntityRecord;
}

export async function setEntityFields(tx: Tx, e: EntityRow): Promise<void> {
  await tx.run(q.setEntityFields, { e: entityParams(e) });
  // An event's dates key its place rows.
  if (e.kind === 'Event') await refreshEventPlaces(tx, [e.id]);
}

/** Ids among these excerpts that already exist (shared by claims citing the same words). */
export async function existingExcerpts(tx: Tx, ids: string[]): Promise<Set<string>> {
  const [row] = await tx.run(q.existingExcerpts, { ids });
  return new Set((row?.ids as string[]) ?? []);
}

export async function insertExcerpts(tx: Tx, rows: ExcerptRow[]): Promise<void> {
  await tx.run(q.insertExcerpts, { rows });
}

/** Writes the claim with its links; false when its subject vanished meanwhile. */
export async function insertClaim(tx: Tx, row: ClaimRow): Promise<boolean> {
  const [r] = await tx.run(q.insertClaim, { rows: [claimParams(row)] });
  return Number(r?.written ?? 0) === 1;
}

export async function insertFigure(tx: Tx, f: FigureRow): Promise<boolean> {
  const [r] = await tx.run(q.insertFigure, { rows: [figureParams(f)] });
  if (f.shareOfId || f.duringId) await tx.run(q.linkFigure, { rows: [figureParams(f)] });
  return Number(r?.written ?? 0) === 1;
}

/** A visible claim as a share's whole: its kind, status and figure unit; null when missing or hidden. */
export async function figureClaim(
  tx: Tx,
  id: string,
): Promise<{ kind: string; status: string; unit: string | null } | null> {
  const [r] = await tx.run(q.figureClaim, { id });
  if (!r || r.hidden) return null;
  return { kind: String(r.kind), status: String(r.status ?? 'asserted'), unit: (r.unit as string) ?? null };
}

const PLACE_RELS: ReadonlySet<string> = new Set(['OCCURRED_IN', 'PART_OF']);

/** Creates or extends a relationship; returns its claim ids before (null: it is new) and after. */
export async function mergeRelation(
  tx: Tx,
  r: RelationRow,
): Promise<{ before: string[] | null; claimIds: string[] } | null> {
  const [row] = await tx.run(q.mergeRelation[r.type as RelationType], { r });
  if (!row) return null;
  // A new OCCURRED_IN or PART_OF puts the event (or the place's events) in more places; a new INVOLVED_IN
  // puts the event on the actor's timeline.
  if (row.before == null && PLACE_RELS.has(r.type)) await refreshEventPlaces(tx, [r.fromId]);
  if (row.before == null && r.type === 'INVOLVED_IN') await refreshEventPlaces(tx, [r.toId]);
  return { before: (row.before as string[] | null) ?? null, claimIds: row.claimIds as string[] };
}

export interface ClaimStatusState {
  status: string;
  statusReason: string | null;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  version: number;
  sensitivity: string;
}

/**
 * Takes the claim's write lock by moving it to its next version; null when there is no such claim or the
 * caller may not see it (its subject, object or evidence hidden included), in which case nothing is written.
 */
export async function bumpClaimVersion(tx: Tx, id: string): Promise<ClaimStatusState | null> {
  const [row] = await tx.run(q.bumpClaimVersion, { id });
  if (!row) return null;
  return {
    status: String(row.status ?? 'asserted'),
    statusReason: (row.statusReason as string) ?? null,
    statusChangedAt: (row.statusChangedAt as string) ?? null,
    statusChangedBy: (row.statusChangedBy as string) ?? null,
    version: Number(row.version),
    sensitivity: String(row.sensitivity),
  };
}

export async function setClaimStatus(
  tx: Tx,
  p: { id: string; status: string; reason: string; at: string; by: string },
): Promise<string> {
  const [row] = await tx.run(q.setClaimStatus, p);
  return String(row!.statusChangedAt);
}

/**
 * Locks an entity, claim, figure or source and returns its sensitivity, version and whether the caller may
 * see it (the read rule); null when absent.
 */
export async function lockSensitive(
  tx: Tx,
  id: string,
): Promise<{ sensitivity: string; version: number | null; kind: WritableKind; visible: boolean } | null> {
  const [row] = await tx.run(q.lockSensitive, { id });
  if (!row) return null;
  return {
    sensitivity: String(row.sensitivity),
    version: row.version === null || row.version === undefined ? null : Number(row.version),
    kind: kindOf(row.labels as string[]),
    visible: row.visible === true,
  };
}

export async function setSensitivity(tx: Tx, id: string, sensitivity: string): Promise<void> {
  await tx.run(q.setSensitivity, { id, sensitivity });
}
