import type { ClaimAmendmentInput } from '../generated/graphql.js';
import { AppError, badInput, checkId, ErrorCode } from '../errors.js';
import type { Tx } from '../graph/executor.js';
import type { Change, MutationOutcome } from '../graph/mutation.js';
import * as store from '../graph/stores/corrections.js';
import type { FigureSnapshot } from '../graph/stores/corrections.js';
import * as writeStore from '../graph/stores/write.js';
import {
  assertionOf,
  attributeClaimValue,
  figureClaimValue,
  relationClaimValue,
  statementClaimValue,
} from '../model/claims.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';
import { relationProblems, type RelationType } from '../model/graph-model.js';
import { figureIdOf, positionKey, relationId } from '../model/ids.js';
import { periodProblem } from '../model/fuzzy-date.js';
import type { ClaimKind, ClaimValue, FigureRow } from '../model/rows.js';
import { AttributeValue } from '../io/bundle/schema.js';
import { checkFigureLinks, relationChange } from './write-claim.js';
import { checkPosition, ClaimMeta, FigureMeta, fuzzy, notFoundAt, parse, type Path } from './write-input.js';

/**
 * amendClaim's rules: what an amendment may change (a figure's number and what it covers, a relation's
 * role, an attribute's value, any claim's summary) and how the new version is made. The claim's kind,
 * subject, property and cited words never change. The claim value is derived by model/claims.ts, as for a
 * claim recorded with these values, so conflicts and statistics compare the amended claim like any other.
 *
 * A relation claim's role and position are part of its relationship's identity: a new one moves the claim to
 * another relationship (moveRelation). Its period is the claim's own. The snapshot (claimJson) keeps all three.
 */

type Props = Record<string, unknown>;

/** Fields of a figure an amendment may set (null clears an optional one). */
type FigurePatch = Partial<Omit<FigureSnapshot, 'measure'>>;

export interface CheckedAmendment {
  summary: string | undefined;
  figure: FigurePatch | null;
  /** Relation fields to change (left out: unchanged). */
  relation: {
    role?: string | null;
    position?: string | null;
    periodStart?: FuzzyDate | null;
    periodEnd?: FuzzyDate | null;
  } | null;
  /** figure.shareOfClaimId as given (undefined: unchanged; null: clear). */
  shareOfClaimId?: string | null;
  attribute: { value: string | null; date: FuzzyDate | null } | null;
}

/** Checks an amendment before any database work: at most one kind of value, each field as recordClaim does. */
export function checkAmendment(a: ClaimAmendmentInput): CheckedAmendment {
  const kinds = [a.figure, a.relation, a.attribute].filter((x) => x != null).length;
  if (kinds > 1) throw badInput('amend at most one of figure, relation or attribute', ['amendment']);
  if (!kinds && a.summary == null) throw badInput('the amendment changes nothing', ['amendment']);
  const summary =
    a.summary == null ? undefined : parse(ClaimMeta.shape.summary, a.summary, ['amendment', 'summary']);
  let figure: FigurePatch | null = null;
  if (a.figure) {
    const p: Path = ['amendment', 'figure'];
    const f = a.figure;
    for (const k of ['qualifier', 'unit'] as const) {
      if (f[k] === null) throw badInput(`${k} cannot be cleared`, [...p, k]);
    }
    const m = parse(
      FigureMeta.omit({ measure: true }).partial(),
      Object.fromEntries(FIGURE_FIELDS.filter((k) => f[k] != null).map((k) => [k, f[k]])),
      p,
    );
    figure = {};
    for (const k of FIGURE_FIELDS) {
      if (f[k] !== undefined) (figure as Record<string, unknown>)[k] = m[k] ?? null;
    }
    for (const k of ['periodStart', 'periodEnd', 'asOf'] as const) {
      if (f[k] !== undefined) figure[k] = fuzzy(f[k], [...p, k]);
    }
    if (f.duringId !== undefined) {
      if (f.duringId !== null) checkId(f.duringId, [...p, 'duringId']);
      figure.duringId = f.duringId;
    }
    if (f.shareOfClaimId !== undefined) {
      if (f.shareOfClaimId !== null) checkId(f.shareOfClaimId, [...p, 'shareOfClaimId']);
      figure.shareOfId = f.shareOfClaimId === null ? null : figureIdOf(f.shareOfClaimId);
    }
    if (!Object.keys(figure).length) throw badInput('the figure amendment changes nothing', p);
  }
  const relation = a.relation ? checkRelationAmendment(a.relation) : null;
  let attribute: CheckedAmendment['attribute'] = null;
  if (a.attribute) {
    const p: Path = ['amendment', 'attribute'];
    if ((a.attribute.value == null) === (a.attribute.date == null))
      throw badInput('give exactly one of value or date', p);
    const v = a.attribute.value;
    if (v != null && (!v.trim() || v.length > 5000))
      throw badInput('value must be 1 to 5000 characters', [...p, 'value']);
    attribute = { value: v ?? null, date: fuzzy(a.attribute.date, [...p, 'date']) };
  }
  return { summary, figure, relation, attribute, shareOfClaimId: a.figure?.shareOfClaimId };
}

