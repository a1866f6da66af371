import { acledDay } from '../import/acled-fields.js';
import { placeOfType, type AcledClaim, type ExportAcledEvent, type PlaceRef, type Skipped } from './index.js';
import type { AcledColumn, AcledRow } from './acled.js';

/**
 * An ACLED export row for an event imported from ACLED, as ACLED coded it: the row's fields come from the
 * claims its import made (src/io/import/acled.ts), found by slot (`cl-acled-<event>--<field>`, the field
 * its column with `-` for `_`):
 *
 * - event_id_cnty: the event's `acled` identifier;
 * - event_date and time_precision: the `event-date` (the day ACLED coded, YYYY-MM-DD) and `time-precision`
 *   claims; year from event_date;
 * - the coded columns (types, inter codes, interaction, civilian_targeting, iso, region, geo_precision,
 *   source, source_scale, tags, timestamp): their claims, the value as ACLED wrote it;
 * - actor1, actor2 and their associated actors: the actors the `actor1`, `actor1-assoc-<n>`, … claims name
 *   (in ACLED's order, not by role or name);
 * - location, admin3–1 and country: the place the `place` claim names, with the places it lies in;
 * - latitude and longitude: the `latitude` / `longitude` claims the row made about its location;
 * - notes: the `notes` claim; fatalities: the `fatalities` figure claim.
 *
 * Per field, the current claim counts: a claim a later release superseded, or retracted, does not; of
 * several, an asserted one before a disputed one, then the latest recorded. Hidden claims are not read.
 * An event imported before its coded columns were kept (no `event-date` claim) takes those columns from the
 * graph (`mapped`); the dates from its date's wording, "07 May 2022 (ACLED time_precision 2)".
 */

type Claimed = Omit<AcledClaim, 'publishers'>;

/** The field of an ACLED row a claim holds (the end of its slot), or null for a claim of another kind. */
function fieldOf(slot: string | null): string | null {
  if (!slot?.startsWith('cl-acled-')) return null;
  const at = slot.lastIndexOf('--');
  return at < 0 ? null : slot.slice(at + 2);
}

/** The current claims of each field, the one that counts first (see the module comment). */
function currentByField(claims: readonly Claimed[]): Map<string, Claimed[]> {
  const out = new Map<string, Claimed[]>();
  for (const c of claims) {
    const field = fieldOf(c.slot);
    if (!field || c.superseded || c.status === 'retracted') continue;
    out.set(field, [...(out.get(field) ?? []), c]);
  }
  for (const list of out.values()) {
    list.sort(
      (a, b) =>
        Number(a.status === 'disputed') - Number(b.status === 'disputed') ||
        b.recordedAt.localeCompare(a.recordedAt) ||
        b.id.localeCompare(a.id),
    );
  }
  return out;
}

/** country, admin1–3 and location of a row from its location's lineage. */
export function placeColumns(place: PlaceRef | null) {
  const name = (type: string) => (place ? (placeOfType(place, type)?.name ?? '') : '');
  return {
    country: name('country'),
    admin1: name('governorate'),
    admin2: name('district'),
    admin3: name('area'),
    location: place?.name ?? '',
  };
}

/** The coded columns, as the import keeps them (src/io/import/acled-fields.ts CODED_COLUMNS). */
const CODED: readonly AcledColumn[] = [
  'disorder_type',
  'event_type',
  'sub_event_type',
  'inter1',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'geo_precision',
  'source',
  'source_scale',
  'tags',
  'timestamp',
];

/**
 * ACLED's actor categories by name, as its files since 2023 may write inter1/inter2, and their codebook
 * numbers: the export writes the number, so that the column is numeric like interaction, whichever form the
 * imported file used.
 */
const INTER_CODES: Readonly<Record<string, string>> = {
  'state forces': '1',
  'rebel group': '2',
  'political militia': '3',
  'identity militia': '4',
  rioters: '5',
  protesters: '6',
  civilians: '7',
  'external/other forces': '8',
};

const interCode = (v: string) => INTER_CODES[v.trim().toLowerCase()] ?? v;

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** event_date and time_precision from an older import's date wording, "07 May 2022 (ACLED time_precision 2)". */
function datedByWording(e: ExportAcledEvent): { date: string; precision: string } | null {
  const m = /^(.*) \(ACLED time_precision ([123])\)$/.exec(e.date?.text ?? '');
  const day = m ? acledDay(m[1]!).day : undefined;
  return day ? { date: day, precision: m![2]! } : null;
}

/**
 * The row of an event imported from ACLED, or null for any other event (no `acled` identifier, or no claim
 * of an ACLED row: mapped from the graph instead). `mapped` gives an older import's missing columns.
 */
export function codedRow(
  e: ExportAcledEvent,
  mapped: (e: ExportAcledEvent) => AcledRow | Skipped,
): AcledRow | Skipped | null {
  const acledId = e.identifiers.find((i) => i.scheme === 'acled')?.value;
  const fields = currentByField(e.claims);
  if (!acledId || !fields.has('actor1')) return null;
  const first = (field: string) => fields.get(field)?.[0] ?? null;
  const value = (field: string) => text(first(field)?.value);
  const names = new Map(e.involvements.map((i) => [i.actorId, i.name]));
  const actor = (field: string) => names.get(first(field)?.subjectId ?? '') ?? '';
  const assoc = (k: 1 | 2) =>
    [...fields.keys()]
      .filter((f) => f.startsWith(`actor${k}-assoc-`))
      .sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()))
      .map(actor)
      .filter(Boolean)
      .join('; ');
  const placeId = first('place')?.objectId;
  const place = e.occurredIn.find((p) => p.id === placeId) ?? null;
  // The coordinates the row gave its location, only with that location: a hidden place hides them too.
  const coordinate = (field: string) =>
    place ? text(currentByField(e.placeClaims).get(field)?.[0]?.value) : '';
  const figure = first('fatalities')?.value as { value?: unknown } | null | undefined;
  const notes = first('notes')?.summary.replace(/^ACLED notes on event .*?: /s, '') ?? '';

  const coded = fields.has('event-date');
  const older = coded ? null : mapped(e);
  const oldRow = older && !('reason' in older) ? older : null;
  const dated = coded ? { date: value('event-date'), precision: value('time-precision') } : datedByWording(e);
  if (!dated?.date) return older ?? { id: e.id, reason: 'acled: the event has no date, and ACLED needs one' };
  // An older import kept the three types in one claim, "Political violence / Battles / Armed clash".
  const joined = value('type').split(' / ');
  const codedColumn = (c: AcledColumn, i: number) => {
    const v = coded
      ? value(c.replaceAll('_', '-'))
      : i < 3 && joined.length === 3
        ? joined[i]!
        : (oldRow?.[c] ?? '');
    return c === 'inter1' || c === 'inter2' ? interCode(v) : v;
  };
  if (!coded && joined.length !== 3 && !oldRow) return older;

  return {
    ...(Object.fromEntries(CODED.map((c, i) => [c, codedColumn(c, i)])) as Record<string, string>),
    event_id_cnty: acledId,
    event_date: dated.date,
    year: dated.date.slice(0, 4),
    time_precision: dated.precision,
    actor1: actor('actor1'),
    assoc_actor_1: assoc(1),
    actor2: actor('actor2'),
    assoc_actor_2: assoc(2),
    ...placeColumns(place),
    latitude: coordinate('latitude'),
    longitude: coordinate('longitude'),
    notes,
    fatalities: text(figure?.value),
  } as AcledRow;
}
