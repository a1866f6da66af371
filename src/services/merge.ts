import { INPUT_LIMITS } from '../limits.js';
import { randomUUID } from 'node:crypto';
import { actorLabel, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor, Tx } from '../graph/executor.js';
import { runMutation } from '../graph/mutation.js';
import type { EntityRecord } from '../graph/records.js';
import * as store from '../graph/stores/merge.js';
import type { EntitySnapshot, Moved, StoredMerge, UndoEnds, UnmergeSnapshot } from '../graph/stores/merge.js';
import {
  checkMergeable,
  countsOf,
  keptAfterUndo,
  keptPropsOf,
  planMerge,
  retargetRows,
  type MergeCounts,
} from './merge-plan.js';
import { planUndo, undoChanges, undoChecks } from './unmerge-plan.js';
import type { RecordsService } from './records.js';

/**
 * Merging a duplicate entity into another, and undoing it exactly: the use case. merge-plan.ts plans a
 * merge and unmerge-plan.ts its undo, without the database; src/graph/stores/merge.ts reads and writes.
 * Merges write through runMutation: one transaction does the moves, records how to undo them and appends
 * the audit record.
 */

const MAX_NOTE = INPUT_LIMITS.note;

export interface MergeRecord extends Omit<StoredMerge, 'moved'> {
  moved: MergeCounts;
}

/** A merge as the API shows it: its counts instead of the full record of what it moved. */
function toMergeRecord(stored: StoredMerge): MergeRecord {
  const { moved, ...rest } = stored;
  return { ...rest, moved: countsOf(moved) };
}

function checkNote(note: string): string {
  const trimmed = note.trim();
  if (!trimmed || trimmed.length > MAX_NOTE)
    throw badInput(`note must be 1 to ${MAX_NOTE} characters`, ['note']);
  return trimmed;
}