/** The figure fields an amendment sets as they are given (checked by FigureMeta, as recordClaim does). */
const FIGURE_FIELDS = [
  'value',
  'min',
  'max',
  'qualifier',
  'unit',
  'subgroup',
  'text',
  'duration',
  'sex',
  'ageGroup',
  'category',
] as const;

function checkRelationAmendment(
  r: NonNullable<ClaimAmendmentInput['relation']>,
): CheckedAmendment['relation'] {
  const p: Path = ['amendment', 'relation'];
  const out: NonNullable<CheckedAmendment['relation']> = {};
  if (r.role !== undefined) out.role = r.role ?? null;
  if (r.position !== undefined) out.position = checkPosition(r.position, [...p, 'position']);
  for (const k of ['periodStart', 'periodEnd'] as const) {
    if (r[k] !== undefined) out[k] = fuzzy(r[k], [...p, k]);
  }
  if (!Object.keys(out).length) throw badInput('the relation amendment changes nothing', p);
  return out;
}

const notAllowed = (message: string, path: Path) =>
  new AppError(ErrorCode.AMENDMENT_NOT_ALLOWED, message, { inputPath: path });

const CLAIM_VALUE_KEYS = [
  'kind',
  'property',
  'role',
  'objectId',
  'valueJson',
  'conflictKey',
  'valueKey',
  'valueLow',
  'valueHigh',
  'asOfEarliest',
  'asOfLatest',
  'asOfFromSource',
  // A relation claim's post and period (stored on the claim, ClaimRow).
  'position',
  'periodStartJson',
  'periodEndJson',
] as const;

/** What a claim asserts, as amendClaim compares and keeps it: its value, summary, and a relation's post and period. */
export type Asserted = ClaimValue & {
  summary: string;
  position?: string | null;
  periodStartJson?: string | null;
  periodEndJson?: string | null;
};

function assertedOf(c: Props): Asserted {
  const out = Object.fromEntries(CLAIM_VALUE_KEYS.map((k) => [k, c[k] ?? null])) as unknown as ClaimValue;
  return { ...out, asOfFromSource: c.asOfFromSource === true, summary: String(c.summary) } as Asserted;
}

const date = (v: unknown): FuzzyDate | null => (v ? (JSON.parse(String(v)) as FuzzyDate) : null);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function figureSnapshot(f: Props): FigureSnapshot {
  return {
    measure: String(f.measure),
    value: numOrNull(f.value),
    min: numOrNull(f.min),
    max: numOrNull(f.max),
    qualifier: String(f.qualifier),
    unit: String(f.unit),
    subgroup: (f.subgroup as string) ?? null,
    text: (f.text as string) ?? null,
    periodStart: date(f.periodStartJson),
    periodEnd: date(f.periodEndJson),
    asOf: date(f.asOfJson),
    duration: (f.duration as string) ?? null,
    sex: (f.sex as string) ?? null,
    ageGroup: (f.ageGroup as string) ?? null,
    category: (f.category as string) ?? null,
    shareOfId: (f.shareOfId as string) ?? null,
    duringId: (f.duringId as string) ?? null,
  } as FigureSnapshot;
}

