import type { ActorType, EventType, Role } from '../../model/enums.js';
import { isRealDay, type FuzzyDateInput } from '../../model/fuzzy-date.js';
import { sha256 } from '../../model/text.js';
import { clip, slugId, type BundleDoc } from './common.js';

/**
 * The pure conversions of the ACLED import (src/io/import/acled.ts): one row's fields checked and turned
 * into its event, places' ids, actors' types and roles, and the claims that quote it, without
 * bookkeeping (rows seen, places and actors made once, problems listed).
 */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** An ACLED event_date as YYYY-MM-DD, or why it is not one. */
export function acledDay(raw: string): { day?: string; problem?: string } {
  const v = raw.trim();
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(v))) {
    const name = match[2]!.toLowerCase();
    const month = MONTHS.findIndex((x) => x === name || (name.length === 3 && x.startsWith(name)));
    if (month < 0) return { problem: `event_date ${JSON.stringify(raw)}: no month ${match[2]}` };
    [y, m, d] = [Number(match[3]), month + 1, Number(match[1])];
  } else if ((match = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(v))) {
    // ACLED's codebook writes dates day first (dd-mm-yyyy).
    [y, m, d] = [Number(match[3]), Number(match[2]), Number(match[1])];
  } else {
    return { problem: `event_date ${JSON.stringify(raw)} is not a date (YYYY-MM-DD or 30 April 2022)` };
  }
  const day = `${y}-${pad(m)}-${pad(d)}`;
  if (!isRealDay(day)) return { problem: `event_date ${JSON.stringify(raw)} is not a real calendar day` };
  return { day };
}

function addDays(day: string, n: number): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** The fuzzy date an ACLED row gives (see the module comment for time_precision). */
export function acledDate(day: string, precision: 1 | 2 | 3, raw: string): FuzzyDateInput {
  const text = `${raw.trim()} (ACLED time_precision ${precision})`;
  if (precision === 1) return { precision: 'day', value: day, qualifier: 'exact', text };
  if (precision === 2) {
    return {
      precision: 'day',
      value: day,
      qualifier: 'approximate',
      earliest: addDays(day, -6),
      latest: addDays(day, 6),
      text,
    };
  }
  return { precision: 'month', value: day.slice(0, 7), qualifier: 'exact', text };
}

export function actorType(inter: string): ActorType {
  const v = inter.trim().toLowerCase();
  if (v === '1' || v.startsWith('state')) return 'public_body';
  if (/^[2-7]$/.test(v) || /^(rebel|political militia|identity militia|rioter|protester|civilian)/.test(v))
    return 'group';
  return 'unknown';
}

export function eventType(subEventType: string): EventType {
  const s = subEventType.trim().toLowerCase();
  return s === 'arrests' || s === 'abduction/forced disappearance' ? 'arrest_detention' : 'other';
}

export function roles(type: string, subType: string): [Role, Role] {
  const t = type.trim().toLowerCase();
  const s = subType.trim().toLowerCase();
  if (t === 'violence against civilians' || s === 'arrests' || s === 'abduction/forced disappearance') {
    return ['perpetrator', 'victim'];
  }
  return ['other', 'other'];
}

export const PLACE_LEVELS = [
  { column: 'country', type: 'country' },
  { column: 'admin1', type: 'governorate' },
  { column: 'admin2', type: 'district' },
  { column: 'admin3', type: 'area' },
  { column: 'location', type: 'city' },
] as const;

/** A place's id from its path (country first): the same name under different parents is another place. */
export function placeId(names: string[]): string {
  if (names.length === 1) return slugId('pl-acled-', names[0]!);
  return `${slugId('pl-acled-', names[names.length - 1]!, 40)}-${sha256(names.join('\n')).slice(0, 8)}`;
}

type ClaimDoc = NonNullable<BundleDoc['claims']>[number];
type EventDoc = NonNullable<BundleDoc['events']>[number];

/** A claim before its id (made from the event's and a suffix) and its evidence are added. */
export type ClaimFields = Omit<ClaimDoc, 'id' | 'source' | 'quotes'>;

