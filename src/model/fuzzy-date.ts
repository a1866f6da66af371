import { z } from 'zod';
import { DATE_PRECISIONS, DATE_QUALIFIERS, type DatePrecision, type DateQualifier } from './enums.js';

/**
 * A date as sources give it: "30 April 2022" (day, exact), "late April" (month, approximate),
 * "May 2013 – October 2015" (two month-precision dates), "not before May 2022" (month, after), or
 * nothing at all (unknown). Bounds are inclusive calendar days, derived from the value and precision
 * unless given; no day is ever invented: a month-precision date has no day in its value.
 */
export interface FuzzyDate {
  /** ISO 8601 prefix matching the precision: YYYY-MM-DD, YYYY-MM or YYYY; null when unknown. */
  value: string | null;
  precision: DatePrecision;
  qualifier: DateQualifier;
  /** Earliest possible day (inclusive), or null when open. */
  earliest: string | null;
  /** Latest possible day (inclusive), or null when open. */
  latest: string | null;
  /** The source's own wording, e.g. "late April". */
  text: string | null;
}

const VALUE_PATTERN: Record<Exclude<DatePrecision, 'unknown'>, RegExp> = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  year: /^\d{4}$/,
};

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day YYYY-MM-DD');

/** What a bundle or mutation gives; bounds are optional and derived when absent. */
export const FuzzyDateInput = z
  .object({
    value: z.string().nullish(),
    precision: z.enum(DATE_PRECISIONS),
    qualifier: z.enum(DATE_QUALIFIERS).default('exact'),
    earliest: isoDay.nullish(),
    latest: isoDay.nullish(),
    text: z.string().max(500).nullish(),
  })
  .strict();

export type FuzzyDateInput = z.input<typeof FuzzyDateInput>;

/**
 * Years a date may have: four digits, from 0001. Year 0000 (1 BCE in ISO 8601's proleptic calendar) is
 * refused: no source dates an event that way, and it is more likely a placeholder than a date.
 */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

function daysInMonth(y: number, m: number): number {
  // Arithmetic rather than Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Whether YYYY-MM-DD is a day of the calendar, in years MIN_YEAR to MAX_YEAR. */
export function isRealDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Why `value` is not a date of the given precision (YYYY-MM-DD, YYYY-MM or YYYY, year MIN_YEAR to
 * MAX_YEAR, a real month and day), or null when it is one.
 */
export function datePrefixProblem(
  value: string,
  precision: Exclude<DatePrecision, 'unknown'>,
): string | null {
  if (!VALUE_PATTERN[precision].test(value)) {
    return `value ${JSON.stringify(value)} does not match precision ${precision} (${precision === 'day' ? 'YYYY-MM-DD' : precision === 'month' ? 'YYYY-MM' : 'YYYY'})`;
  }
  const year = Number(value.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return `value ${value} has year ${value.slice(0, 4)}; years run from ${String(MIN_YEAR).padStart(4, '0')} to ${MAX_YEAR}`;
  }
  const month = Number(value.slice(5, 7));
  if (precision !== 'year' && (month < 1 || month > 12)) return `value ${value} has no month ${month}`;
  if (precision === 'day' && !isRealDay(value)) return `value ${value} is not a real calendar day`;
  return null;
}

/** First and last day covered by an ISO prefix of the given precision. */
export function spanOf(value: string, precision: Exclude<DatePrecision, 'unknown'>): [string, string] {
  const [y, m] = value.split('-').map(Number) as [number, number];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (precision === 'day') return [value, value];
  if (precision === 'month') return [`${value}-01`, `${value}-${pad(daysInMonth(y, m))}`];
  return [`${value}-01-01`, `${value}-12-31`];
}

/**
 * Validates and completes a fuzzy date. Returns the problems (empty when valid) with the normalised date.
 */
export function normalizeFuzzyDate(input: z.output<typeof FuzzyDateInput>): {
  date?: FuzzyDate;
  problems: string[];
} {
  const problems: string[] = [];
  const value = input.value ?? null;
  const { precision, qualifier } = input;
  if (precision === 'unknown') {
    if (value !== null) problems.push('value must be empty when precision is unknown');
  } else if (value === null) {
    problems.push(`value is required for precision ${precision}`);
  } else {
    const problem = datePrefixProblem(value, precision);
    if (problem) problems.push(problem);
  }
  for (const bound of ['earliest', 'latest'] as const) {
    const b = input[bound];
    if (b && !isRealDay(b)) {
      problems.push(
        `${bound} ${b} is not a real calendar day (years ${String(MIN_YEAR).padStart(4, '0')} to ${MAX_YEAR})`,
      );
    }
  }
  if (problems.length) return { problems };

  let earliest = input.earliest ?? null;
  let latest = input.latest ?? null;
  if (value !== null && precision !== 'unknown') {
    const [lo, hi] = spanOf(value, precision);
    // "before X" / "after X" are read as "not after X" / "not before X": the other side stays open.
    if (qualifier === 'before') {
      latest ??= hi;
    } else if (qualifier === 'after') {
      earliest ??= lo;
    } else {
      earliest ??= lo;
      latest ??= hi;
    }
    if (qualifier === 'exact' && (earliest !== lo || latest !== hi)) {
      problems.push(
        `an exact ${precision} date covers ${lo} to ${hi}; use qualifier approximate for other bounds`,
      );
    }
  }
  if (earliest && latest && earliest > latest)
    problems.push(`earliest ${earliest} is after latest ${latest}`);
  if (problems.length) return { problems };
  return { date: { value, precision, qualifier, earliest, latest, text: input.text ?? null }, problems };
}

/** Whether a fuzzy date certainly / possibly falls in [from, to] (inclusive days; null = open). */
export function overlap(
  d: Pick<FuzzyDate, 'earliest' | 'latest'>,
  from: string | null,
  to: string | null,
): 'certain' | 'possible' | 'none' {
  const lo = d.earliest;
  const hi = d.latest;
  if ((to && lo && lo > to) || (from && hi && hi < from)) return 'none';
  const inside = (!from || (lo !== null && lo >= from)) && (!to || (hi !== null && hi <= to));
  return inside ? 'certain' : 'possible';
}

/** What is wrong with a period: its start cannot begin after its end can have ended (null: nothing). */
export function periodProblem(start: FuzzyDate | null, end: FuzzyDate | null): string | null {
  if (start?.earliest && end?.latest && start.earliest > end.latest) {
    return `the period ends (${end.value ?? end.latest}) before it starts (${start.value ?? start.earliest})`;
  }
  return null;
}

/** The date among these that can begin first (an open earliest bound first); null for none. */
export function earliestOf(dates: readonly (FuzzyDate | null)[]): FuzzyDate | null {
  const key = (d: FuzzyDate) => d.earliest ?? '';
  return dates.reduce<FuzzyDate | null>((a, d) => (d && (!a || key(d) < key(a)) ? d : a), null);
}

/** The date among these that can end last (an open latest bound last); null for none. */
export function latestOf(dates: readonly (FuzzyDate | null)[]): FuzzyDate | null {
  const key = (d: FuzzyDate) => d.latest ?? '9999-12-31~';
  return dates.reduce<FuzzyDate | null>((a, d) => (d && (!a || key(d) > key(a)) ? d : a), null);
}
