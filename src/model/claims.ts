import type { FuzzyDate } from './fuzzy-date.js';
import type { ClaimValue, FigureRow } from './rows.js';

/**
 * What each kind of claim asserts and when two claims disagree: the one conflict rule. Two claims on the
 * same subject with equal conflictKey speak of the same thing at the same time when their as-of intervals
 * overlap (figures: the as-of date, or for a figure with neither as-of nor period its sources' publication
 * date; claims with no as-of interval are compared only with each other); they conflict when their
 * valueKeys differ and their [valueLow, valueHigh] intervals are disjoint (an open interval agrees with
 * everything). A claim superseded by a newer one disagrees with nobody. The Cypher that reads conflicts
 * (graph/queries/fragments.ts DISAGREES) applies the rule when reading; sameTime below states its time
 * test in TypeScript (the writers here derive the keys, intervals and as-of bounds it compares).
 */

const DAY_MS = 86_400_000;

/**
 * A record's parts in a claim of its provenance, in the order they are listed: an entity is the claim's
 * subject, its object, or the subject of the figure it asserts; a figure is asserted by it; a claim is
 * itself; a source is cited by it; a relationship is asserted by it; an entity is given an alias or an
 * identifier by it (addAlias, addIdentifier: a GIVES_NAME record, retracted ones included).
 */
export const PROVENANCE_ROLES = [
  'SUBJECT',
  'OBJECT',
  'FIGURE_SUBJECT',
  'FIGURE',
  'CLAIM',
  'SOURCE',
  'RELATION',
  'ALIAS',
  'IDENTIFIER',
] as const;
export type ProvenanceRole = (typeof PROVENANCE_ROLES)[number];

/** Roles as a statement lists them, each once and in PROVENANCE_ROLES order. */
export function provenanceRoles(roles: readonly string[]): ProvenanceRole[] {
  return PROVENANCE_ROLES.filter((r) => roles.includes(r));
}

/** Days since 1970-01-01 of a calendar day (YYYY-MM-DD), the unit of date intervals. */
export function epochDay(day: string | null): number | null {
  return day ? Date.parse(`${day}T00:00:00Z`) / DAY_MS : null;
}

/**
 * Two figures are about the same thing when they count the same measure, subgroup and unit, for the same
 * period. The as-of date is not part of the key: as-of dates are compared by overlap (sameTime).
 * The subgroup's structured parts (sex, age group, category) and the duration are part of it too: 40
 * women and 40 men, or a count over four years (P4Y) and one over the whole period, are different things,
 * never a disagreement. A figure without a duration is not known to cover any span, so it is not compared
 * with one that does. They are appended only when given, so figures stored before they existed keep
 * their keys.
 */
export function figureConflictKey(
  f: Pick<FigureRow, 'measure' | 'subgroup' | 'unit' | 'periodStart' | 'periodEnd'> &
    Partial<Pick<FigureRow, 'sex' | 'ageGroup' | 'category' | 'duration'>>,
): string {
  const d = (x: FuzzyDate | null) => (x ? `${x.earliest ?? ''}/${x.latest ?? ''}` : '');
  const key = ['figure', f.measure, f.subgroup ?? '', f.unit, d(f.periodStart), d(f.periodEnd)];
  const parts = [f.sex ?? null, f.ageGroup ?? null, f.category ?? null, f.duration ?? null];
  if (parts.some((x) => x != null)) key.push(parts.map((x) => x ?? '').join('/'));
  return key.join('|');
}

/** A figure's as-of interval as a claim stores it; undated (no as-of, no period): its source's publication. */
export function figureAsOf(
  f: Pick<FigureRow, 'periodStart' | 'periodEnd' | 'asOf'>,
): Pick<ClaimValue, 'asOfEarliest' | 'asOfLatest' | 'asOfFromSource'> {
  return {
    asOfEarliest: f.asOf?.earliest ?? null,
    asOfLatest: f.asOf?.latest ?? null,
    asOfFromSource: !f.asOf && !f.periodStart && !f.periodEnd,
  };
}

/** An as-of interval (YYYY-MM-DD bounds, null = open), or null for none. */
export type AsOfInterval = { earliest: string | null; latest: string | null } | null;

/**
 * Whether two claims of one conflictKey speak of the same time: both without an as-of interval, or both
 * with intervals that overlap (open bounds overlap everything). A claim with an as-of is never compared
 * with one without.
 */
export function sameTime(a: AsOfInterval, b: AsOfInterval): boolean {
  if (!a || !b) return !a && !b;
  return (a.earliest ?? '') <= (b.latest ?? '9999-12-31') && (b.earliest ?? '') <= (a.latest ?? '9999-12-31');
}

/** The numbers a figure allows: "nearly 1,168" is taken at its word (1,168); "exceeded 105,000" is above it. */
export function figureInterval(f: Pick<FigureRow, 'value' | 'min' | 'max' | 'qualifier'>): {
  valueLow: number | null;
  valueHigh: number | null;
} {
  if (f.value == null) return { valueLow: f.min, valueHigh: f.max };
  const v = f.value;
  switch (f.qualifier) {
    case 'more_than':
      return { valueLow: v + 1e-9, valueHigh: f.max };
    case 'at_least':
      return { valueLow: v, valueHigh: f.max };
    case 'less_than':
      return { valueLow: f.min, valueHigh: v - 1e-9 };
    case 'at_most':
      return { valueLow: f.min, valueHigh: v };
    default:
      return { valueLow: f.min ?? v, valueHigh: f.max ?? v };
  }
}