/** A field of the row by column name, trimmed ('' for a column the file does not have). */
export type Get = (column: string) => string;

/** A row's values that the checks parse: its day, time precision, fatalities and coordinates. */
export interface RowValues {
  day: string;
  precision: 1 | 2 | 3;
  fatalities: number;
  /** Both or neither. */
  coordinates: { lat: number; lon: number } | null;
}

/** What is wrong with a row's fields, or the values they give (pure: other rows are not looked at). */
export function checkFields(get: Get): { problems: string[] } | { values: RowValues } {
  const problems: string[] = [];
  const { day, problem: dateProblem } = acledDay(get('event_date'));
  if (dateProblem) problems.push(dateProblem);
  const tp = get('time_precision');
  if (!/^[123]$/.test(tp)) problems.push(`time_precision ${JSON.stringify(tp)} is not 1, 2 or 3`);
  const fatalitiesRaw = get('fatalities');
  if (!/^\d+$/.test(fatalitiesRaw))
    problems.push(`fatalities ${JSON.stringify(fatalitiesRaw)} is not a whole number`);
  const [latRaw, lonRaw] = [get('latitude'), get('longitude')];
  const lat = Number(latRaw);
  const lon = Number(lonRaw);
  if ((latRaw === '') !== (lonRaw === '')) problems.push('give both latitude and longitude, or neither');
  else if (latRaw !== '' && (!Number.isFinite(lat) || Math.abs(lat) > 90 || !/^[-+]?\d/.test(latRaw)))
    problems.push(`latitude ${JSON.stringify(latRaw)} is not a number between -90 and 90`);
  else if (lonRaw !== '' && (!Number.isFinite(lon) || Math.abs(lon) > 180 || !/^[-+]?\d/.test(lonRaw)))
    problems.push(`longitude ${JSON.stringify(lonRaw)} is not a number between -180 and 180`);
  for (const c of ['event_type', 'actor1', 'country', 'location'] as const)
    if (!get(c)) problems.push(`${c} is empty`);
  if (problems.length) return { problems };
  return {
    values: {
      day: day!,
      precision: Number(tp) as 1 | 2 | 3,
      fatalities: Number(fatalitiesRaw),
      coordinates: latRaw !== '' ? { lat, lon } : null,
    },
  };
}

/** The event of a row. */
export function eventDoc(get: Get, id: string, acledId: string, day: string, date: FuzzyDateInput): EventDoc {
  const type = get('event_type');
  const sub = get('sub_event_type');
  const sourceNames = get('source');
  return {
    id,
    type: eventType(sub),
    name: clip(`${sub || type} in ${get('location')} (${day})`, 300),
    lang: 'en',
    identifiers: [{ scheme: 'acled', value: acledId }],
    description: clip(
      [
        `ACLED event ${acledId}: ${[get('disorder_type'), type, sub].filter(Boolean).join(' / ')}.`,
        sourceNames
          ? `ACLED's source(s): ${sourceNames}${get('source_scale') ? ` (${get('source_scale')})` : ''}.`
          : '',
        get('notes'),
      ]
        .filter(Boolean)
        .join(' '),
      5000,
    ),
    date,
  };
}

/**
 * ACLED's coding of an event that the graph has no field of its own for, column by column: kept as attribute
 * claims on the event (slot suffix: the column, `-` for `_`), the value exactly as written, so that the ACLED export can
 * give the row back as ACLED wrote it. `says` names the column in the claim's summary.
 */
