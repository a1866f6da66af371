import { AppError, badInput, ErrorCode } from '../errors.js';
import type { Change } from '../graph/mutation.js';
import {
  LINK_TYPES,
  RESTORABLE_TYPES,
  type Alias,
  type ClaimChange,
  type EntitySnapshot,
  type Identifier,
  type KeptProps,
  type LinkMove,
  type LinkType,
  type Moved,
  type MoveRow,
  type MoveType,
  type RelationMove,
  type RetargetRow,
  type SnapshotRel,
} from '../graph/stores/merge.js';
import { SENSITIVITIES } from '../model/enums.js';
import { identifierKey } from '../model/identifiers.js';
import { RELATIONS, relationProblems, type RelationType } from '../model/graph-model.js';
import { positionKey, relationId } from '../model/ids.js';

/**
 * Merge planning, pure (no database): what merging a duplicate into the kept entity does, from snapshots
 * of both and of the relationships touching either, and what undoing it does, from the record of what
 * it moved (Moved, stored on the Merge node). Refuses what cannot be merged or undone faithfully.
 */

export interface MergeCounts {
  relations: number;
  claims: number;
  figures: number;
  sources: number;
  attributions: number;
  aliasesAdded: number;
  identifiersAdded: number;
}

export interface MergePlan {
  /** Rows for the move statement of each type. */
  rows: Map<MoveType, MoveRow[]>;
  moved: Moved;
  changes: Change[];
  affectedIds: string[];
}

const isRelationType = (t: string): t is RelationType => t in RELATIONS;
const isLinkType = (t: string): t is LinkType => t in LINK_TYPES;
const prop = (props: SnapshotRel['props'], k: string): unknown => props.find((p) => p.k === k)?.v ?? null;
const canonicalProps = (props: SnapshotRel['props']) =>
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

/**
 * Refuses a merge of two entities of different kinds, or of a duplicate more sensitive than the kept
 * entity: its names would become aliases of a record more people may read.
 */
export function checkMergeable(kept: EntitySnapshot, merged: EntitySnapshot): void {
  if (kept.kind !== merged.kind) {
    throw badInput(
      `Only entities of one kind merge: ${kept.id} is an ${kept.kind}, ${merged.id} an ${merged.kind}`,
      ['mergeId'],
    );
  }
  if (sensitivityRank(merged.sensitivity) > sensitivityRank(kept.sensitivity)) {
    throw badInput(
      `${merged.id} is ${merged.sensitivity}, ${kept.id} only ${kept.sensitivity ?? 'public'}: keep the more sensitive one`,
      ['mergeId'],
    );
  }
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
    // The same identifier written another way (FtM's `sy` for ISO 3166 `SY`) is the same identifier.
    const key = identifierKey(i.scheme, i.value);
    const dup = [...identifiers, ...identifiersAdded].some((x) => identifierKey(x.scheme, x.value) === key);
    if (!dup) identifiersAdded.push({ scheme: i.scheme, value: i.value });
  }
  const names = [...(kept.names ?? [kept.name])];
  for (const a of aliasesAdded) if (!names.includes(a.value)) names.push(a.value);
  return {
    after: {
      aliasesJson: JSON.stringify([...aliases, ...aliasesAdded]),
      names,
      identifiersJson: JSON.stringify([...identifiers, ...identifiersAdded]),
      identifierKeys: keysOf([...identifiers, ...identifiersAdded]),
      version: (kept.version ?? 0) + 1,
    },
    aliasesAdded,
    identifiersAdded,
  };
}

/** The properties of the kept entity a merge changes, as they are. */
export function keptPropsOf(e: EntitySnapshot): KeptProps {
  return {
    aliasesJson: e.aliasesJson ?? null,
    names: e.names ?? null,
    identifiersJson: e.identifiersJson ?? null,
    identifierKeys: e.identifierKeys ?? null,
    version: e.version ?? null,
  };
}