export class MergeService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
    private readonly viewer: Viewer,
    private readonly requestId?: string,
  ) {}

  async merge(args: {
    keepId: string;
    mergeId: string;
    note: string;
    idempotencyKey?: string | null;
  }): Promise<{ merge: MergeRecord; kept: EntityRecord }> {
    requireRole(this.viewer, 'admin', 'Merging entities');
    checkId(args.keepId, ['keepId']);
    checkId(args.mergeId, ['mergeId']);
    const note = checkNote(args.note);
    if (args.keepId === args.mergeId) throw badInput('mergeId must differ from keepId', ['mergeId']);
    const { keepId, mergeId } = args;
    const { result } = await runMutation(
      this.executor,
      {
        operation: 'mergeEntities',
        viewer: this.viewer,
        input: { keepId, mergeId, note },
        idempotencyKey: args.idempotencyKey,
        requestId: this.requestId,
      },
      async (tx) => {
        const id = `merge-${randomUUID()}`;
        // Locks first, then every read: a merge of the same pair (either way round) that committed while
        // this one waited is seen, and refused below, rather than undone halfway by this one.
        await store.lockMergeEnds(tx, keepId, mergeId);
        const [kept, merged] = await this.mergeEnds(tx, keepId, mergeId);
        const snap = await store.mergeSnapshot(tx, keepId, mergeId);
        if (!snap) throw new AppError(ErrorCode.CONFLICT, 'The entities changed during the merge; try again');
        const plan = planMerge(kept, merged, snap.mergedRels, snap.keptRels, id);
        await store.moveRelationships(tx, keepId, plan.rows);
        await this.retarget(tx, plan.moved, mergeId, keepId, 'merge');
        const left = await store.finishMerge(tx, {
          keepId,
          mergeId,
          id,
          kind: merged.kind,
          note,
          by: actorLabel(this.viewer),
          kept: plan.moved.kept.after,
          moved: plan.moved,
        });
        if (left.length) {
          // Nothing may stay hidden on the duplicate: refuse (and roll back) rather than orphan it.
          throw new AppError(
            ErrorCode.CONFLICT,
            `${mergeId} has relationships a merge cannot move (${left.join(', ')})`,
            { inputPath: ['mergeId'] },
          );
        }
        plan.changes.push({ id, before: null, after: { keepId, mergeId, note } });
        return { result: { id }, affectedIds: plan.affectedIds, changes: plan.changes };
      },
    );
    const found = await store.mergeById(this.executor, result.id);
    if (!found?.kept) {
      throw new AppError(ErrorCode.CONFLICT, `The entity kept by ${result.id} has been merged away since`);
    }
    this.records.primeNodes([found.kept]);
    return { merge: toMergeRecord(found.merge), kept: found.kept };
  }

  async unmerge(args: { mergeId: string; note: string }): Promise<MergeRecord> {
    requireRole(this.viewer, 'admin', 'Undoing merges');
    checkId(args.mergeId, ['mergeId']);
    const note = checkNote(args.note);
    const { result } = await runMutation(
      this.executor,
      {
        operation: 'unmergeEntities',
        viewer: this.viewer,
        input: { mergeId: args.mergeId, note },
        requestId: this.requestId,
      },
      async (tx) => {
        const snap = await store.unmergeSnapshot(tx, args.mergeId);
        const { merge, kept, ends } = undoable(snap, args.mergeId);
        const { keepId, mergeId: mergedId, moved } = merge;
        await this.checkUndoable(tx, moved, ends.kEid);
        await store.unmoveRelationships(tx, ends, planUndo(moved));
        await this.retarget(tx, moved, keepId, mergedId, 'undo');
        const done = await store.finishUnmerge(tx, {
          id: args.mergeId,
          ...ends,
          kept: keptAfterUndo(keptPropsOf(kept), moved),
          by: actorLabel(this.viewer),
          note,
        });
        const record = toMergeRecord(done);
        const outcome = undoChanges({
          mergeRecordId: args.mergeId,
          keepId,
          mergedId,
          kind: merge.kind,
          keptAliasesNow: kept.aliasesJson,
          moved,
          undoneAt: record.undoneAt,
          note,
        });
        return { result: record, ...outcome };
      },
    );
    return result;
  }

  /** Both ends of a merge, refused with the argument's path when missing, merged before or unlike. */
  private async mergeEnds(
    tx: Tx,
    keepId: string,
    mergeId: string,
  ): Promise<[EntitySnapshot, EntitySnapshot]> {
    const ends = await store.mergeEnds(tx, keepId, mergeId);
    const end = (id: string, argPath: string): EntitySnapshot => {
      const found = ends.find((r) => r.id === id);
      if (found?.entity) return found.entity;
      if (found?.mergedInto) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `${argPath} ${JSON.stringify(id)} was merged into ${found.mergedInto}`,
          { inputPath: [argPath], mergedInto: found.mergedInto },
        );
      }
      throw new AppError(ErrorCode.NOT_FOUND, `${argPath}: no entity ${JSON.stringify(id)}`, {
        inputPath: [argPath],
        id,
      });
    };
    const kept = end(keepId, 'keepId');
    const merged = end(mergeId, 'mergeId');
    checkMergeable(kept, merged);
    return [kept, merged];
  }

  /** Claims' subjectId/objectId and figures' subjectId follow their moved links (both ways). */
  private async retarget(tx: Tx, moved: Moved, from: string, to: string, way: 'merge' | 'undo') {
    await store.retarget(tx, retargetRows(moved, way), moved.figures, from, to);
  }

  /** Refuses an undo whose merge was overtaken: what it moved is no longer where it put it. */
  private async checkUndoable(tx: Tx, moved: Moved, kEid: string) {
    const { checks, entityOthers } = undoChecks(moved);
    const { missing, otherMissing } = await store.unmergeChecks(tx, kEid, checks, entityOthers);
    if (missing.length || otherMissing.length) {
      throw new AppError(
        ErrorCode.CONFLICT,
        'The graph changed since the merge in ways undo cannot reverse faithfully (undo later merges first)',
        { inputPath: ['mergeId'], missing: missing.slice(0, 20), notEntities: otherMissing.slice(0, 20) },
      );
    }
  }
}

/**
 * The merge to undo and its kept entity, refused when there is no such merge, it was undone, or either
 * end moved on since (the kept entity merged away, the duplicate no longer merged into it).
 */
function undoable(
  snap: UnmergeSnapshot | null,
  mergeId: string,
): { merge: StoredMerge; kept: EntitySnapshot; ends: UndoEnds } {
  if (!snap) {
    throw new AppError(ErrorCode.NOT_FOUND, `No merge ${JSON.stringify(mergeId)}`, {
      inputPath: ['mergeId'],
    });
  }
  const { keepId, mergeId: mergedId, undoneAt } = snap.merge;
  if (undoneAt) {
    throw new AppError(ErrorCode.CONFLICT, `Merge ${mergeId} was undone at ${undoneAt}`, {
      inputPath: ['mergeId'],
    });
  }
  const kept = snap.kept;
  if (!kept || !kept._labels.includes('Entity')) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `${keepId} has since been merged into ${snap.keptMergedInto ?? 'another entity'}; undo that merge first`,
      { inputPath: ['mergeId'] },
    );
  }
  if (!snap.mergedLabels.includes('Merged') || snap.mergedInto !== keepId) {
    throw new AppError(ErrorCode.CONFLICT, `${mergedId} is no longer merged into ${keepId}`, {
      inputPath: ['mergeId'],
    });
  }
  return { merge: snap.merge, kept, ends: { xEid: snap.xEid!, kEid: snap.kEid! } };
}
