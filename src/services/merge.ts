import { randomUUID } from 'node:crypto';
import { actorLabel, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor, Row, Tx } from '../graph/executor.js';
import { runMutation, type Change } from '../graph/mutation.js';
import * as q from '../graph/queries/merge.js';
import { fromProjection, type EntityRecord } from '../graph/records.js';
import { relationId } from '../model/ids.js';
import { SENSITIVITIES } from '../model/enums.js';
import { RELATIONS, type RelationType } from '../model/graph-model.js';
import type { RecordsService } from './records.js';

/**
 * Merging a duplicate entity into another, and undoing it exactly. Merges write through runMutation: one transaction does the moves, records how to undo them
 * and appends the audit record.
 */

const MAX_NOTE = 2000;

/** A relationship property with its Cypher type (valueType), so undo restores it as it was. */
export interface TypedProp {
  k: string;
  t: string;
  v: unknown;
}

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
  _labels: string[];
}

/** The kept entity's properties a merge changes (restored by undo). */
export interface KeptProps {
  aliasesJson: string | null;
  names: string[] | null;
  identifiersJson: string | null;
  identifierKeys: string[] | null;
  version: number | null;
}

interface Alias {
  value: string;
  lang: string;
}
interface Identifier {
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
  type: q.LinkType;
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

export interface MergeCounts {
  relations: number;
  claims: number;
  figures: number;
  sources: number;
  attributions: number;
  aliasesAdded: number;
  identifiersAdded: number;
}

export interface MergeRecord {
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
  moved: MergeCounts;
}

/** One move per relationship, as the move statement of its type takes it. */
interface MoveRow {
  eid: string;
  out: boolean;
  mode: 'create' | 'union' | 'drop';
  overrides: Record<string, unknown>;
  targetId: string | null;
  added: string[];
}

export interface MergePlan {
  rows: Map<q.MoveType, MoveRow[]>;
  moved: Moved;
  changes: Change[];
  affectedIds: string[];
}

const isRelationType = (t: string): t is RelationType => t in RELATIONS;
const isLinkType = (t: string): t is q.LinkType => t in q.LINK_TYPES;
const prop = (props: TypedProp[], k: string): unknown => props.find((p) => p.k === k)?.v ?? null;
const canonicalProps = (props: TypedProp[]) =>
  JSON.stringify([...props].sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)));
const parseList = <T>(json: string | null): T[] => (json ? (JSON.parse(json) as T[]) : []);
const sensitivityRank = (s: string | null) =>
  SENSITIVITIES.indexOf((s ?? 'public') as (typeof SENSITIVITIES)[number]);

/** Counts shown on a Merge, from its movedJson. */
export function countsOf(moved: Moved): MergeCounts {
  return {
    relations: moved.relations.length,
    claims: moved.claims.length,
    figures: moved.figures.length,
    sources: moved.links.filter((l) => l.type === 'PUBLISHED_BY').length,
    attributions: moved.links.filter((l) => l.type === 'ATTRIBUTED_TO').length,
    aliasesAdded: moved.aliasesAdded.length,
    identifiersAdded: moved.identifiersAdded.length,
  };
}