/** What planMerge gathers, relationship by relationship. */
interface Draft {
  kept: EntitySnapshot;
  merged: EntitySnapshot;
  keptRels: SnapshotRel[];
  rows: Map<MoveType, MoveRow[]>;
  relations: RelationMove[];
  links: LinkMove[];
  claims: Map<string, ClaimChange>;
  figures: string[];
  changes: Change[];
  affected: Set<string>;
  /** Relationships this merge creates on (or adds to on) the kept entity, by type and id: later moves add to them. */
  planned: Map<string, { claimIds: string[] }>;
  /** Claims the kept entity is the subject (ABOUT) or object (OBJECT) of. */
  keptSubjectOf: Set<string>;
  keptObjectOf: Set<string>;
}

/** Where one relationship of the duplicate goes on the kept entity, and how its row moves it there. */
interface Target {
  mode: MoveRow['mode'];
  overrides: Record<string, unknown>;
  targetId: string;
  added: string[];
  created: boolean;
  keepIfEmpty: boolean;
  contributed: string[];
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
  const keptClaimsAs = (type: 'ABOUT' | 'OBJECT') =>
    new Set(keptRels.filter((r) => r.type === type && !r.out).map((r) => r.otherId));
  const d: Draft = {
    kept,
    merged,
    keptRels,
    rows: new Map(),
    relations: [],
    links: [],
    claims: new Map(),
    figures: [],
    changes: [],
    affected: new Set([kept.id, merged.id, mergeRecordId]),
    planned: new Map(),
    keptSubjectOf: keptClaimsAs('ABOUT'),
    keptObjectOf: keptClaimsAs('OBJECT'),
  };
  const seen = new Set<string>();
  for (const r of mergedRels) {
    if (seen.has(r.eid)) continue;
    seen.add(r.eid);
    refuseUnmovable(r, merged);
    if (isRelationType(r.type)) planRelation(d, r, r.type);
    else if (isLinkType(r.type)) planLink(d, r, r.type);
  }
  return finishPlan(d);
}

function addRow(d: Draft, type: MoveType, row: MoveRow) {
  d.rows.set(type, [...(d.rows.get(type) ?? []), row]);
}

/** A relationship no merge can move: a property undo could not restore with its type, or a loop. */
function refuseUnmovable(r: SnapshotRel, merged: EntitySnapshot) {
  const bad = r.props.find((p) => !RESTORABLE_TYPES.has(p.t));
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
}

/** An entity relationship of the duplicate, moved to the kept entity (see relationTarget). */
function planRelation(d: Draft, r: SnapshotRel, type: RelationType) {
  const { kept, merged } = d;
  if (r.otherId === kept.id) {
    // A relationship between the two would become a loop: two records related to each other are
    // not duplicates, or their claims need correcting first.
    throw badInput(
      `${merged.id} and ${kept.id} are related (${type}); records related to each other cannot be merged`,
      ['mergeId'],
    );
  }
  const role = (prop(r.props, 'role') as string | null) ?? null;
  const position = (prop(r.props, 'position') as string | null) ?? null;
  // The kept entity takes the duplicate's place at this end: the relation must allow its type.
  const [misfit] = relationProblems(type, undefined, undefined, role, {
    position,
    ...(r.out ? { fromType: kept.type ?? undefined } : { toType: kept.type ?? undefined }),
  });
  if (misfit) {
    throw badInput(
      `${merged.id} cannot be merged into ${kept.id}: its ${type} relationship would not fit (${misfit.message})`,
      ['keepId'],
    );
  }
  const claimIds = [...new Set((prop(r.props, 'claimIds') as string[] | null) ?? [])];
  const fromId = r.out ? kept.id : r.otherId;
  const toId = r.out ? r.otherId : kept.id;
  const oldId = (prop(r.props, 'id') as string | null) ?? null;
  const t = relationTarget(
    d,
    r,
    type,
    relationId(type, fromId, toId, role, position),
    { role, position },
    claimIds,
  );
  addRow(d, type, {
    eid: r.eid,
    out: r.out,
    mode: t.mode,
    overrides: t.overrides,
    targetId: t.targetId,
    added: t.added,
  });
  d.relations.push({
    type,
    oldId,
    out: r.out,
    otherId: r.otherId,
    props: r.props,
    targetId: t.targetId,
    created: t.created,
    keepIfEmpty: t.keepIfEmpty,
    contributed: t.contributed,
  });
  if (oldId) d.affected.add(oldId);
  d.affected.add(t.targetId);
  d.changes.push({
    id: oldId ?? `${type}:${r.otherId}`,
    before: { type, fromId: r.out ? merged.id : r.otherId, toId: r.out ? r.otherId : merged.id },
    after: { type, id: t.targetId, fromId, toId, created: t.created },
  });
}