/** The amendment's transaction: lock, check, snapshot, write, and the audit record's changes. */
export async function amendClaimWork(
  tx: Tx,
  p: {
    id: string;
    version: number;
    checked: CheckedAmendment;
    reason: string;
    by: string;
    visible: (sensitivity: string) => boolean;
  },
): Promise<MutationOutcome<{ id: string }>> {
  const { id, checked } = p;
  const locked = await store.lockClaim(tx, id);
  if (!locked || !p.visible(locked.sensitivity)) throw notFoundAt('Claim', id, ['id']);
  const current = locked.version - 1;
  if (current !== p.version) {
    throw new AppError(
      ErrorCode.VERSION_CONFLICT,
      `Claim ${id} is at version ${current}, not ${p.version}: read it again and reapply your change`,
      { id, inputPath: ['version'], currentVersion: current },
    );
  }
  const c = locked.claim;
  if (c.status === 'retracted') {
    throw new AppError(ErrorCode.CONFLICT, `Claim ${id} is retracted: a retracted claim cannot be amended`, {
      id,
      inputPath: ['id'],
      status: 'retracted',
    });
  }
  const kind = String(c.kind) as ClaimKind;
  for (const k of ['figure', 'relation', 'attribute'] as const) {
    if (checked[k] && kind !== k) {
      throw notAllowed(`Claim ${id} is a ${kind} claim: its kind never changes (amend its ${kind})`, [
        'amendment',
        k,
      ]);
    }
  }
  const before = assertedOf(c);
  const beforeFigure = locked.figure ? figureSnapshot(locked.figure) : null;
  const summary = checked.summary ?? before.summary;
  const { value, figure } = nextValue(id, kind, locked, checked, before, beforeFigure, p.visible);
  const next: Asserted = { ...value, summary };
  const changedKeys = [...CLAIM_VALUE_KEYS, 'summary' as const].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]),
  );
  const figureChanged =
    beforeFigure &&
    figure &&
    JSON.stringify(figureSnapshot({ ...locked.figure, ...figureProps(figure) })) !==
      JSON.stringify(beforeFigure);
  if (!changedKeys.length && !figureChanged) {
    throw badInput('the amendment changes nothing: every value is as stored', ['amendment']);
  }
  if (figure && checked.figure && ('shareOfId' in checked.figure || 'duringId' in checked.figure)) {
    await checkFigureLinks(tx, checked.shareOfClaimId, figure, ['amendment', 'figure']);
  }
  await store.amendClaim(tx, {
    id,
    version: current,
    amendedBy: p.by,
    reason: p.reason,
    before: { claim: before, figure: beforeFigure },
    next: { ...next, assertion: assertionOf(next) },
    figure,
  });
  const pick = (v: Record<string, unknown>, n: number) =>
    Object.fromEntries([...changedKeys.map((k) => [k, v[k]]), ['version', n]]);
  const changes: Change[] = [
    {
      id,
      before: {
        ...pick(before as unknown as Record<string, unknown>, current),
        ...(figureChanged ? { figure: beforeFigure } : {}),
      },
      after: {
        ...pick(next as unknown as Record<string, unknown>, current + 1),
        ...(figureChanged ? { figure: figureSnapshot({ ...locked.figure, ...figureProps(figure!) }) } : {}),
        reason: p.reason,
      },
    },
  ];
  const affectedIds = [id, ...(figure ? [figure.id] : [])];
  if (
    kind === 'relation' &&
    (before.role !== next.role || positionKey(before.position) !== positionKey(next.position))
  ) {
    changes.push(...(await moveRelation(tx, id, String(c.subjectId), before, next)));
  }
  return { result: { id }, affectedIds: [...affectedIds, ...changes.slice(1).map((x) => x.id)], changes };
}

