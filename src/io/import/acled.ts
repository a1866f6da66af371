import path from 'node:path';
import type { ActorType, EventType, Role } from '../../model/enums.js';
import { isRealDay, type FuzzyDateInput } from '../../model/fuzzy-date.js';
import { sha256 } from '../../model/text.js';
import type { Problem } from '../bundle/resolve.js';
import { clip, CodePointCursor, guessLang, LineMap, slugId } from './common.js';
import { parseCsv } from './csv.js';
import type { ConvertOptions, ImportPlan } from './common.js';
import { ACLED_COLUMNS } from '../export/acled.js';

/**
 * ACLED-style CSV (the columns of DOMAIN.md; ACLED's own extra columns are accepted and ignored) → an
 * hrkg-bundle/1 document. Each row is one event, identified by event_id_cnty ({scheme: acled}):
 *
 * - type: sub_event_type Arrests or Abduction/forced disappearance → arrest_detention; everything else
 *   → other (the original disorder/event/sub-event types are kept as an `acledEventType` claim);
 * - date from event_date (YYYY-MM-DD, "30 April 2022" or day-first 30-04-2022) and time_precision, as
 *   ACLED's codebook defines it: 1 the source gives the day → that day, exact; 2 the source gives a
 *   week or a few days and ACLED coded a day inside them → that day, approximate, with bounds 6 days
 *   either side (whatever day of the week ACLED picked); 3 the source gives only the month → the
 *   month, month precision;
 * - actors: actor1, actor2 and their associated actors (assoc_actor_1/2, separated by ";"), one actor
 *   per name (`ac-acled-<slug>`, so the same name in another row or file is the same actor), typed
 *   from inter1/inter2 (1 state forces → public_body; 2–7 rebels, militias, rioters, protesters,
 *   civilians → group; 8 external/other → unknown), INVOLVED_IN the event with a role. ACLED says
 *   actor1/actor2 carry no direction in general, except in Violence against civilians (and arrests
 *   and abductions), where actor1 is the perpetrator and actor2 the victim; elsewhere the role is other;
 * - places: country > admin1 (governorate) > admin2 (district) > admin3 (area) > location (city), each
 *   PART_OF the next level up; the event OCCURRED_IN the location; latitude/longitude become
 *   numeric `latitude` / `longitude` claims on the location (both or neither);
 * - fatalities > 0 → a figure {measure: fatalities, qualifier: approximately, unit: people} (ACLED's
 *   numbers are conservative estimates); the notes → a statement claim.
 *
 * Evidence: the CSV file itself is the source, and every claim of a row quotes that row's exact text
 * (its whole record, even when a quoted field spans lines), so that each fact is backed by exact words.
 * Refused, with their line: a header without the required columns, unknown or repeated columns; rows
 * with the wrong number of fields, malformed quoting, no event id or a repeated one, bad dates,
 * time_precision other than 1–3, fatalities that are not whole numbers, bad coordinates.
 * Left out: source and source_scale (ACLED's own sources; named in the event's description, as they
 * cannot form one attribution chain), interaction, geo_precision (in the coordinates' summary), tags.
 */

const REQUIRED = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'actor1',
  'country',
  'location',
  'notes',
  'fatalities',
] as const;

/** The columns of DOMAIN.md, then those ACLED exports add (accepted, not used). */
const KNOWN = new Set<string>([
  ...ACLED_COLUMNS,
  'event_id_no_cnty',
  'year',
  'region',
  'civilian_targeting',
  'tags',
  'timestamp',
  'iso3',
  'data_id',
]);

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

function actorType(inter: string): ActorType {
  const v = inter.trim().toLowerCase();
  if (v === '1' || v.startsWith('state')) return 'public_body';
  if (/^[2-7]$/.test(v) || /^(rebel|political militia|identity militia|rioter|protester|civilian)/.test(v))
    return 'group';
  return 'unknown';
}

function eventType(subEventType: string): EventType {
  const s = subEventType.trim().toLowerCase();
  return s === 'arrests' || s === 'abduction/forced disappearance' ? 'arrest_detention' : 'other';
}

function roles(type: string, subType: string): [Role, Role] {
  const t = type.trim().toLowerCase();
  const s = subType.trim().toLowerCase();
  if (t === 'violence against civilians' || s === 'arrests' || s === 'abduction/forced disappearance') {
    return ['perpetrator', 'victim'];
  }
  return ['other', 'other'];
}

const PLACE_LEVELS = [
  { column: 'country', type: 'country' },
  { column: 'admin1', type: 'governorate' },
  { column: 'admin2', type: 'district' },
  { column: 'admin3', type: 'area' },
  { column: 'location', type: 'city' },
] as const;

/** A place's id from its path (country first): the same name under different parents is another place. */
function placeId(names: string[]): string {
  if (names.length === 1) return slugId('pl-acled-', names[0]!);
  return `${slugId('pl-acled-', names[names.length - 1]!, 40)}-${sha256(names.join('\n')).slice(0, 8)}`;
}

