import type { RelationType } from '../../model/graph-model.js';
import type { Executor, Row, Tx } from '../executor.js';
import * as q from '../queries/merge.js';
import { dropEventPlaces, refreshEventPlaces } from './event-places.js';
import type {
  KeptProps,
  LinkType,
  MoveRow,
  MoveType,
  RetargetRow,
  TypedProp,
  UndoCheck,
  UnmoveRows,
} from '../queries/merge.js';
import { fromProjection, type EntityRecord } from '../records.js';
import { json, num, str, strs } from '../values.js';

/**
 * Merging a duplicate entity into another and undoing it, as typed reads and writes inside the caller's
 * transaction (runMutation). The use case (src/services/merge.ts) decides; this runs the statements of
 * src/graph/queries/merge.ts and decodes their rows once.
 */

export type { KeptProps, LinkType, MoveRow, MoveType, RetargetRow, TypedProp, UndoCheck, UnmoveRows };
/** The vocabulary of the move statements: which relationship types move, and which property types. */
export { LINK_TYPES, MOVE_TYPES, RESTORABLE_TYPES } from '../queries/merge.js';

/** A relationship of the duplicate or the kept entity, as the snapshot reads it. */
export interface SnapshotRel {
  eid: string;
  type: string;
  /** Whether the entity is the start of the relationship. */
  out: boolean;
  otherId: string;
  otherLabels: string[];
  otherSubjectId: string | null;
  otherObjectId: string | null;
  otherVersion: number | null;
  props: TypedProp[];
}

/** The entity properties a merge reads and changes. */
export interface EntitySnapshot {
  id: string;
  kind: string;
  name: string;
  lang: string | null;
  aliasesJson: string | null;
  names: string[] | null;
  identifiersJson: string | null;
  identifierKeys: string[] | null;
  version: number | null;
  sensitivity: string | null;
  /** Its type (actor, place or event type): relationships moved onto it must still fit (HELD_IN: a facility). */
  type?: string | null;
  _labels: string[];
}

export interface Alias {
  value: string;
  lang: string;
}

export interface Identifier {
  scheme: string;
  value: string;
}

/** An entity relationship moved to the kept entity: created there, or its claims added to one it had. */
export interface RelationMove {
  type: RelationType;
  oldId: string | null;
  out: boolean;
  otherId: string;
  props: TypedProp[];
  targetId: string;
  created: boolean;
  /** The target had no claim ids before the merge (so undo leaves it even when none remain). */
  keepIfEmpty: boolean;
  /** Claim ids this move added to the target. */
  contributed: string[];
}

/** A structural link (ABOUT, OBJECT, ...) moved to the kept entity; not created when already there. */
export interface LinkMove {
  type: LinkType;
  out: boolean;
  otherId: string;
  props: TypedProp[];
  created: boolean;
}

export interface ClaimChange {
  id: string;
  subject: boolean;
  object: boolean;
  versionBefore: number | null;
  versionAfter: number | null;
}

/** Everything a merge changed, exactly, stored on the Merge node as movedJson; undo replays it backwards. */
export interface Moved {
  format: 1;
  relations: RelationMove[];
  links: LinkMove[];
  claims: ClaimChange[];
  figures: string[];
  kept: { before: KeptProps; after: KeptProps };
  aliasesAdded: Alias[];
  identifiersAdded: Identifier[];
}

/** A Merge node as stored, its movedJson decoded. */
export interface StoredMerge {
  id: string;
  keepId: string;
  mergeId: string;
  kind: string;
  note: string;
  judgement: string;
  by: string;
  at: string;
  undoneAt: string | null;
  undoneBy: string | null;
  undoNote: string | null;
  moved: Moved;
}

/** One end of a merge: the entity as it stands, or the entity it was merged into before. */
export interface MergeEnd {
  id: string;
  entity: EntitySnapshot | null;
  mergedInto: string | null;
}

/** A merge to undo with both of its ends as they stand now. */
export interface UnmergeSnapshot {
  merge: StoredMerge;
  /** The duplicate's labels and the entity it is merged into now. */
  mergedLabels: string[];
  mergedInto: string | null;
  /** The kept entity (null when gone), and what it was merged into since, if anything. */
  kept: EntitySnapshot | null;
  keptMergedInto: string | null;
  /** Element ids of both ends: undo addresses them whatever their labels. */
  xEid: string | null;
  kEid: string | null;
}