/** The kept entity's names and identifiers with the duplicate's added (as aliases), without repeats. */
export function unionNames(
  kept: EntitySnapshot,
  merged: EntitySnapshot,
): { after: KeptProps; aliasesAdded: Alias[]; identifiersAdded: Identifier[] } {
  const aliases = parseList<Alias>(kept.aliasesJson);
  const aliasesAdded: Alias[] = [];
  const candidates = [
    { value: merged.name, lang: merged.lang ?? 'en' },
    ...parseList<Alias>(merged.aliasesJson),
  ];
  for (const c of candidates) {
    const dup =
      c.value === kept.name ||
      [...aliases, ...aliasesAdded].some((a) => a.value === c.value && a.lang === c.lang);
    if (!dup) aliasesAdded.push({ value: c.value, lang: c.lang });
  }
  const identifiers = parseList<Identifier>(kept.identifiersJson);
  const identifiersAdded: Identifier[] = [];
  for (const i of parseList<Identifier>(merged.identifiersJson)) {
    const dup = [...identifiers, ...identifiersAdded].some(
      (x) => x.scheme === i.scheme && x.value === i.value,
    );
    if (!dup) identifiersAdded.push({ scheme: i.scheme, value: i.value });
  }
  const names = [...(kept.names ?? [kept.name])];
  for (const a of aliasesAdded) if (!names.includes(a.value)) names.push(a.value);
  return {
    after: {
      aliasesJson: JSON.stringify([...aliases, ...aliasesAdded]),
      names,
      identifiersJson: JSON.stringify([...identifiers, ...identifiersAdded]),
      identifierKeys: [
        ...(kept.identifierKeys ?? []),
        ...identifiersAdded.map((i) => `${i.scheme}:${i.value}`),
      ],
      version: (kept.version ?? 0) + 1,
    },
    aliasesAdded,
    identifiersAdded,
  };
}

function keptPropsOf(e: EntitySnapshot): KeptProps {
  return {
    aliasesJson: e.aliasesJson ?? null,
    names: e.names ?? null,
    identifiersJson: e.identifiersJson ?? null,
    identifierKeys: e.identifierKeys ?? null,
    version: e.version ?? null,
  };
}

/**
 * What a merge of `merged` into `kept` does, from the relationships touching either: rows for the move
 * statements, the exact record for undo, and the audit changes. Refuses what cannot be merged faithfully.
 */