type Doc = ImportPlan['doc'];
type ClaimDoc = NonNullable<Doc['claims']>[number];

export function acledToBundle(text: string, opts: ConvertOptions): ImportPlan {
  const problems: Problem[] = [];
  const problem = (line: number, message: string) => problems.push({ path: `line ${line}`, message });
  const evidenceId = `src-${opts.sha256.slice(0, 16)}`;
  const parsed = parseCsv(text);
  parsed.problems.forEach((p) => problem(p.line, p.message));
  const [header, ...rows] = parsed.records;
  const empty = (): ImportPlan => ({
    doc: { format: 'hrkg-bundle/1', recordedBy: opts.recordedBy, recordedAt: opts.recordedAt },
    lines: new LineMap(),
    problems,
    records: rows.length,
  });
  if (!header) {
    problem(1, 'no header row');
    return empty();
  }

  // Header: known columns, each once, the required ones present (case and a BOM forgiven).
  const columns = header.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase());
  const index = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!KNOWN.has(c)) problem(header.line, `unknown column ${JSON.stringify(c)} (column ${i + 1})`);
    else if (index.has(c)) problem(header.line, `column ${c} appears twice`);
    else index.set(c, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length) problem(header.line, `missing required column(s): ${missing.join(', ')}`);
  if (problems.some((p) => p.path === `line ${header.line}`)) return empty();

  const cursor = new CodePointCursor(text);
  const lineOf = new Map<string, number>();
  const actors = new Map<string, NonNullable<Doc['actors']>[number]>();
  const places = new Map<string, NonNullable<Doc['places']>[number]>();
  const events: NonNullable<Doc['events']>[number][] = [];
  const claims: ClaimDoc[] = [];
  const eventLines = new Map<string, number>();
  const eventIds = new Map<string, string>();

  for (const [n, row] of rows.entries()) {
    if (n % 1000 === 0) opts.onProgress?.(n, rows.length);
    const line = row.line;
    const quote = cursor.quote(row.start, row.end);
    if (row.fields.length !== columns.length) {
      problem(line, `${row.fields.length} field(s), but the header has ${columns.length}`);
      continue;
    }
    const get = (c: string) => {
      const i = index.get(c);
      return i === undefined ? '' : row.fields[i]!.trim();
    };
    const bad = (m: string) => problem(line, m);
    const problemsBefore = problems.length;

    const acledId = get('event_id_cnty');
    if (!acledId) bad('event_id_cnty is empty');
    const seenOn = eventLines.get(acledId);
    if (acledId && seenOn !== undefined) bad(`event_id_cnty ${acledId} also on line ${seenOn}`);
    const evId = slugId('ev-acled-', acledId);
    const clash = eventIds.get(evId);
    if (acledId && seenOn === undefined && clash)
      bad(`event_id_cnty ${acledId} and ${clash} map to the same id ${evId}`);
    const rawDate = get('event_date');
    const { day, problem: dateProblem } = acledDay(rawDate);
    if (dateProblem) bad(dateProblem);
    const tp = get('time_precision');
    if (!/^[123]$/.test(tp)) bad(`time_precision ${JSON.stringify(tp)} is not 1, 2 or 3`);
    const fatalitiesRaw = get('fatalities');
    if (!/^\d+$/.test(fatalitiesRaw))
      bad(`fatalities ${JSON.stringify(fatalitiesRaw)} is not a whole number`);
    const [latRaw, lonRaw] = [get('latitude'), get('longitude')];
    const lat = Number(latRaw);
    const lon = Number(lonRaw);
    if ((latRaw === '') !== (lonRaw === '')) bad('give both latitude and longitude, or neither');
    else if (latRaw !== '' && (!Number.isFinite(lat) || Math.abs(lat) > 90 || !/^[-+]?\d/.test(latRaw)))
      bad(`latitude ${JSON.stringify(latRaw)} is not a number between -90 and 90`);
    else if (lonRaw !== '' && (!Number.isFinite(lon) || Math.abs(lon) > 180 || !/^[-+]?\d/.test(lonRaw)))
      bad(`longitude ${JSON.stringify(lonRaw)} is not a number between -180 and 180`);
    for (const c of ['event_type', 'actor1', 'country', 'location'] as const)
      if (!get(c)) bad(`${c} is empty`);
    if (problems.length > problemsBefore) continue;

    eventLines.set(acledId, line);
    eventIds.set(evId, acledId);
    const evPart = evId.slice('ev-acled-'.length);
    const claim = (suffix: string, c: Omit<ClaimDoc, 'id' | 'source' | 'quotes'>) => {
      const id = `cl-acled-${evPart}--${suffix}`;
      lineOf.set(id, line);
      claims.push({ id, ...c, summary: clip(c.summary, 2000), source: evidenceId, quotes: [quote] });
    };

    // Places, outermost first.
    const names: string[] = [];
    let inner: string | undefined;
    let innerName = '';
    for (const level of PLACE_LEVELS) {
      const name = get(level.column);
      if (!name) continue;
      names.push(name);
      const id = placeId(names);
      if (!places.has(id)) {
        places.set(id, { id, type: level.type, name: clip(name, 300), lang: guessLang(name, 'en') });
        lineOf.set(id, line);
      }
      if (inner) {
        claim(`part-of-${level.column}`, {
          subject: id,
          summary: `ACLED places ${name} in ${innerName} (event ${acledId}).`,
          relation: { type: 'PART_OF', object: inner },
        });
      }
      inner = id;
      innerName = name;
    }

    const type = get('event_type');
    const sub = get('sub_event_type');
    const date = acledDate(day!, Number(tp) as 1 | 2 | 3, rawDate);
    const location = get('location');
    const notes = get('notes');
    const sourceNames = get('source');
    events.push({
      id: evId,
      type: eventType(sub),
      name: clip(`${sub || type} in ${location} (${day})`, 300),
      lang: 'en',
      identifiers: [{ scheme: 'acled', value: acledId }],
      description: clip(
        [
          `ACLED event ${acledId}: ${[get('disorder_type'), type, sub].filter(Boolean).join(' / ')}.`,
          sourceNames
            ? `ACLED's source(s): ${sourceNames}${get('source_scale') ? ` (${get('source_scale')})` : ''}.`
            : '',
          notes,
        ]
          .filter(Boolean)
          .join(' '),
        5000,
      ),
      date,
    });
    lineOf.set(evId, line);

    claim('date', {
      subject: evId,
      summary: `ACLED dates event ${acledId} ${rawDate} with time precision ${tp}.`,
      attribute: { property: 'date', value: date },
    });
    claim('type', {
      subject: evId,
      summary: `ACLED classifies event ${acledId} as ${[type, sub].filter(Boolean).join(' / ')}.`,
      attribute: {
        property: 'acledEventType',
        value: [get('disorder_type'), type, sub].filter(Boolean).join(' / '),
      },
    });
    claim('place', {
      subject: evId,
      summary: `ACLED event ${acledId} took place in ${location}.`,
      relation: { type: 'OCCURRED_IN', object: inner! },
    });
    if (latRaw !== '') {
      const precision = get('geo_precision');
      for (const [property, value] of [
        ['latitude', lat],
        ['longitude', lon],
      ] as const) {
        claim(property, {
          subject: inner!,
          summary: `ACLED gives ${location} the ${property} ${value}${precision ? ` (geo_precision ${precision})` : ''} (event ${acledId}).`,
          attribute: { property, value },
        });
      }
    }

    // Actors: actor1 and actor2 with their associated actors.
    const [role1, role2] = roles(type, sub);
    for (const [k, role] of [
      ['1', role1],
      ['2', role2],
    ] as const) {
      const main = get(`actor${k}`);
      const assoc = get(`assoc_actor_${k}`)
        .split(';')
        .map((a) => a.trim())
        .filter(Boolean);
      [main, ...assoc].forEach((name, i) => {
        if (!name) return;
        const id = slugId('ac-acled-', name);
        if (!actors.has(id)) {
          actors.set(id, {
            id,
            type: i === 0 ? actorType(get(`inter${k}`)) : 'unknown',
            name: clip(name, 300),
            lang: guessLang(name, 'en'),
          });
          lineOf.set(id, line);
        }
        const which = i === 0 ? `actor${k}` : `assoc_actor_${k}`;
        claim(i === 0 ? `actor${k}` : `actor${k}-assoc-${i}`, {
          subject: id,
          summary: `ACLED names ${name} as ${which} of event ${acledId} (${[type, sub].filter(Boolean).join(' / ')}).`,
          relation: { type: 'INVOLVED_IN', object: evId, role },
        });
      });
    }

    const fatalities = Number(fatalitiesRaw);
    if (fatalities > 0) {
      claim('fatalities', {
        subject: evId,
        summary: `ACLED reports ${fatalities} fatalities in event ${acledId}.`,
        figure: {
          measure: 'fatalities',
          value: fatalities,
          qualifier: 'approximately',
          unit: 'people',
          text: `fatalities: ${fatalitiesRaw}`,
        },
      });
    }
    if (notes) claim('notes', { subject: evId, summary: `ACLED notes on event ${acledId}: ${notes}` });
  }

  const doc: Doc = {
    format: 'hrkg-bundle/1',
    recordedBy: opts.recordedBy,
    recordedAt: opts.recordedAt,
    description: `Import of ${path.basename(opts.file)} (ACLED CSV, sha256 ${opts.sha256}).`,
    sources: [
      {
        id: evidenceId,
        text,
        sha256: opts.sha256,
        title: `ACLED file ${path.basename(opts.file)}`,
        language: 'en',
        reliability: 'unknown',
        notes:
          'The imported ACLED CSV file itself: every claim derived from it quotes the row it comes from.',
      },
    ],
    actors: [...actors.values()],
    places: [...places.values()],
    events,
    claims,
  };
  opts.onProgress?.(rows.length, rows.length);
  return { doc, lines: LineMap.of(doc, lineOf), problems, records: rows.length };
}