/** Element ids of the duplicate (x) and the kept entity (k), which undo writes to. */
export type UndoEnds = {
  xEid: string;
  kEid: string;
};

/** A list property: absent stays null (unlike strs), since undo restores exactly what was there. */
const listOrNull = (v: unknown): string[] | null => (Array.isArray(v) ? v.map(String) : null);

function toEntitySnapshot(v: unknown): EntitySnapshot | null {
  if (!v || typeof v !== 'object') return null;
  const e = v as Row;
  return {
    id: String(e.id),
    kind: String(e.kind),
    name: String(e.name),
    lang: str(e.lang),
    aliasesJson: str(e.aliasesJson),
    names: listOrNull(e.names),
    identifiersJson: str(e.identifiersJson),
    identifierKeys: listOrNull(e.identifierKeys),
    version: num(e.version),
    sensitivity: str(e.sensitivity),
    type: str(e.type),
    _labels: strs(e._labels),
  };
}

function toSnapshotRel(v: unknown): SnapshotRel {
  const r = v as Row;
  return {
    eid: String(r.eid),
    type: String(r.type),
    out: r.out === true,
    otherId: String(r.otherId),
    otherLabels: strs(r.otherLabels),
    otherSubjectId: str(r.otherSubjectId),
    otherObjectId: str(r.otherObjectId),
    otherVersion: num(r.otherVersion),
    // Values stay as read: undo writes them back with their type.
    props: ((r.props as Row[] | null) ?? []).map((p) => ({ k: String(p.k), t: String(p.t), v: p.v })),
  };
}

function toStoredMerge(v: unknown): StoredMerge {
  const m = v as Row;
  const moved = json<Moved | null>(m.movedJson, null);
  if (!moved) throw new Error(`Merge ${String(m.id)} has no record of what it moved`);
  return {
    id: String(m.id),
    keepId: String(m.keepId),
    mergeId: String(m.mergeId),
    kind: String(m.kind),
    note: String(m.note),
    judgement: String(m.judgement),
    by: String(m.by),
    at: String(m.at),
    undoneAt: str(m.undoneAt),
    undoneBy: str(m.undoneBy),
    undoNote: str(m.undoNote),
    moved,
  };
}

/**
 * Takes the write locks of both ends (entities or merged already), in id order so that two merges of one
 * pair wait for each other. Read everything else after this.
 */
export async function lockMergeEnds(tx: Tx, keepId: string, mergeId: string): Promise<void> {
  await tx.run(q.lockMergeEnds, { ids: [keepId, mergeId].sort() });
}

/** Both ends of a merge as they stand, found or not. */
export async function mergeEnds(tx: Tx, keepId: string, mergeId: string): Promise<MergeEnd[]> {
  const rows = await tx.run(q.mergeEnds, { keepId, mergeId });
  return rows.map((r) => ({
    id: String(r.id),
    entity: toEntitySnapshot(r.entity),
    mergedInto: str(r.mergedInto),
  }));
}

/**
 * Every relationship of the move types touching the duplicate (mergedRels) or the kept entity (keptRels);
 * null when either is no longer an entity.
 */
export async function mergeSnapshot(
  tx: Tx,
  keepId: string,
  mergeId: string,
): Promise<{ mergedRels: SnapshotRel[]; keptRels: SnapshotRel[] } | null> {
  const [row] = await tx.run(q.mergeSnapshot, { keepId, mergeId, moveTypes: q.MOVE_TYPES });
  if (!row) return null;
  return {
    mergedRels: ((row.mergedRels as unknown[] | null) ?? []).map(toSnapshotRel),
    keptRels: ((row.keptRels as unknown[] | null) ?? []).map(toSnapshotRel),
  };
}

/** Runs the moves of each type (one statement per type that has any); fails the transaction on a miss. */
export async function moveRelationships(
  tx: Tx,
  keepId: string,
  rows: ReadonlyMap<MoveType, MoveRow[]>,
): Promise<void> {
  for (const type of q.MOVE_TYPES) {
    const typed = rows.get(type);
    if (typed?.length) await tx.run(q.moveRels[type], { keepId, rows: typed });
  }
}