export function planMerge(
  kept: EntitySnapshot,
  merged: EntitySnapshot,
  mergedRels: SnapshotRel[],
  keptRels: SnapshotRel[],
  mergeRecordId: string,
): MergePlan {
  const rows = new Map<q.MoveType, MoveRow[]>();
  const addRow = (type: q.MoveType, row: MoveRow) => rows.set(type, [...(rows.get(type) ?? []), row]);
  const relations: RelationMove[] = [];
  const links: LinkMove[] = [];
  const claims = new Map<string, ClaimChange>();
  const figures: string[] = [];
  const changes: Change[] = [];
  const affected = new Set<string>([kept.id, merged.id, mergeRecordId]);
  // Relationships this merge creates on the kept entity, by type and id: later moves add to them.
  const planned = new Map<string, { claimIds: string[] }>();
  const keptClaimsAs = (type: 'ABOUT' | 'OBJECT') =>
    new Set(keptRels.filter((r) => r.type === type && !r.out).map((r) => r.otherId));
  const keptSubjectOf = keptClaimsAs('ABOUT');
  const keptObjectOf = keptClaimsAs('OBJECT');

  const seen = new Set<string>();
  for (const r of mergedRels) {
    if (seen.has(r.eid)) continue;
    seen.add(r.eid);
    const bad = r.props.find((p) => !q.RESTORABLE_TYPES.has(p.t));
    if (bad) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `A ${r.type} relationship of ${merged.id} has a property ${bad.k} of type ${bad.t}, which a merge cannot move and restore`,
        { inputPath: ['mergeId'] },
      );
    }
    if (r.otherId === merged.id) {
      throw new AppError(ErrorCode.CONFLICT, `${merged.id} has a ${r.type} relationship to itself`, {
        inputPath: ['mergeId'],
      });
    }
    if (isRelationType(r.type)) {
      if (r.otherId === kept.id) {
        // A relationship between the two would become a loop: two records related to each other are
        // not duplicates, or their claims need correcting first.
        throw badInput(
          `${merged.id} and ${kept.id} are related (${r.type}); records related to each other cannot be merged`,
          ['mergeId'],
        );
      }
      const role = (prop(r.props, 'role') as string | null) ?? null;
      const claimIds = [...new Set((prop(r.props, 'claimIds') as string[] | null) ?? [])];
      const fromId = r.out ? kept.id : r.otherId;
      const toId = r.out ? r.otherId : kept.id;
      const newId = relationId(r.type, fromId, toId, role);
      const oldId = (prop(r.props, 'id') as string | null) ?? null;
      const same = (k: SnapshotRel) =>
        k.type === r.type && k.out === r.out && k.otherId === r.otherId && prop(k.props, 'id') !== null;
      const existing =
        keptRels.find((k) => same(k) && prop(k.props, 'id') === newId) ??
        keptRels.find((k) => same(k) && prop(k.props, 'role') === role);
      let move: RelationMove;
      if (existing) {
        const targetId = prop(existing.props, 'id') as string;
        const key = `${r.type}|${targetId}`;
        const target = planned.get(key) ?? {
          claimIds: [...((prop(existing.props, 'claimIds') as string[] | null) ?? [])],
        };
        const keepIfEmpty = !planned.has(key) && target.claimIds.length === 0;
        planned.set(key, target);
        const contributed = claimIds.filter((c) => !target.claimIds.includes(c));
        target.claimIds.push(...contributed);
        addRow(r.type, {
          eid: r.eid,
          out: r.out,
          mode: 'union',
          overrides: {},
          targetId,
          added: contributed,
        });
        move = {
          type: r.type,
          oldId,
          out: r.out,
          otherId: r.otherId,
          props: r.props,
          targetId,
          created: false,
          keepIfEmpty,
          contributed,
        };
      } else {
        const key = `${r.type}|${newId}`;
        const target = planned.get(key);
        if (target) {
          // Two of the duplicate's relationships become one on the kept entity: the first creates it with
          // a claim list this one adds to (the same array object the first row sends).
          const contributed = claimIds.filter((c) => !target.claimIds.includes(c));
          target.claimIds.push(...contributed);
          addRow(r.type, { eid: r.eid, out: r.out, mode: 'drop', overrides: {}, targetId: newId, added: [] });
          move = {
            type: r.type,
            oldId,
            out: r.out,
            otherId: r.otherId,
            props: r.props,
            targetId: newId,
            created: false,
            keepIfEmpty: false,
            contributed,
          };
        } else {
          const created = { claimIds: [...claimIds] };
          planned.set(key, created);
          addRow(r.type, {
            eid: r.eid,
            out: r.out,
            mode: 'create',
            overrides: { id: newId, claimIds: created.claimIds },
            targetId: newId,
            added: [],
          });
          move = {
            type: r.type,
            oldId,
            out: r.out,
            otherId: r.otherId,
            props: r.props,
            targetId: newId,
            created: true,
            keepIfEmpty: false,
            contributed: claimIds,
          };
        }
      }
      relations.push(move);
      if (oldId) affected.add(oldId);
      affected.add(move.targetId);
      changes.push({
        id: oldId ?? `${r.type}:${r.otherId}`,
        before: { type: r.type, fromId: r.out ? merged.id : r.otherId, toId: r.out ? r.otherId : merged.id },
        after: { type: r.type, id: move.targetId, fromId, toId, created: move.created },
      });
    } else if (isLinkType(r.type)) {
      const label = q.LINK_TYPES[r.type];
      if (r.out || !r.otherLabels.includes(label)) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `${merged.id} has an unexpected ${r.type} relationship (${r.out ? 'outgoing' : `from a ${r.otherLabels.join(':')}`})`,
          { inputPath: ['mergeId'] },
        );
      }
      if (
        (r.type === 'ABOUT' && keptObjectOf.has(r.otherId)) ||
        (r.type === 'OBJECT' && keptSubjectOf.has(r.otherId))
      ) {
        throw badInput(
          `Claim ${r.otherId} relates ${merged.id} and ${kept.id}; records a claim relates to each other cannot be merged`,
          ['mergeId'],
        );
      }
      const dup = keptRels.some(
        (k) =>
          k.type === r.type &&
          k.out === r.out &&
          k.otherId === r.otherId &&
          canonicalProps(k.props) === canonicalProps(r.props),
      );
      addRow(r.type, {
        eid: r.eid,
        out: r.out,
        mode: dup ? 'drop' : 'create',
        overrides: {},
        targetId: null,
        added: [],
      });
      links.push({ type: r.type, out: r.out, otherId: r.otherId, props: r.props, created: !dup });
      affected.add(r.otherId);
      if (r.type === 'ABOUT' || r.type === 'OBJECT') {
        const c = claims.get(r.otherId) ?? {
          id: r.otherId,
          subject: false,
          object: false,
          versionBefore: r.otherVersion ?? null,
          versionAfter: r.otherVersion === null || r.otherVersion === undefined ? null : r.otherVersion + 1,
        };
        if (r.type === 'ABOUT') c.subject = r.otherSubjectId === merged.id;
        else c.object = r.otherObjectId === merged.id;
        claims.set(r.otherId, c);
      } else if (r.type === 'FIGURE_OF') {
        figures.push(r.otherId);
      }
      const field = { ABOUT: 'subject', OBJECT: 'object', FIGURE_OF: 'subject' }[r.type as string] ?? r.type;
      changes.push({ id: r.otherId, before: { [field]: merged.id }, after: { [field]: kept.id } });
    }
  }

  const names = unionNames(kept, merged);
  const keptBefore = keptPropsOf(kept);
  changes.unshift(
    {
      id: kept.id,
      before: { aliasesJson: keptBefore.aliasesJson, identifiersJson: keptBefore.identifiersJson },
      after: { aliasesJson: names.after.aliasesJson, identifiersJson: names.after.identifiersJson },
    },
    { id: merged.id, before: { labels: merged._labels }, after: { labels: ['Merged'], mergedInto: kept.id } },
  );
  return {
    rows,
    moved: {
      format: 1,
      relations,
      links,
      claims: [...claims.values()],
      figures,
      kept: { before: keptBefore, after: names.after },
      aliasesAdded: names.aliasesAdded,
      identifiersAdded: names.identifiersAdded,
    },
    changes,
    affectedIds: [...affected],
  };
}

