import path from 'node:path';
import type { Problem } from '../bundle/resolve.js';
import {
  clip,
  CodePointCursor,
  guessLang,
  LineMap,
  slugId,
  type ConvertOptions,
  type ImportPlan,
  type ImportSkip,
  type ProblemAt,
  type Quote,
} from './common.js';
import {
  acledDate,
  actorType,
  checkFields,
  closingClaims,
  codedClaims,
  eventClaims,
  eventDoc,
  PLACE_LEVELS,
  placeId,
  roles,
  type ClaimFields,
  type Get,
  type RowValues,
} from './acled-fields.js';
import { parseCsv } from './csv.js';
import { ACLED_COLUMNS } from '../export/acled.js';
import { importedClaimId } from '../../model/ids.js';

/** ACLED itself, the publisher of every imported ACLED file (so that its releases supersede one another). */
export const ACLED_PUBLISHER = {
  id: 'ac-acled',
  type: 'organization',
  name: 'ACLED (Armed Conflict Location & Event Data)',
  lang: 'en',
} as const;

export { acledDate, acledDay } from './acled-fields.js';

/**
 * ACLED CSV (the codebook's columns, ACLED_COLUMNS; any others are accepted, left out and reported in the
 * plan's `skipped` with the count of values lost) → an hrkg-bundle/1 document. Each row is one event,
 * identified by event_id_cnty ({scheme: acled}):
 *
 * - type: sub_event_type Arrests or Abduction/forced disappearance → arrest_detention; everything else
 *   → other (ACLED's own types are kept, with the rest of its coding, as below);
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
 * - fatalities → a figure {measure: fatalities, qualifier: approximately, unit: people} (ACLED's
 *   numbers are conservative estimates), 0 included (a later release may revise a count to 0); the notes
 *   → a statement claim;
 * - ACLED's coding, column by column (acled-fields.ts CODED_COLUMNS): the day coded (event_date as
 *   YYYY-MM-DD), time_precision, disorder/event/sub-event types, inter1/inter2, interaction,
 *   civilian_targeting, iso, region, geo_precision, source, source_scale, tags, timestamp → attribute
 *   claims on the event, as written (none for an empty column), so that the ACLED export gives the row
 *   back as ACLED coded it (src/io/export/acled-coded.ts). year is event_date's year and not kept.
 *
 * Evidence: the CSV file itself is the source (published by ACLED, `ac-acled`, a release of the dataset
 * "acled" unless --dataset names another), and every claim of a row quotes that row's exact text (its whole
 * record, even when a quoted field spans lines), so that each fact is backed by exact words. Claim ids are
 * keyed by the event, the field and the file (model/ids.ts importedClaimId): a revised file makes claims of
 * its own, and where it says something else, its claim supersedes the earlier release's.
 * ACLED's sources (source, source_scale) are kept as its coding and named in the event's description; they
 * are not made sources of the claims, as they cannot form one attribution chain.
 * Refused, with their line: a header without the required columns, or with a column twice; rows with the
 * wrong number of fields, malformed quoting, no event id or a repeated one, bad dates, time_precision
 * other than 1–3, fatalities that are not whole numbers, bad coordinates.
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

/** Columns of ACLED files that are not in the codebook's 31 (ACLED_COLUMNS), and why they are left out. */
const OPTIONAL: Readonly<Record<string, string>> = {
  event_id_no_cnty: 'removed by ACLED in 2023; event_id_cnty identifies the event',
  data_id: 'removed by ACLED in 2023; a row number that changes between downloads',
  iso3: 'removed by ACLED in 2023; the country is kept from country and iso',
  ...Object.fromEntries(
    ['population_1km', 'population_2km', 'population_5km', 'population_best'].map((c) => [
      c,
      "ACLED's estimate of the population near the location; the graph keeps no population figures",
    ]),
  ),
};

type ActorDoc = NonNullable<ImportPlan['doc']['actors']>[number];
type ClaimDoc = NonNullable<ImportPlan['doc']['claims']>[number];
type EventDoc = NonNullable<ImportPlan['doc']['events']>[number];
type PlaceDoc = NonNullable<ImportPlan['doc']['places']>[number];