/** Points claims (rows) and figures (ids) that name `from` at `to`; every one must still exist. */
export async function retarget(
  tx: Tx,
  claims: RetargetRow[],
  figures: string[],
  from: string,
  to: string,
): Promise<void> {
  if (claims.length) await tx.run(q.retargetClaims, { rows: claims, from, to });
  if (figures.length) await tx.run(q.retargetFigures, { ids: figures, from, to });
}

/**
 * Completes a merge (the kept entity's new names, the duplicate hidden, the Merge node and its SAME_AS
 * judgement); returns the relationship types still attached to the duplicate besides history.
 */
export async function finishMerge(tx: Tx, m: q.FinishMergeParams & { moved: Moved }): Promise<string[]> {
  const { moved, ...rest } = m;
  // The duplicate leaves the entities: its place rows go; the kept entity's events are placed anew.
  await dropEventPlaces(tx, [m.mergeId]);
  const [row] = await tx.run(q.finishMerge, {
    ...rest,
    movedJson: JSON.stringify(moved),
    historyTypes: q.HISTORY_TYPES,
  });
  await refreshEventPlaces(tx, [m.keepId]);
  return strs(row?.leftBehind);
}

/** A merge with the entity it kept (null when that was merged away since); null when there is no such merge. */
export async function mergeById(
  executor: Executor,
  id: string,
): Promise<{ merge: StoredMerge; kept: EntityRecord | null } | null> {
  const [row] = await executor.read(q.mergeById, { id });
  if (!row) return null;
  return { merge: toStoredMerge(row.merge), kept: (fromProjection(row.kept) as EntityRecord | null) ?? null };
}

/** A merge to undo, locked, with both of its ends as they stand; null when there is no such merge. */
export async function unmergeSnapshot(tx: Tx, id: string): Promise<UnmergeSnapshot | null> {
  const [row] = await tx.run(q.unmergeSnapshot, { id });
  if (!row) return null;
  return {
    merge: toStoredMerge(row.merge),
    mergedLabels: strs(row.mergedLabels),
    mergedInto: str(row.mergedInto),
    kept: toEntitySnapshot(row.kept),
    keptMergedInto: str(row.keptMergedInto),
    xEid: str(row.xEid),
    kEid: str(row.kEid),
  };
}

/**
 * What undo relies on: the checks no longer true on the kept entity (missing), and the other ends among
 * entityOthers that are no longer entities (otherMissing).
 */
export async function unmergeChecks(
  tx: Tx,
  kEid: string,
  checks: UndoCheck[],
  entityOthers: string[],
): Promise<{ missing: UndoCheck[]; otherMissing: string[] }> {
  const [row] = await tx.run(q.unmergeChecks, { kEid, checks, entityOthers });
  return {
    missing: ((row?.missing as Row[] | null) ?? []).map((c) => ({
      type: String(c.type) as MoveType,
      otherId: String(c.otherId),
      targetId: str(c.targetId),
    })),
    otherMissing: strs(row?.otherMissing),
  };
}

/** Undoes the moves of each type (one statement per type that has any). */
export async function unmoveRelationships(
  tx: Tx,
  ends: UndoEnds,
  rows: ReadonlyMap<MoveType, UnmoveRows>,
): Promise<void> {
  for (const type of q.MOVE_TYPES) {
    const typed = rows.get(type);
    if (typed) await tx.run(q.unmoveRels[type], { ...ends, ...typed });
  }
}

/** Completes an undo (the kept entity's properties, the duplicate's labels back, the merge marked undone). */
export async function finishUnmerge(
  tx: Tx,
  u: UndoEnds & { id: string; kept: KeptProps; by: string; note: string },
): Promise<StoredMerge> {
  const [row] = await tx.run(q.finishUnmerge, u);
  const merge = toStoredMerge(row!.merge);
  // Both ends have their own relationships back: their events are placed anew.
  await refreshEventPlaces(tx, [merge.keepId, merge.mergeId]);
  return merge;
}