/**
 * The kept entity's properties after undo: exactly as before the merge when nothing changed them since;
 * otherwise what they are now without what the merge added.
 */
export function keptAfterUndo(now: KeptProps, moved: Moved): KeptProps {
  const { before, after } = moved.kept;
  if (JSON.stringify(now) === JSON.stringify(after)) return before;
  const added = (a: Alias) => moved.aliasesAdded.some((x) => x.value === a.value && x.lang === a.lang);
  const addedId = (i: Identifier) =>
    moved.identifiersAdded.some((x) => x.scheme === i.scheme && x.value === i.value);
  const addedNames = new Set(moved.aliasesAdded.map((a) => a.value));
  const addedKeys = new Set(moved.identifiersAdded.map((i) => `${i.scheme}:${i.value}`));
  const keepNames = new Set(before.names ?? []);
  return {
    aliasesJson: JSON.stringify(parseList<Alias>(now.aliasesJson).filter((a) => !added(a))),
    names: (now.names ?? []).filter((n) => keepNames.has(n) || !addedNames.has(n)),
    identifiersJson: JSON.stringify(parseList<Identifier>(now.identifiersJson).filter((i) => !addedId(i))),
    identifierKeys: (now.identifierKeys ?? []).filter((k) => !addedKeys.has(k)),
    version: (now.version ?? 0) + 1,
  };
}