/** Adds the claim ids the target lacks to it; returns those. */
function addClaims(target: { claimIds: string[] }, claimIds: string[]): string[] {
  const contributed = claimIds.filter((c) => !target.claimIds.includes(c));
  target.claimIds.push(...contributed);
  return contributed;
}

/**
 * Where a relationship of the duplicate goes: its claims added to the kept entity's like relationship
 * (union), to one an earlier move of this merge creates (drop), or a new relationship with id newId.
 */
function relationTarget(
  d: Draft,
  r: SnapshotRel,
  type: RelationType,
  newId: string,
  identity: { role: string | null; position: string | null },
  claimIds: string[],
): Target {
  const same = (k: SnapshotRel) =>
    k.type === type && k.out === r.out && k.otherId === r.otherId && prop(k.props, 'id') !== null;
  const existing =
    d.keptRels.find((k) => same(k) && prop(k.props, 'id') === newId) ??
    d.keptRels.find(
      (k) =>
        same(k) &&
        prop(k.props, 'role') === identity.role &&
        positionKey((prop(k.props, 'position') as string | null) ?? null) === positionKey(identity.position),
    );
  if (existing) {
    const targetId = prop(existing.props, 'id') as string;
    const key = `${type}|${targetId}`;
    const target = d.planned.get(key) ?? {
      claimIds: [...((prop(existing.props, 'claimIds') as string[] | null) ?? [])],
    };
    const keepIfEmpty = !d.planned.has(key) && target.claimIds.length === 0;
    d.planned.set(key, target);
    const contributed = addClaims(target, claimIds);
    return {
      mode: 'union',
      overrides: {},
      targetId,
      added: contributed,
      created: false,
      keepIfEmpty,
      contributed,
    };
  }
  const key = `${type}|${newId}`;
  const target = d.planned.get(key);
  if (target) {
    // Two of the duplicate's relationships become one on the kept entity: the first creates it with
    // a claim list this one adds to (the same array object the first row sends).
    const contributed = addClaims(target, claimIds);
    return {
      mode: 'drop',
      overrides: {},
      targetId: newId,
      added: [],
      created: false,
      keepIfEmpty: false,
      contributed,
    };
  }
  const created = { claimIds: [...claimIds] };
  d.planned.set(key, created);
  return {
    mode: 'create',
    overrides: { id: newId, claimIds: created.claimIds },
    targetId: newId,
    added: [],
    created: true,
    keepIfEmpty: false,
    contributed: claimIds,
  };
}