export const CODED_COLUMNS = [
  { column: 'disorder_type', property: 'acledDisorderType', says: 'disorder type' },
  { column: 'event_type', property: 'acledEventType', says: 'event type' },
  { column: 'sub_event_type', property: 'acledSubEventType', says: 'sub-event type' },
  { column: 'inter1', property: 'acledInter1', says: 'inter1 (the type of actor1)' },
  { column: 'inter2', property: 'acledInter2', says: 'inter2 (the type of actor2)' },
  { column: 'interaction', property: 'acledInteraction', says: 'interaction' },
  { column: 'civilian_targeting', property: 'acledCivilianTargeting', says: 'civilian_targeting' },
  { column: 'iso', property: 'acledIso', says: 'country code (iso)' },
  { column: 'region', property: 'acledRegion', says: 'region' },
  { column: 'geo_precision', property: 'acledGeoPrecision', says: 'geo_precision' },
  { column: 'source', property: 'acledSource', says: 'source(s)' },
  { column: 'source_scale', property: 'acledSourceScale', says: 'source scale' },
  { column: 'tags', property: 'acledTags', says: 'tags' },
  { column: 'timestamp', property: 'acledTimestamp', says: 'timestamp (when ACLED last changed the row)' },
] as const;

/**
 * The day ACLED coded (event_date as YYYY-MM-DD, whatever the file's format) and its time_precision, and
 * the coded columns the row fills: ACLED's coding of the event, kept as written (see CODED_COLUMNS).
 */
export function codedClaims(get: Get, event: string, acled: string, v: RowValues): [string, ClaimFields][] {
  const out: [string, ClaimFields][] = [
    [
      'event-date',
      {
        subject: event,
        summary: `ACLED codes event ${acled} on ${v.day} (event_date ${get('event_date')}).`,
        attribute: { property: 'acledEventDate', value: v.day },
      },
    ],
    [
      'time-precision',
      {
        subject: event,
        summary: `ACLED codes the date of event ${acled} with time_precision ${v.precision}.`,
        attribute: { property: 'acledTimePrecision', value: v.precision },
      },
    ],
  ];
  for (const { column, property, says } of CODED_COLUMNS) {
    const value = get(column);
    if (!value) continue;
    out.push([
      column.replaceAll('_', '-'),
      {
        subject: event,
        summary: clip(`ACLED codes event ${acled} with ${says} ${value}.`, 2000),
        attribute: { property, value: clip(value, 2000) },
      },
    ]);
  }
  return out;
}

/** The claims about the event itself: its date, its location and the location's coordinates. */
export function eventClaims(
  get: Get,
  ids: { event: string; acled: string; location: string },
  date: FuzzyDateInput,
  coordinates: RowValues['coordinates'],
): [string, ClaimFields][] {
  const { event, acled } = ids;
  const location = get('location');
  const out: [string, ClaimFields][] = [
    [
      'date',
      {
        subject: event,
        summary: `ACLED dates event ${acled} ${get('event_date')} with time precision ${get('time_precision')}.`,
        attribute: { property: 'date', value: date },
      },
    ],
    [
      'place',
      {
        subject: event,
        summary: `ACLED event ${acled} took place in ${location}.`,
        relation: { type: 'OCCURRED_IN', object: ids.location },
      },
    ],
  ];
  if (coordinates) {
    const precision = get('geo_precision');
    for (const [property, value] of [
      ['latitude', coordinates.lat],
      ['longitude', coordinates.lon],
    ] as const) {
      out.push([
        property,
        {
          subject: ids.location,
          summary: `ACLED gives ${location} the ${property} ${value}${precision ? ` (geo_precision ${precision})` : ''} (event ${acled}).`,
          attribute: { property, value },
        },
      ]);
    }
  }
  return out;
}

/** The fatalities figure (when above 0) and the notes of a row. */
export function closingClaims(
  get: Get,
  event: string,
  acled: string,
  fatalities: number,
): [string, ClaimFields][] {
  // Every row states a count, 0 included: a later release that revises 3 to 0 must be able to supersede.
  // The figure's words are the field as written in the row (kg check finds them in the row's excerpt).
  const out: [string, ClaimFields][] = [
    [
      'fatalities',
      {
        subject: event,
        summary: `ACLED reports ${fatalities} fatalities in event ${acled}.`,
        figure: {
          measure: 'fatalities',
          value: fatalities,
          qualifier: 'approximately',
          unit: 'people',
          text: get('fatalities'),
        },
      },
    ],
  ];
  const notes = get('notes');
  if (notes) out.push(['notes', { subject: event, summary: `ACLED notes on event ${acled}: ${notes}` }]);
  return out;
}
