import type { FuzzyDate } from '../../model/fuzzy-date.js';
import { codedRow, placeColumns } from './acled-coded.js';
import {
  countryCode,
  isoNumeric,
  lineage,
  mostSpecific,
  type PlaceRef,
  type ExportAcledEvent,
  type ExportReader,
  type ExportResult,
  type Involvement,
  type Progress,
  type Sink,
  type Skipped,
} from './index.js';

/**
 * ACLED CSV: the 31 columns of ACLED's codebook in its order, one row per event that has an ACLED equivalent.
 * Events without an honest equivalent, or without any date, are reported in `skipped` with the reason rather
 * than forced into a wrong type.
 *
 * An event imported from ACLED (it has an `acled` identifier and the claims its row made, by slot) comes back
 * as ACLED coded it (src/io/export/acled-coded.ts): its event_id_cnty, types, actors in their columns, codes,
 * location and coordinates, sources, notes and fatalities, as the current release says (superseded and
 * retracted claims do not count; hidden ones are absent).
 *
 * Every other event is mapped from the graph, with these deviations from ACLED, on purpose:
 * - event_id_cnty is the graph's event id (stable across exports), not an ACLED number.
 * - event_date is always a full day, YYYY-MM-DD (as ACLED's API writes it), with ACLED's time_precision:
 *   1 = the day is known, 2 = known to within a week, 3 = a month or a longer period, when ACLED codes a day
 *   in it: the first day of the month or year, or the earliest day the period can start.
 * - one location per row: an event recorded in several places is placed in the nearest place holding them
 *   all (geo_precision 3), or left out when they share none.
 * - latitude, longitude, region, source_scale, tags and timestamp are empty (the graph holds none of them
 *   for its own events); civilian_targeting is set for deaths in custody only.
 * Values are written exactly as recorded (no spreadsheet-formula escaping), since this is evidence.
 */

export const ACLED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
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
  'civilian_targeting',
  'iso',
  'region',
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
  'tags',
  'timestamp',
] as const;

export type AcledColumn = (typeof ACLED_COLUMNS)[number];

/** One row of the ACLED export, by column. */
export type AcledRow = Record<AcledColumn, string>;

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

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;

/**
 * event_date (YYYY-MM-DD) and time_precision of a fuzzy date (see the module comment), or null when it has
 * no date at all. A day, or a span of days: 1 for one day; 2 within a week (a day coded approximately, up to
 * six days either side of it, as the ACLED import reads precision 2); 3 for anything longer, a month or a
 * year (their first day), or a period open at one end (the bound it has).
 */
export function acledDate(d: FuzzyDate | null): { date: string; precision: 1 | 2 | 3 } | null {
  if (!d) return null;
  const span = d.earliest && d.latest ? days(d.earliest, d.latest) : Infinity;
  if (d.precision === 'day' && d.value) {
    return { date: d.value, precision: span === 0 || span === Infinity ? 1 : span <= 12 ? 2 : 3 };
  }
  if (d.precision === 'month' && d.value) return { date: `${d.value}-01`, precision: 3 };
  if (d.precision === 'year' && d.value) return { date: `${d.value}-01-01`, precision: 3 };
  const bound = d.earliest ?? d.latest;
  if (!bound) return null;
  return { date: bound, precision: span === 0 ? 1 : span <= 6 ? 2 : 3 };
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

/**
 * The one location of a row: the event's most specific place, or with several, the nearest place that holds
 * them all (and geo_precision 3, as ACLED codes a larger area); null without places or with nothing shared.
 */
export function oneLocation(occurredIn: readonly PlaceRef[]): { place: PlaceRef; precision: number } | null {
  const places = mostSpecific(occurredIn);
  const [first] = places;
  if (!first) return null;
  if (places.length === 1) return { place: first, precision: GEO_PRECISION[first.type] ?? 3 };
  const shared = lineage(first).find((p) => places.every((q) => lineage(q).some((a) => a.id === p.id)));
  if (!shared) return null;
  // The shared place as a place of its own, with the ancestors it has in the first place's lineage.
  const depth = first.ancestors.find((a) => a.id === shared.id)?.depth ?? 0;
  const ancestors = first.ancestors
    .filter((a) => a.depth > depth)
    .map((a) => ({ ...a, depth: a.depth - depth }));
  return { place: { ...shared, ancestors }, precision: 3 };
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** One CSV row (by column) for an event mapped from the graph (not imported from ACLED), or why there is none. */
function mappedRow(e: ExportAcledEvent): AcledRow | Skipped {
  const type = TYPES[e.type] ?? `event type ${e.type} has no ACLED mapping`;
  if (typeof type === 'string') return { id: e.id, reason: `acled: ${type}` };
  const when = acledDate(e.date);
  if (!when) return { id: e.id, reason: 'acled: the event has no date, and ACLED needs an event date' };
  const where = oneLocation(e.occurredIn);
  if (e.occurredIn.length && !where) {
    return { id: e.id, reason: 'acled: the event took place in several countries; ACLED codes one location' };
  }

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
    year: when.date.slice(0, 4),
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
    civilian_targeting: type.event === 'Violence against civilians' ? 'Civilian targeting' : '',
    iso: iso === null ? '' : String(iso),
    region: '',
    ...placeColumns(where?.place ?? null),
    latitude: '',
    longitude: '',
    geo_precision: where ? String(where.precision) : '',
    source: uniq(claims.flatMap((c) => c.publishers))
      .sort()
      .join('; '),
    source_scale: '',
    notes: claims.map((c) => (c.status === 'disputed' ? `[disputed] ${c.summary}` : c.summary)).join(' '),
    fatalities: String(fatalities(e)),
    tags: '',
    timestamp: '',
  };
}

/** One CSV row (by column) for the event, or why there is none: as ACLED coded it, or mapped from the graph. */
export function acledRow(e: ExportAcledEvent): AcledRow | Skipped {
  return codedRow(e, mappedRow) ?? mappedRow(e);
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