/** A structural link to the duplicate (from a claim, source or figure), moved to the kept entity. */
function planLink(d: Draft, r: SnapshotRel, type: LinkType) {
  const { kept, merged } = d;
  const label = LINK_TYPES[type];
  if (r.out || !r.otherLabels.includes(label)) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `${merged.id} has an unexpected ${type} relationship (${r.out ? 'outgoing' : `from a ${r.otherLabels.join(':')}`})`,
      { inputPath: ['mergeId'] },
    );
  }
  if (
    (type === 'ABOUT' && d.keptObjectOf.has(r.otherId)) ||
    (type === 'OBJECT' && d.keptSubjectOf.has(r.otherId))
  ) {
    throw badInput(
      `Claim ${r.otherId} relates ${merged.id} and ${kept.id}; records a claim relates to each other cannot be merged`,
      ['mergeId'],
    );
  }
  const dup = d.keptRels.some(
    (k) =>
      k.type === type &&
      k.out === r.out &&
      k.otherId === r.otherId &&
      canonicalProps(k.props) === canonicalProps(r.props),
  );
  addRow(d, type, {
    eid: r.eid,
    out: r.out,
    mode: dup ? 'drop' : 'create',
    overrides: {},
    targetId: null,
    added: [],
  });
  d.links.push({ type, out: r.out, otherId: r.otherId, props: r.props, created: !dup });
  d.affected.add(r.otherId);
  if (type === 'ABOUT' || type === 'OBJECT') retargetClaim(d, r, type);
  else if (type === 'FIGURE_OF') d.figures.push(r.otherId);
  const field = { ABOUT: 'subject', OBJECT: 'object', FIGURE_OF: 'subject' }[type as string] ?? type;
  d.changes.push({ id: r.otherId, before: { [field]: merged.id }, after: { [field]: kept.id } });
}

/** The claim at the other end of an ABOUT or OBJECT link names the kept entity where it named the duplicate. */
function retargetClaim(d: Draft, r: SnapshotRel, type: 'ABOUT' | 'OBJECT') {
  const c = d.claims.get(r.otherId) ?? {
    id: r.otherId,
    subject: false,
    object: false,
    versionBefore: r.otherVersion ?? null,
    versionAfter: r.otherVersion === null || r.otherVersion === undefined ? null : r.otherVersion + 1,
  };
  if (type === 'ABOUT') c.subject = r.otherSubjectId === d.merged.id;
  else c.object = r.otherObjectId === d.merged.id;
  d.claims.set(r.otherId, c);
}

/** The plan from the draft: names and identifiers unioned, and the changes to both entities first. */
function finishPlan(d: Draft): MergePlan {
  const { kept, merged } = d;
  const names = unionNames(kept, merged);
  const keptBefore = keptPropsOf(kept);
  d.changes.unshift(
    {
      id: kept.id,
      before: { aliasesJson: keptBefore.aliasesJson, identifiersJson: keptBefore.identifiersJson },
      after: { aliasesJson: names.after.aliasesJson, identifiersJson: names.after.identifiersJson },
    },
    { id: merged.id, before: { labels: merged._labels }, after: { labels: ['Merged'], mergedInto: kept.id } },
  );
  return {
    rows: d.rows,
    moved: {
      format: 1,
      relations: d.relations,
      links: d.links,
      claims: [...d.claims.values()],
      figures: d.figures,
      kept: { before: keptBefore, after: names.after },
      aliasesAdded: names.aliasesAdded,
      identifiersAdded: names.identifiersAdded,
    },
    changes: d.changes,
    affectedIds: [...d.affected],
  };
}

/**
 * Rows that point the moved claims at `to` (merge: at their new version) or back (undo: at their version
 * before the merge, when unchanged since).
 */
export function retargetRows(moved: Moved, way: 'merge' | 'undo'): RetargetRow[] {
  return moved.claims.map((c) => ({
    id: c.id,
    subject: c.subject,
    object: c.object,
    versionIf: way === 'merge' ? null : c.versionAfter,
    versionThen: way === 'merge' ? c.versionAfter : c.versionBefore,
  }));
}

/** The lookup keys of identifiers: each once, in order. */
const keysOf = (ids: Identifier[]): string[] => [
  ...new Set(ids.map((i) => identifierKey(i.scheme, i.value))),
];

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
  const remaining = parseList<Identifier>(now.identifiersJson).filter((i) => !addedId(i));
  const keepNames = new Set(before.names ?? []);
  return {
    aliasesJson: JSON.stringify(parseList<Alias>(now.aliasesJson).filter((a) => !added(a))),
    names: (now.names ?? []).filter((n) => keepNames.has(n) || !addedNames.has(n)),
    identifiersJson: JSON.stringify(remaining),
    // From the identifiers that remain: one the kept entity holds itself keeps its key.
    identifierKeys: keysOf(remaining),
    version: (now.version ?? 0) + 1,
  };
}