/** What the claim asserts once amended (model/claims.ts derives it), and its figure's new row. */
function nextValue(
  id: string,
  kind: ClaimKind,
  locked: store.LockedClaim,
  checked: CheckedAmendment,
  before: Asserted,
  beforeFigure: FigureSnapshot | null,
  visible: (sensitivity: string) => boolean,
): { value: Asserted | ClaimValue; figure: FigureRow | null } {
  const c = locked.claim;
  let value: Asserted | ClaimValue;
  let figure: FigureRow | null = null;
  if (kind === 'figure') {
    // A figure claim's figure exists (VISIBLE_CLAIM); one hidden from the caller is refused as if absent.
    if (!locked.figure || !visible(String(locked.figure.sensitivity ?? 'public'))) {
      throw notFoundAt('Claim', id, ['id']);
    }
    const f = { ...beforeFigure!, ...(checked.figure ?? {}) };
    if (f.value == null && f.min == null && f.max == null) {
      throw badInput('give a value, or min and/or max', ['amendment', 'figure']);
    }
    if (f.min != null && f.max != null && f.min > f.max) {
      throw badInput(`min ${f.min} is above max ${f.max}`, ['amendment', 'figure', 'min']);
    }
    figure = {
      ...f,
      id: String(locked.figure.id),
      claimId: id,
      subjectId: String(c.subjectId),
      sensitivity: String(locked.figure.sensitivity ?? 'public'),
    } as FigureRow;
    if (figure.shareOfId === figure.id) {
      throw badInput('a figure cannot be a share of itself', ['amendment', 'figure', 'shareOfClaimId']);
    }
    value = figureClaimValue(figure);
  } else if (kind === 'relation') {
    const r = checked.relation ?? {};
    const role = r.role !== undefined ? r.role : before.role;
    const position = r.position !== undefined ? r.position : (before.position ?? null);
    const periodStart = r.periodStart !== undefined ? r.periodStart : date(before.periodStartJson);
    const periodEnd = r.periodEnd !== undefined ? r.periodEnd : date(before.periodEndJson);
    const [problem] = relationProblems(before.property as RelationType, undefined, undefined, role, {
      position,
    });
    if (problem) throw badInput(problem.message, ['amendment', 'relation', problem.field]);
    const periodIssue = periodProblem(periodStart, periodEnd);
    if (periodIssue) throw badInput(periodIssue, ['amendment', 'relation', 'periodEnd']);
    value = {
      ...relationClaimValue(before.property, String(before.objectId), role),
      position,
      periodStartJson: periodStart ? JSON.stringify(periodStart) : null,
      periodEndJson: periodEnd ? JSON.stringify(periodEnd) : null,
    } as Asserted;
  } else if (kind === 'attribute') {
    const a = checked.attribute;
    const wasDate = before.valueJson !== null && typeof JSON.parse(before.valueJson) === 'object';
    if (a && (a.date !== null) !== wasDate) {
      throw notAllowed(
        `Claim ${id} asserts a ${wasDate ? 'date' : 'value'}: amend its ${wasDate ? 'date' : 'value'}`,
        ['amendment', 'attribute'],
      );
    }
    parse(AttributeValue.shape.property, before.property, ['id']);
    value = a ? attributeClaimValue(before.property, a.date ?? a.value) : (before as ClaimValue);
  } else {
    value = statementClaimValue();
  }
  return { value, figure };
}

/** A figure row as the node's properties (dates as JSON), to compare with the stored figure. */
function figureProps(f: FigureRow): Props {
  return {
    ...f,
    periodStartJson: f.periodStart ? JSON.stringify(f.periodStart) : null,
    periodEndJson: f.periodEnd ? JSON.stringify(f.periodEnd) : null,
    asOfJson: f.asOf ? JSON.stringify(f.asOf) : null,
  };
}

/**
 * A relation claim whose role changed asserts another relationship: it leaves the old one (kept, with the
 * claim among its former claims) and joins the one for its new role (created when new).
 */
async function moveRelation(
  tx: Tx,
  claimId: string,
  subjectId: string,
  before: Asserted,
  next: Asserted,
): Promise<Change[]> {
  const type = before.property as RelationType;
  const objectId = String(before.objectId);
  const oldId = relationId(type, subjectId, objectId, before.role, before.position ?? null);
  const left = await store.leaveRelation(tx, {
    type,
    relId: oldId,
    fromId: subjectId,
    toId: objectId,
    claimId,
  });
  const row = {
    id: relationId(type, subjectId, objectId, next.role, next.position ?? null),
    type,
    fromId: subjectId,
    toId: objectId,
    role: next.role,
    position: next.position ?? null,
    claimIds: [claimId],
  };
  const merged = await writeStore.mergeRelation(tx, row);
  if (!merged) throw notFoundAt('Entity', objectId, ['id']);
  return [
    {
      id: oldId,
      before: { claimIds: [...left, claimId].sort() },
      after: { claimIds: left, formerClaimIds: [claimId] },
    },
    relationChange(row, merged),
  ];
}
