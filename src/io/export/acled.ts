import type { FuzzyDate } from '../../model/fuzzy-date.js';
import {
  countryCode,
  isoNumeric,
  mostSpecific,
  placeOfType,
  type ExportAcledEvent,
  type ExportReader,
  type ExportResult,
  type Involvement,
  type Progress,
  type Sink,
  type Skipped,
} from './index.js';

/**
 * ACLED-style CSV: the columns of the ACLED dataset in its order (DOMAIN.md), one row per event that has an
 * ACLED equivalent. Events without an honest equivalent, or without any date, are reported in `skipped`
 * with the reason rather than forced into a wrong type.
 *
 * Deviations from ACLED, on purpose:
 * - event_id_cnty is the graph's event id (stable across exports), not an ACLED number.
 * - event_date is never more precise than the source: YYYY-MM-DD only for day precision, otherwise the
 *   YYYY-MM or YYYY prefix (ACLED would pick a day in the period). time_precision follows ACLED's codes:
 *   1 = the day is known, 2 = known to within a week, 3 = only a month or a longer period is known.
 * - ACLED codes one location per row; an event recorded in several places is one row here, with the
 *   governorates (admin1) and places (location) joined by "; ".
 * - latitude/longitude and source_scale are empty: the graph records neither coordinates nor source scale.
 * Values are written exactly as recorded (no spreadsheet-formula escaping), since this is evidence.
 */

export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'iso',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
] as const;

export type AcledColumn = (typeof ACLED_COLUMNS)[number];

interface AcledType {
  disorder: string;
  event: string;
  sub: string;
}

/**
 * Event type -> ACLED disorder type / event type / sub-event type, or the reason there is none.
 * - arrest_detention: ACLED's Strategic developments / Arrests ("politically significant arrests").
 * - release_batch: Strategic developments / Other, ACLED's sub-event type for significant non-violent
 *   developments that fit no other (the releases are not an Agreement between parties).
 * - death_in_custody: killings, executions and deaths of detainees at the hands of state forces are
 *   Violence against civilians / Attack (disorder type Political violence).
 * - amnesty_decree, reporting_obligation, supervision, statement: legal or administrative acts and periods;
 *   ACLED does not code them as events, so they are skipped. "other" says nothing to map from.
 */
const TYPES: Readonly<Record<string, AcledType | string>> = {
  arrest_detention: { disorder: 'Strategic developments', event: 'Strategic developments', sub: 'Arrests' },
  release_batch: { disorder: 'Strategic developments', event: 'Strategic developments', sub: 'Other' },
  death_in_custody: { disorder: 'Political violence', event: 'Violence against civilians', sub: 'Attack' },
  amnesty_decree: 'a decree is a legal act; ACLED codes no event type for it',
  reporting_obligation: 'an administrative obligation; ACLED codes no event type for it',
  supervision: 'a period of supervision, not an event ACLED codes',
  statement: 'a statement; ACLED codes no event type for statements',
  other: 'event type "other" gives nothing to map to an ACLED event type',
};

/** Roles that make an actor ACLED's actor1 (the one acting) or actor2 (the one acted on), by priority. */
const ACTOR1_ROLES = ['perpetrator', 'implementer', 'issuer'];
const ACTOR2_ROLES = ['victim', 'subject', 'beneficiary'];

/**
 * ACLED "inter" codes: 1 State forces for a state or public body; 7 Civilians for persons and groups on the
 * receiving side (detainees, the released). Anything else is left empty rather than guessed.
 */
function interCode(inv: Involvement, side: 1 | 2): number | null {
  if (inv.type === 'state' || inv.type === 'public_body') return 1;
  if (side === 2 && ['person', 'group', 'unknown'].includes(inv.type)) return 7;
  return null;
}

function pick(involvements: readonly Involvement[], roles: readonly string[]): Involvement[] {
  const rank = (i: Involvement) => roles.indexOf(i.role ?? '');
  const seen = new Set<string>();
  return involvements
    .filter((i) => rank(i) >= 0)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.actorId.localeCompare(b.actorId))
    .filter((i) => !seen.has(i.actorId) && seen.add(i.actorId));
}

const DAY_MS = 86_400_000;

/** Longest common ISO prefix (YYYY-MM-DD, YYYY-MM or YYYY) of two days; null when the years differ. */
function commonPrefix(a: string, b: string): string | null {
  if (a === b) return a;
  if (a.slice(0, 7) === b.slice(0, 7)) return a.slice(0, 7);
  if (a.slice(0, 4) === b.slice(0, 4)) return a.slice(0, 4);
  return null;
}

/**
 * event_date and time_precision of a fuzzy date (see the module comment), or null when it has no date at
 * all. Day precision uses the earliest bound (the day itself for an exact date); a range of days is
 * precision 2 within a week, else 3.
 */
export function acledDate(d: FuzzyDate | null): { date: string; precision: number } | null {
  if (!d) return null;
  if (d.precision === 'day') {
    const date = d.earliest ?? d.value;
    if (!date) return null;
    const span = d.earliest && d.latest ? (Date.parse(d.latest) - Date.parse(d.earliest)) / DAY_MS : 0;
    return { date, precision: span === 0 ? 1 : span <= 6 ? 2 : 3 };
  }
  if ((d.precision === 'month' || d.precision === 'year') && d.value) return { date: d.value, precision: 3 };
  // Unknown precision: what both bounds share; with one open bound, only the year of the other.
  if (d.earliest && d.latest) {
    const p = commonPrefix(d.earliest, d.latest);
    return p ? { date: p, precision: p.length === 10 ? 1 : 3 } : null;
  }
  const bound = d.earliest ?? d.latest;
  return bound ? { date: bound.slice(0, 4), precision: 3 } : null;
}