interface Header {
  width: number;
  /** The codebook's columns by name. */
  index: Map<string, number>;
  /** Other columns (ACLED's optional ones, or unknown), left out and reported. */
  extra: Map<string, number>;
}

/**
 * Header: the required columns present, each column once (case and a BOM forgiven). Columns outside the
 * codebook are accepted and left out (counted in the plan's `skipped`), never a reason to refuse the file.
 */
function readHeader(fields: string[], line: number, problem: ProblemAt): Header {
  const columns = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase());
  const known = new Set<string>(ACLED_COLUMNS);
  const index = new Map<string, number>();
  const extra = new Map<string, number>();
  columns.forEach((c, i) => {
    if (index.has(c) || extra.has(c)) problem(line, `column ${c || `${i + 1} (no name)`} appears twice`);
    else (known.has(c) ? index : extra).set(c, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  const others = extra.size ? ` (columns outside the codebook: ${[...extra.keys()].join(', ')})` : '';
  if (missing.length) problem(line, `missing required column(s): ${missing.join(', ')}${others}`);
  return { width: columns.length, index, extra };
}

/** The columns left out, with how many rows give them a value and why. */
function skippedColumns(extra: Header['extra'], rows: { fields: string[] }[]): ImportSkip[] {
  return [...extra].map(([column, i]) => ({
    what: `column ${column}`,
    count: rows.filter((r) => (r.fields[i] ?? '').trim() !== '').length,
    reason: OPTIONAL[column] ?? "not a column of ACLED's codebook",
  }));
}

/** One valid row while it is converted: its event's ids and a claim maker quoting the row. */
interface RowContext {
  line: number;
  get: Get;
  acledId: string;
  evId: string;
  claim: (suffix: string, c: ClaimFields) => void;
}

/**
 * The bundle records of the rows, each remembering its line: places and actors once (the first row that
 * names them), an event per row with the claims that quote it. Event ids are checked across rows here.
 */
class AcledConversion {
  readonly lineOf = new Map<string, number>();
  readonly actors = new Map<string, ActorDoc>();
  readonly places = new Map<string, PlaceDoc>();
  readonly events: EventDoc[] = [];
  readonly claims: ClaimDoc[] = [];
  private readonly eventLines = new Map<string, number>();
  private readonly eventIds = new Map<string, string>();

  constructor(private readonly evidenceId: string) {}

  /** Problems with a row's event id: empty, repeated, or mapping to the id of another. */
  idProblems(acledId: string, evId: string): string[] {
    const problems: string[] = [];
    if (!acledId) problems.push('event_id_cnty is empty');
    const seenOn = this.eventLines.get(acledId);
    if (acledId && seenOn !== undefined) problems.push(`event_id_cnty ${acledId} also on line ${seenOn}`);
    const clash = this.eventIds.get(evId);
    if (acledId && seenOn === undefined && clash)
      problems.push(`event_id_cnty ${acledId} and ${clash} map to the same id ${evId}`);
    return problems;
  }

  addRow(line: number, quote: Quote, get: Get, acledId: string, evId: string, v: RowValues): void {
    this.eventLines.set(acledId, line);
    this.eventIds.set(evId, acledId);
    const evPart = evId.slice('ev-acled-'.length);
    const claim = (suffix: string, c: ClaimFields) => {
      const slot = `cl-acled-${evPart}--${suffix}`;
      const id = importedClaimId(slot, this.evidenceId);
      this.lineOf.set(id, line);
      this.claims.push({
        id,
        slot,
        ...c,
        summary: clip(c.summary, 2000),
        source: this.evidenceId,
        quotes: [quote],
      });
    };
    const row: RowContext = { line, get, acledId, evId, claim };
    const location = this.addPlaces(row);
    const date = acledDate(v.day, v.precision, get('event_date'));
    this.events.push(eventDoc(get, evId, acledId, v.day, date));
    this.lineOf.set(evId, line);
    for (const [suffix, c] of [
      ...eventClaims(get, { event: evId, acled: acledId, location }, date, v.coordinates),
      ...codedClaims(get, evId, acledId, v),
    ])
      claim(suffix, c);
    this.addActors(row);
    for (const [suffix, c] of closingClaims(get, evId, acledId, v.fatalities)) claim(suffix, c);
  }

  /** The row's places, outermost first, each PART_OF the one before; the id of the innermost (the location). */
  private addPlaces({ line, get, acledId, claim }: RowContext): string {
    const names: string[] = [];
    let inner: string | undefined;
    let innerName = '';
    for (const level of PLACE_LEVELS) {
      const name = get(level.column);
      if (!name) continue;
      names.push(name);
      const id = placeId(names);
      if (!this.places.has(id)) {
        this.places.set(id, { id, type: level.type, name: clip(name, 300), lang: guessLang(name, 'en') });
        this.lineOf.set(id, line);
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
    // The location is required, so there is always one.
    return inner!;
  }

  /** Actors: actor1 and actor2 with their associated actors, INVOLVED_IN the event. */
  private addActors({ line, get, acledId, evId, claim }: RowContext): void {
    const type = get('event_type');
    const sub = get('sub_event_type');
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
        if (!this.actors.has(id)) {
          this.actors.set(id, {
            id,
            type: i === 0 ? actorType(get(`inter${k}`)) : 'unknown',
            name: clip(name, 300),
            lang: guessLang(name, 'en'),
          });
          this.lineOf.set(id, line);
        }
        const which = i === 0 ? `actor${k}` : `assoc_actor_${k}`;
        claim(i === 0 ? `actor${k}` : `actor${k}-assoc-${i}`, {
          subject: id,
          summary: `ACLED names ${name} as ${which} of event ${acledId} (${[type, sub].filter(Boolean).join(' / ')}).`,
          relation: { type: 'INVOLVED_IN', object: evId, role },
        });
      });
    }
  }
}

export function acledToBundle(text: string, opts: ConvertOptions): ImportPlan {
  const problems: Problem[] = [];
  const problem: ProblemAt = (line, message) => problems.push({ path: `line ${line}`, message });
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
  const { width, index, extra } = readHeader(header.fields, header.line, problem);
  if (problems.some((p) => p.path === `line ${header.line}`)) return empty();

  const cursor = new CodePointCursor(text);
  const c = new AcledConversion(evidenceId);
  for (const [n, row] of rows.entries()) {
    if (n % 1000 === 0) opts.onProgress?.(n, rows.length);
    const quote = cursor.quote(row.start, row.end);
    if (row.fields.length !== width) {
      problem(row.line, `${row.fields.length} field(s), but the header has ${width}`);
      continue;
    }
    const get: Get = (col) => {
      const i = index.get(col);
      return i === undefined ? '' : row.fields[i]!.trim();
    };
    const acledId = get('event_id_cnty');
    const evId = slugId('ev-acled-', acledId);
    const checked = checkFields(get);
    const rowProblems = [...c.idProblems(acledId, evId), ...('problems' in checked ? checked.problems : [])];
    rowProblems.forEach((m) => problem(row.line, m));
    if (rowProblems.length || 'problems' in checked) continue;
    c.addRow(row.line, quote, get, acledId, evId, checked.values);
  }

  const file = path.basename(opts.file);
  const doc: ImportPlan['doc'] = {
    format: 'hrkg-bundle/1',
    recordedBy: opts.recordedBy,
    recordedAt: opts.recordedAt,
    description: `Import of ${file} (ACLED CSV, sha256 ${opts.sha256}).`,
    sources: [
      {
        id: evidenceId,
        text,
        sha256: opts.sha256,
        title: `ACLED file ${file}`,
        publisher: ACLED_PUBLISHER.id,
        dataset: opts.dataset === undefined ? 'acled' : opts.dataset,
        language: 'en',
        reliability: 'unknown',
        notes:
          'The imported ACLED CSV file itself: every claim derived from it quotes the row it comes from.',
      },
    ],
    actors: [...c.actors.values(), { ...ACLED_PUBLISHER }],
    places: [...c.places.values()],
    events: c.events,
    claims: c.claims,
  };
  opts.onProgress?.(rows.length, rows.length);
  return {
    doc,
    lines: LineMap.of(doc, c.lineOf),
    problems,
    records: rows.length,
    skipped: skippedColumns(extra, rows),
  };
}
