import type { Change } from '../graph/mutation.js';
import {
  MOVE_TYPES,
  type Moved,
  type MoveType,
  type UndoCheck,
  type UnmoveRows,
} from '../graph/stores/merge.js';

/**
 * Undo planning, pure (no database): from the record of what a merge moved (Moved, stored on the Merge
 * node), what undo checks, the rows of its unmove statements, and what it changed for the audit record.
 * The kept entity's names after undo are keptAfterUndo's (src/services/merge-plan.ts), beside their union.
 */

/** What undo relies on finding: everything the merge left on the kept entity, and the entities at the other end. */
export function undoChecks(moved: Moved): { checks: UndoCheck[]; entityOthers: string[] } {
  return {
    checks: [
      ...moved.relations.map((r) => ({ type: r.type, otherId: r.otherId, targetId: r.targetId })),
      ...moved.links.map((l) => ({ type: l.type, otherId: l.otherId, targetId: null })),
    ],
    entityOthers: [...new Set(moved.relations.map((r) => r.otherId))],
  };
}

/**
 * Rows for the unmove statement of each type the merge moved: the duplicate's relationships to recreate,
 * the claim ids to take back from the kept entity's relationships, and the links it created to delete.
 */
export function planUndo(moved: Moved): Map<MoveType, UnmoveRows> {
  const out = new Map<MoveType, UnmoveRows>();
  for (const type of MOVE_TYPES) {
    const relations = moved.relations.filter((r) => r.type === type);
    const links = moved.links.filter((l) => l.type === type);
    if (!relations.length && !links.length) continue;
    const targets = new Map<string, UnmoveRows['targets'][number]>();
    for (const r of relations) {
      const t = targets.get(r.targetId) ?? {
        otherId: r.otherId,
        targetId: r.targetId,
        remove: [],
        keepIfEmpty: false,
      };
      t.remove.push(...r.contributed);
      t.keepIfEmpty ||= r.keepIfEmpty;
      targets.set(r.targetId, t);
    }
    out.set(type, {
      recreate: [...relations, ...links].map((r) => ({ out: r.out, otherId: r.otherId, props: r.props })),
      targets: [...targets.values()],
      links: links.filter((l) => l.created).map((l) => ({ otherId: l.otherId, props: l.props })),
    });
  }
  return out;
}

/** What an undo changed, for the audit record: the ids it touched and each change. */
export function undoChanges(u: {
  mergeRecordId: string;
  keepId: string;
  mergedId: string;
  kind: string;
  keptAliasesNow: string | null;
  moved: Moved;
  undoneAt: string | null;
  note: string;
}): { affectedIds: string[]; changes: Change[] } {
  const { keepId, mergedId, moved } = u;
  const affected = new Set([u.mergeRecordId, keepId, mergedId]);
  for (const r of moved.relations) {
    if (r.oldId) affected.add(r.oldId);
    affected.add(r.targetId);
  }
  for (const l of moved.links) affected.add(l.otherId);
  return {
    affectedIds: [...affected],
    changes: [
      {
        id: mergedId,
        before: { labels: ['Merged'], mergedInto: keepId },
        after: { labels: ['Entity', u.kind] },
      },
      {
        id: keepId,
        before: { aliasesJson: u.keptAliasesNow },
        after: { aliasesJson: moved.kept.before.aliasesJson },
      },
      ...moved.claims.map((c) => ({
        id: c.id,
        before: { ...(c.subject && { subjectId: keepId }), ...(c.object && { objectId: keepId }) },
        after: { ...(c.subject && { subjectId: mergedId }), ...(c.object && { objectId: mergedId }) },
      })),
      { id: u.mergeRecordId, before: { undoneAt: null }, after: { undoneAt: u.undoneAt, note: u.note } },
    ],
  };
}