const DEATH_MEASURE = /death|killed|fatalit/;

/**
 * Fatalities from a deaths figure: the lowest reported total of people (ACLED keeps the most conservative
 * count, and "more than 105,000" counts as 105,000); figures of subgroups, shares, hidden, retracted or
 * superseded claims (a later release of the dataset said otherwise) do not count. 0 when there is none.
 */
export function fatalities(e: ExportAcledEvent): number {
  const counts = e.figures
    .filter(
      (f) =>
        DEATH_MEASURE.test(f.measure) &&
        f.unit === 'people' &&
        !f.subgroup &&
        f.claimStatus !== null &&
        f.claimStatus !== 'retracted' &&
        f.claimStatus !== 'superseded',
    )
    .map((f) => f.value ?? f.min)
    .filter((n): n is number => typeof n === 'number');
  return counts.length ? Math.min(...counts) : 0;
}

const GEO_PRECISION: Readonly<Record<string, number>> = {
  city: 1,
  facility: 1,
  district: 2,
  area: 2,
  governorate: 3,
  country: 3,
};

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** One CSV row (by column) for the event, or why there is none. */
export function acledRow(e: ExportAcledEvent): Record<AcledColumn, string> | Skipped {
  const type = TYPES[e.type] ?? `event type ${e.type} has no ACLED mapping`;
  if (typeof type === 'string') return { id: e.id, reason: `acled: ${type}` };
  const when = acledDate(e.date);
  if (!when) return { id: e.id, reason: 'acled: the event has no date, and ACLED needs an event date' };

  const actors1 = pick(e.involvements, ACTOR1_ROLES);
  const actors2 = pick(e.involvements, ACTOR2_ROLES).filter(
    (a) => !actors1.some((b) => b.actorId === a.actorId),
  );
  const inter1 = actors1[0] ? interCode(actors1[0], 1) : null;
  const inter2 = actors2[0] ? interCode(actors2[0], 2) : null;
  // ACLED writes the lower code first; an actor alone is its code followed by 0. With an actor of unknown
  // type on either side the interaction is unknown too.
  const interaction =
    inter1 !== null && inter2 !== null
      ? `${Math.min(inter1, inter2)}${Math.max(inter1, inter2)}`
      : inter1 !== null && actors2.length === 0
        ? `${inter1}0`
        : '';

  const places = mostSpecific(e.occurredIn);
  const countryPlace = e.occurredIn.map((p) => placeOfType(p, 'country')).find((p) => p !== null) ?? null;
  const code = e.occurredIn.map(countryCode).find((c) => c !== null) ?? null;
  const iso = code ? isoNumeric(code) : null;
  // Notes in fact order (F2 before F11), then by id; retracted claims are no longer asserted by anyone.
  const claims = e.claims
    .filter((c) => c.status !== 'retracted')
    .sort(
      (a, b) =>
        (a.fact ?? '\uffff').localeCompare(b.fact ?? '\uffff', 'en', { numeric: true }) ||
        (a.id < b.id ? -1 : 1),
    );

  return {
    event_id_cnty: e.id,
    event_date: when.date,
    time_precision: String(when.precision),
    disorder_type: type.disorder,
    event_type: type.event,
    sub_event_type: type.sub,
    actor1: actors1[0]?.name ?? '',
    assoc_actor_1: actors1
      .slice(1)
      .map((a) => a.name)
      .join('; '),
    inter1: inter1 === null ? '' : String(inter1),
    actor2: actors2[0]?.name ?? '',
    assoc_actor_2: actors2
      .slice(1)
      .map((a) => a.name)
      .join('; '),
    inter2: inter2 === null ? '' : String(inter2),
    interaction,
    iso: iso === null ? '' : String(iso),
    country: countryPlace?.name ?? '',
    admin1: uniq(places.map((p) => placeOfType(p, 'governorate')?.name)).join('; '),
    admin2: uniq(places.map((p) => placeOfType(p, 'district')?.name)).join('; '),
    admin3: '',
    location: uniq(places.map((p) => p.name)).join('; '),
    latitude: '',
    longitude: '',
    geo_precision: places.length ? String(Math.max(...places.map((p) => GEO_PRECISION[p.type] ?? 3))) : '',
    source: uniq(claims.flatMap((c) => c.publishers))
      .sort()
      .join('; '),
    source_scale: '',
    notes: claims.map((c) => (c.status === 'disputed' ? `[disputed] ${c.summary}` : c.summary)).join(' '),
    fatalities: String(fatalities(e)),
  };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export async function writeAcled(
  reader: ExportReader,
  sink: Sink,
  progress: Progress,
): Promise<ExportResult> {
  const skipped: Skipped[] = [];
  let records = 0;
  await sink.write(csvLine(ACLED_COLUMNS));
  for await (const page of reader.acledEvents()) {
    const lines: string[] = [];
    for (const e of page) {
      const row = acledRow(e);
      if ('reason' in row) skipped.push(row);
      else lines.push(csvLine(ACLED_COLUMNS.map((c) => row[c])));
    }
    records += lines.length;
    await sink.write(lines.join(''));
    progress.tick(page.length);
  }
  return { records, skipped };
}

export const ACLED_COUNTED = ['events'] as const;