function toMergeRecord(m: Row): MergeRecord {
  const moved = JSON.parse(String(m.movedJson)) as Moved;
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
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
    moved: countsOf(moved),
  };
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
        await tx.run(q.lockMergeEnds, { ids: [keepId, mergeId].sort() });
        const [kept, merged] = await this.mergeEnds(tx, keepId, mergeId);
        const [snap] = await tx.run(q.mergeSnapshot, { keepId, mergeId, moveTypes: q.MOVE_TYPES });
        if (!snap) throw new AppError(ErrorCode.CONFLICT, 'The entities changed during the merge; try again');
        const plan = planMerge(
          kept,
          merged,
          snap.mergedRels as SnapshotRel[],
          snap.keptRels as SnapshotRel[],
          id,
        );
        for (const type of q.MOVE_TYPES) {
          const rows = plan.rows.get(type);
          if (rows?.length) await tx.run(q.moveRels[type], { keepId, rows });
        }
        await this.retarget(tx, plan.moved, mergeId, keepId, 'merge');
        const [done] = await tx.run(q.finishMerge, {
          keepId,
          mergeId,
          id,
          kind: merged.kind,
          note,
          by: actorLabel(this.viewer),
          kept: plan.moved.kept.after,
          movedJson: JSON.stringify(plan.moved),
          historyTypes: q.HISTORY_TYPES,
        });
        const left = (done?.leftBehind as string[] | undefined) ?? [];
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
    const [row] = await this.executor.read(q.mergeById, { id: result.id });
    const kept = fromProjection(row?.kept) as EntityRecord | null;
    if (!row || !kept) {
      throw new AppError(ErrorCode.CONFLICT, `The entity kept by ${result.id} has been merged away since`);
    }
    this.records.primeNodes([kept]);
    return { merge: toMergeRecord(row.merge as Row), kept };
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
        const [snap] = await tx.run(q.unmergeSnapshot, { id: args.mergeId });
        if (!snap) {
          throw new AppError(ErrorCode.NOT_FOUND, `No merge ${JSON.stringify(args.mergeId)}`, {
            inputPath: ['mergeId'],
          });
        }
        const m = snap.merge as Row;
        const keepId = String(m.keepId);
        const mergedId = String(m.mergeId);
        if (m.undoneAt) {
          throw new AppError(
            ErrorCode.CONFLICT,
            `Merge ${args.mergeId} was undone at ${String(m.undoneAt)}`,
            {
              inputPath: ['mergeId'],
            },
          );
        }
        const kept = snap.kept as EntitySnapshot | null;
        if (!kept || !kept._labels.includes('Entity')) {
          throw new AppError(
            ErrorCode.CONFLICT,
            `${keepId} has since been merged into ${String(snap.keptMergedInto ?? 'another entity')}; undo that merge first`,
            { inputPath: ['mergeId'] },
          );
        }
        const mergedLabels = (snap.mergedLabels as string[] | null) ?? [];
        if (!mergedLabels.includes('Merged') || snap.mergedInto !== keepId) {
          throw new AppError(ErrorCode.CONFLICT, `${mergedId} is no longer merged into ${keepId}`, {
            inputPath: ['mergeId'],
          });
        }
        const moved = JSON.parse(String(m.movedJson)) as Moved;
        const ends = { xEid: snap.xEid, kEid: snap.kEid };
        await this.checkUndoable(tx, moved, ends.kEid as string);
        for (const type of q.MOVE_TYPES) {
          const relations = moved.relations.filter((r) => r.type === type);
          const links = moved.links.filter((l) => l.type === type);
          if (!relations.length && !links.length) continue;
          const targets = new Map<
            string,
            { otherId: string; targetId: string; remove: string[]; keepIfEmpty: boolean }
          >();
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
          await tx.run(q.unmoveRels[type], {
            ...ends,
            recreate: [...relations, ...links].map((r) => ({
              out: r.out,
              otherId: r.otherId,
              props: r.props,
            })),
            targets: [...targets.values()],
            links: links.filter((l) => l.created).map((l) => ({ otherId: l.otherId, props: l.props })),
          });
        }
        await this.retarget(tx, moved, keepId, mergedId, 'undo');
        const [done] = await tx.run(q.finishUnmerge, {
          id: args.mergeId,
          ...ends,
          kept: keptAfterUndo(keptPropsOf(kept), moved),
          by: actorLabel(this.viewer),
          note,
        });
        const record = toMergeRecord(done!.merge as Row);
        const affected = new Set([args.mergeId, keepId, mergedId]);
        for (const r of moved.relations) {
          if (r.oldId) affected.add(r.oldId);
          affected.add(r.targetId);
        }
        for (const l of moved.links) affected.add(l.otherId);
        return {
          result: record,
          affectedIds: [...affected],
          changes: [
            {
              id: mergedId,
              before: { labels: ['Merged'], mergedInto: keepId },
              after: { labels: ['Entity', String(m.kind)] },
            },
            {
              id: keepId,
              before: { aliasesJson: kept.aliasesJson },
              after: { aliasesJson: moved.kept.before.aliasesJson },
            },
            ...moved.claims.map((c) => ({
              id: c.id,
              before: { ...(c.subject && { subjectId: keepId }), ...(c.object && { objectId: keepId }) },
              after: { ...(c.subject && { subjectId: mergedId }), ...(c.object && { objectId: mergedId }) },
            })),
            { id: args.mergeId, before: { undoneAt: null }, after: { undoneAt: record.undoneAt, note } },
          ],
        };
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
    const rows = await tx.run(q.mergeEnds, { keepId, mergeId });
    const end = (id: string, argPath: string): EntitySnapshot => {
      const row = rows.find((r) => r.id === id);
      if (row?.entity) return row.entity as EntitySnapshot;
      if (row?.mergedInto) {
        throw new AppError(
          ErrorCode.CONFLICT,
          `${argPath} ${JSON.stringify(id)} was merged into ${String(row.mergedInto)}`,
          { inputPath: [argPath], mergedInto: row.mergedInto },
        );
      }
      throw new AppError(ErrorCode.NOT_FOUND, `${argPath}: no entity ${JSON.stringify(id)}`, {
        inputPath: [argPath],
        id,
      });
    };
    const kept = end(keepId, 'keepId');
    const merged = end(mergeId, 'mergeId');
    if (kept.kind !== merged.kind) {
      throw badInput(
        `Only entities of one kind merge: ${keepId} is an ${kept.kind}, ${mergeId} an ${merged.kind}`,
        ['mergeId'],
      );
    }
    if (sensitivityRank(merged.sensitivity) > sensitivityRank(kept.sensitivity)) {
      // Its names would become aliases of a record more people may read.
      throw badInput(
        `${mergeId} is ${merged.sensitivity}, ${keepId} only ${kept.sensitivity ?? 'public'}: keep the more sensitive one`,
        ['mergeId'],
      );
    }
    return [kept, merged];
  }

  /** Claims' subjectId/objectId and figures' subjectId follow their moved links (both ways). */
  private async retarget(tx: Tx, moved: Moved, from: string, to: string, way: 'merge' | 'undo') {
    const rows = moved.claims.map((c) => ({
      id: c.id,
      subject: c.subject,
      object: c.object,
      versionIf: way === 'merge' ? null : c.versionAfter,
      versionThen: way === 'merge' ? c.versionAfter : c.versionBefore,
    }));
    if (rows.length) await tx.run(q.retargetClaims, { rows, from, to });
    if (moved.figures.length) await tx.run(q.retargetFigures, { ids: moved.figures, from, to });
  }

  /** Refuses an undo whose merge was overtaken: what it moved is no longer where it put it. */
  private async checkUndoable(tx: Tx, moved: Moved, kEid: string) {
    const checks = [
      ...moved.relations.map((r) => ({ type: r.type, otherId: r.otherId, targetId: r.targetId })),
      ...moved.links.map((l) => ({ type: l.type, otherId: l.otherId, targetId: null })),
    ];
    const entityOthers = [...new Set(moved.relations.map((r) => r.otherId))];
    const [row] = await tx.run(q.unmergeChecks, { kEid, checks, entityOthers });
    const missing = (row?.missing as unknown[]) ?? [];
    const otherMissing = (row?.otherMissing as string[]) ?? [];
    if (missing.length || otherMissing.length) {
      throw new AppError(
        ErrorCode.CONFLICT,
        'The graph changed since the merge in ways undo cannot reverse faithfully (undo later merges first)',
        { inputPath: ['mergeId'], missing: missing.slice(0, 20), notEntities: otherMissing.slice(0, 20) },
      );
    }
  }
}