function isFuzzyDate(value: unknown): value is FuzzyDate {
  return Boolean(value && typeof value === 'object' && 'earliest' in value);
}

/**
 * What a claim asserts, as one comparable string: two claims in one slot with equal assertions say the
 * same thing (the later corroborates); different assertions in a later release of the dataset supersede.
 * Figures compare by what they count and their value (the figure id differs per claim), relations by type,
 * object and role, attributes by value, statements by their summary.
 */
export function assertionOf(c: ClaimValue & { summary: string }): string {
  switch (c.kind) {
    case 'figure':
      return JSON.stringify([c.kind, c.conflictKey, c.valueKey]);
    case 'relation':
      return JSON.stringify([c.kind, c.property, c.objectId, c.role]);
    case 'attribute':
      return JSON.stringify([c.kind, c.property, c.valueKey]);
    default:
      return JSON.stringify([c.kind, c.summary]);
  }
}

/** A relation claim: its type and role; no value of its own (the relationship is the assertion). */
export function relationClaimValue(type: string, objectId: string, role: string | null): ClaimValue {
  return { ...NO_VALUE, kind: 'relation', property: type, role, objectId };
}

/** A figure claim carries a copy of its figure's value, keyed and bounded for conflicts. */
export function figureClaimValue(figure: FigureRow): ClaimValue {
  return {
    kind: 'figure',
    property: figure.measure,
    role: null,
    objectId: figure.id,
    valueJson: JSON.stringify({
      value: figure.value,
      min: figure.min,
      max: figure.max,
      qualifier: figure.qualifier,
      unit: figure.unit,
    }),
    conflictKey: figureConflictKey(figure),
    valueKey: JSON.stringify([figure.value, figure.min, figure.max, figure.qualifier]),
    ...figureInterval(figure),
    ...figureAsOf(figure),
  };
}

/** An attribute claim: a text value, or a fuzzy date compared by its bounds ("late April" agrees with "30 April"). */
export function attributeClaimValue(property: string, value: unknown): ClaimValue {
  const date = isFuzzyDate(value) ? value : null;
  return {
    kind: 'attribute',
    property,
    role: null,
    objectId: null,
    valueJson: JSON.stringify(value),
    conflictKey: `attribute|${property}`,
    valueKey: date ? JSON.stringify([date.earliest, date.latest]) : JSON.stringify(value),
    valueLow: date ? epochDay(date.earliest) : null,
    valueHigh: date ? epochDay(date.latest) : null,
    asOfEarliest: null,
    asOfLatest: null,
    asOfFromSource: false,
  };
}

/** A statement claim asserts its words only: nothing to compare. */
export function statementClaimValue(): ClaimValue {
  return { ...NO_VALUE, kind: 'statement', property: 'statement' };
}

const NO_VALUE = {
  role: null,
  objectId: null,
  valueJson: null,
  conflictKey: null,
  valueKey: null,
  valueLow: null,
  valueHigh: null,
  asOfEarliest: null,
  asOfLatest: null,
  asOfFromSource: false,
} as const;

/**
 * An ISO 8601 duration a figure covers without anchored dates ("hanged over four years": P4Y):
 * P[nY][nM][nW][nD][T[nH][nM][nS]], at least one part, a T only before time parts. Whole numbers, except
 * the last part, which may have a decimal fraction (P1.5Y). Refused: "P", "4Y", "PT", "P1YT".
 */
const DURATION =
  /^P(?=\d|T\d)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** The problem with a figure's duration, or null when it is a valid ISO 8601 duration. */
export function durationProblem(value: string): string | null {
  if (value.length > 40 || !DURATION.test(value)) {
    return `"${value}" is not an ISO 8601 duration such as P4Y, P18M, P2W or PT36H (P, then at least one number with its unit Y, M, W, D, or T then H, M, S)`;
  }
  const parts = value.match(/\d+(?:[.,]\d+)?/g) ?? [];
  if (parts.slice(0, -1).some((n) => /[.,]/.test(n)))
    return `"${value}": only the last part may have a fraction`;
  return null;
}

/**
 * A share (a figure that is part of another, "of whom 40 were women", "83% of the deaths") and its whole:
 * the problem, or null. The whole is a figure claim that is not retracted and not the part itself; the
 * part counts in the whole's unit, or in percent of it.
 */
export function shareOfProblem(
  part: { claimId: string; unit: string },
  whole: { claimId: string; kind: string; status: string; unit: string | null },
): string | null {
  if (whole.claimId === part.claimId) return 'a figure cannot be a share of itself';
  if (whole.kind !== 'figure' || whole.unit == null) return `${whole.claimId} is not a figure claim`;
  if (whole.status === 'retracted') return `${whole.claimId} is retracted`;
  if (part.unit !== 'percent' && part.unit !== whole.unit) {
    return `a share counts in its whole's unit (${whole.unit}) or in percent, not ${part.unit}`;
  }
  return null;
}
