import path from 'node:path';
import type { RelationType } from '../../model/graph-model.js';
import { sha256 } from '../../model/text.js';
import type { Problem } from '../bundle/resolve.js';
import {
  clip,
  LineMap,
  type BundleDoc,
  type ConvertOptions,
  type ImportPlan,
  type ProblemAt,
} from './common.js';
import {
  countryName,
  entityFields,
  entityName,
  eventDates,
  linkAssertion,
  sourceDoc,
  type ClaimFields,
  type End,
} from './ftm-fields.js';
import { ACTOR_SCHEMAS, all, first, readRecords, type FtmRecord, type Kind } from './ftm-read.js';
import { importedClaimId } from '../../model/ids.js';

export { ftmDate, linkRelation } from './ftm-fields.js';
export { parseFtmLine } from './ftm-read.js';
export type { ConvertOptions, ImportPlan } from './common.js';

/**
 * FollowTheMoney (FtM 3.8) NDJSON → an hrkg-bundle/1 document. One entity per line:
 * `{"id", "schema", "properties": {name: [...], ...}}`.
 *
 * | FtM schema                                   | becomes                                                     |
 * | -------------------------------------------- | ----------------------------------------------------------- |
 * | Person, Organization, Company, PublicBody     | actor: person, organization, organization, public_body      |
 * | LegalEntity                                   | actor of type unknown (FtM's "person or organisation")      |
 * | Event                                         | event of type other, dates from startDate/date and endDate  |
 * | Address                                       | place of type area (name: full, else street, city)          |
 * | Article, Document, PlainText with bodyText    | source (text = bodyText)                                    |
 * | UnknownLink                                   | relation claim by the kinds of its ends (see linkRelation)   |
 * | Membership                                    | MEMBER_OF claim, member → organization                       |
 * | `country` of any of these                     | a country place (LOCATED_IN, OCCURRED_IN or PART_OF claim)  |
 *
 * Evidence: the file itself is stored as a source, and every derived claim quotes its own line with
 * code-point offsets (a line that occurs twice is still cited unambiguously). Each entity gets a `name`
 * claim so that its provenance leads to its line; events get `date` / `endDate` claims.
 *
 * Ids are derived from FtM ids (`ac-ftm-<slug>`, see slugId), so importing a file again updates the
 * same records; the FtM id is kept as an identifier {scheme: ftm}.
 *
 * Refused, with their line: lines that are not JSON objects with id, schema and properties (arrays of
 * strings); schemas not listed above; entities without a name (documents: without bodyText — a source
 * needs its text); dates that are not ISO prefixes or not real days; references to ids not in the file
 * or of the wrong kind; the same FtM id twice (aggregate fragments first, e.g. with `ftm aggregate`).
 * Left out: properties not named above (they stay readable in the stored file), link dates (kept in
 * the claim's summary), multiple dates (the earliest start and the latest end are used).
 */

type ActorDoc = NonNullable<BundleDoc['actors']>[number];
type PlaceDoc = NonNullable<BundleDoc['places']>[number];
type EventDoc = NonNullable<BundleDoc['events']>[number];
type SourceDoc = NonNullable<BundleDoc['sources']>[number];
type ClaimDoc = NonNullable<BundleDoc['claims']>[number];

/**
 * Step 2: the bundle records of the well-formed lines, each remembering its line. Entities come first
 * (so that links and references can name their ends), then the claims in line order, each quoting its
 * own line; country places are made on first mention and listed last.
 */
class FtmConversion {
  readonly lineOf = new Map<string, number>();
  readonly actors: ActorDoc[] = [];
  readonly places: PlaceDoc[] = [];
  readonly events: EventDoc[] = [];
  readonly sources: SourceDoc[] = [];
  readonly claims: ClaimDoc[] = [];
  private readonly names = new Map<string, string>();
  private readonly countries = new Map<string, { place: PlaceDoc; line: number }>();
  private readonly sourceHashes = new Map<string, number>();
  /** Entities made from the file (not country places). */
  private known = new Set<string>();

  constructor(
    private readonly evidenceId: string,
    private readonly byFtmId: ReadonlyMap<string, FtmRecord>,
    private readonly problem: ProblemAt,
  ) {}

  convert(records: readonly FtmRecord[]): void {
    for (const r of records) this.addEntity(r);
    this.known = new Set([...this.actors, ...this.places, ...this.events].map((e) => e.id));
    for (const r of records) this.addClaims(r);
    for (const { place, line } of this.countries.values()) this.push(this.places, place, line);
  }

  private push<T extends { id: string }>(list: T[], item: T, line: number) {
    this.lineOf.set(item.id, line);
    list.push(item);
  }

  private claim(r: FtmRecord, c: ClaimFields) {
    // Keyed by the record and the file: a second file never rewrites the first file's claim.
    const slot = c.id;
    const id = importedClaimId(slot, this.evidenceId);
    this.push(this.claims, { ...c, id, slot, source: this.evidenceId, quotes: [r.quote] }, r.line);
  }

  /** The fields of a named entity (its name remembered for the summaries), or a problem when it has none. */
  private entityBase(r: FtmRecord) {
    const name = entityName(r);
    if (!name) {
      this.problem(r.line, `${r.schema} ${r.ftmId} has no name`);
      return undefined;
    }
    this.names.set(r.ourId, name);
    return entityFields(r, name);
  }

  private addEntity(r: FtmRecord) {
    if (r.kind === 'Actor') {
      const base = this.entityBase(r);
      if (base) this.push(this.actors, { ...base, type: ACTOR_SCHEMAS[r.schema]! }, r.line);
    } else if (r.kind === 'Place') {
      const base = this.entityBase(r);
      if (base) this.push(this.places, { ...base, type: 'area' }, r.line);
    } else if (r.kind === 'Event') {
      const base = this.entityBase(r);
      const { date, endDate, problems } = eventDates(r);
      for (const p of problems) this.problem(r.line, p);
      if (base) this.push(this.events, { ...base, type: 'other', date, endDate }, r.line);
    } else if (r.kind === 'Source') {
      this.addSource(r);
    }
  }

  /** A document with a text of its own (the same text twice is one source). */
  private addSource(r: FtmRecord) {
    const body = first(r, 'bodyText');
    if (!body?.trim()) {
      this.problem(r.line, `${r.schema} ${r.ftmId} has no bodyText: a source needs its text`);
      return;
    }
    const hash = sha256(body);
    const twin = this.sourceHashes.get(hash);
    if (twin !== undefined) {
      this.problem(r.line, `bodyText is the same as on line ${twin}: the same text is one source`);
      return;
    }
    this.sourceHashes.set(hash, r.line);
    const { source, problem } = sourceDoc(r, body, hash);
    if (problem) this.problem(r.line, problem);
    this.push(this.sources, source, r.line);
  }

  /** The country place of an FtM country code (created once, on first mention). */
  private countryPlace(r: FtmRecord, raw: string): string | undefined {
    const code = raw.trim().toLowerCase();
    if (!/^[a-z]{2}(?:[a-z]{2}|-[a-z0-9]{1,3})?$/.test(code)) {
      this.problem(r.line, `country: ${JSON.stringify(raw)} is not a country code`);
      return undefined;
    }
    const id = `pl-ftm-country-${code}`;
    if (!this.countries.has(code)) {
      const place: PlaceDoc = {
        id,
        type: 'country',
        name: countryName(code),
        lang: 'en',
        identifiers: code.length === 2 ? [{ scheme: 'iso3166', value: code.toUpperCase() }] : [],
      };
      this.countries.set(code, { place, line: r.line });
      this.names.set(id, place.name);
    }
    return id;
  }

  /** A referenced entity of one of the expected kinds, or a problem on the referencing line. */
  private ref(r: FtmRecord, prop: string, ftmId: string, kinds: Kind[]): FtmRecord | undefined {
    const target = this.byFtmId.get(ftmId);
    if (!target) {
      this.problem(r.line, `${prop}: no entity ${ftmId} in the file`);
      return undefined;
    }
    if (!kinds.includes(target.kind)) {
      this.problem(
        r.line,
        `${prop}: ${ftmId} is a ${target.schema}, which cannot be the ${prop} of a ${r.schema}`,
      );
      return undefined;
    }
    return target;
  }

  private addClaims(r: FtmRecord) {
    if (r.kind !== 'Link' && r.kind !== 'Source' && !this.known.has(r.ourId)) return;
    const here = this.names.get(r.ourId);
    if (r.kind === 'Actor') {
      this.nameClaim(r, 'actor');
      this.countryClaims(r, here, 'LOCATED_IN', 'is located in');
      this.addressClaims(r, here, 'LOCATED_IN', 'is located at');
    } else if (r.kind === 'Place') {
      this.nameClaim(r, 'place');
      this.countryClaims(r, here, 'PART_OF', 'lies in');
    } else if (r.kind === 'Event') {
      this.nameClaim(r, 'event');
      this.dateClaims(r, here);
      this.countryClaims(r, here, 'OCCURRED_IN', 'took place in');
      this.addressClaims(r, here, 'OCCURRED_IN', 'took place at');
      this.involvementClaims(r, here);
    } else if (r.kind === 'Link') {
      this.linkClaim(r);
    }
  }

  private nameClaim(r: FtmRecord, noun: string) {
    this.claim(r, {
      id: `cl-ftm-${r.part}--name`,
      subject: r.ourId,
      summary: clip(`FtM ${r.schema} ${r.ftmId} names this ${noun} "${this.names.get(r.ourId)}".`, 2000),
      attribute: { property: 'name', value: this.names.get(r.ourId)! },
    });
  }

  private countryClaims(r: FtmRecord, here: string | undefined, type: RelationType, verb: string) {
    all(r, 'country').forEach((code, i) => {
      const place = this.countryPlace(r, code);
      if (!place) return;
      this.claim(r, {
        id: `cl-ftm-${r.part}--country-${i + 1}`,
        subject: r.ourId,
        summary: clip(
          `${here} ${verb} ${this.names.get(place)} (FtM ${r.schema} ${r.ftmId}, country).`,
          2000,
        ),
        relation: { type, object: place },
      });
    });
  }

  private addressClaims(r: FtmRecord, here: string | undefined, type: RelationType, verb: string) {
    all(r, 'addressEntity').forEach((a, i) => {
      const target = this.ref(r, 'addressEntity', a, ['Place']);
      if (!target || !this.known.has(target.ourId)) return;
      this.claim(r, {
        id: `cl-ftm-${r.part}--address-${i + 1}`,
        subject: r.ourId,
        summary: clip(
          `${here} ${verb} ${this.names.get(target.ourId)} (FtM ${r.schema} ${r.ftmId}, address).`,
          2000,
        ),
        relation: { type, object: target.ourId },
      });
    });
  }

  private dateClaims(r: FtmRecord, here: string | undefined) {
    const ev = this.events.find((e) => e.id === r.ourId)!;
    for (const [prop, d] of [
      ['date', ev.date],
      ['endDate', ev.endDate],
    ] as const) {
      if (!d) continue;
      const noun = prop === 'date' ? 'date' : 'end date';
      this.claim(r, {
        id: `cl-ftm-${r.part}--${prop === 'date' ? 'date' : 'end-date'}`,
        subject: r.ourId,
        summary: clip(`FtM Event ${r.ftmId} gives ${here} the ${noun} ${d.text ?? d.value}.`, 2000),
        attribute: { property: prop, value: d },
      });
    }
  }

  /** Organizers (implementers) and other involved actors of an event. */
  private involvementClaims(r: FtmRecord, here: string | undefined) {
    for (const [prop, role] of [
      ['organizer', 'implementer'],
      ['involved', 'other'],
    ] as const) {
      all(r, prop).forEach((a, i) => {
        const actor = this.ref(r, prop, a, ['Actor']);
        if (!actor || !this.known.has(actor.ourId)) return;
        this.claim(r, {
          id: `cl-ftm-${r.part}--${prop}-${i + 1}`,
          subject: actor.ourId,
          summary: clip(
            `${this.names.get(actor.ourId)} was involved in ${here} (FtM Event ${r.ftmId}, ${prop}).`,
            2000,
          ),
          relation: { type: 'INVOLVED_IN', object: r.ourId, role },
        });
      });
    }
  }

  private linkClaim(r: FtmRecord) {
    const membership = r.schema === 'Membership';
    const [fromProp, toProp] = membership ? ['member', 'organization'] : ['subject', 'object'];
    const ends: Kind[] = membership ? ['Actor'] : ['Actor', 'Event', 'Place'];
    const fromId = first(r, fromProp);
    const toId = first(r, toProp);
    if (!fromId || !toId) {
      this.problem(r.line, `${r.schema} ${r.ftmId} needs ${fromProp} and ${toProp}`);
      return;
    }
    const from = this.ref(r, fromProp, fromId, ends);
    const to = this.ref(r, toProp, toId, ends);
    if (!from || !to || !this.known.has(from.ourId) || !this.known.has(to.ourId)) return;
    const end = (e: FtmRecord): End => ({ ourId: e.ourId, kind: e.kind, name: this.names.get(e.ourId) });
    const claim = linkAssertion(r, end(from), end(to));
    if ('problem' in claim) this.problem(r.line, claim.problem);
    else this.claim(r, claim);
  }
}

export function ftmToBundle(text: string, opts: ConvertOptions): ImportPlan {
  const problems: Problem[] = [];
  const problem: ProblemAt = (line, message) => problems.push({ path: `line ${line}`, message });
  const evidenceId = `src-${opts.sha256.slice(0, 16)}`;
  const { records, byFtmId, lines } = readRecords(text, problem, opts.onProgress);
  const c = new FtmConversion(evidenceId, byFtmId, problem);
  c.convert(records);
  const file = path.basename(opts.file);
  const doc: BundleDoc = {
    format: 'hrkg-bundle/1',
    recordedBy: opts.recordedBy,
    recordedAt: opts.recordedAt,
    description: `Import of ${file} (FollowTheMoney NDJSON, sha256 ${opts.sha256}).`,
    sources: [
      {
        id: evidenceId,
        text,
        sha256: opts.sha256,
        title: `FollowTheMoney file ${file}`,
        dataset: opts.dataset ?? null,
        language: 'und',
        reliability: 'unknown',
        notes: 'The imported FtM file itself: every claim derived from it quotes the line it comes from.',
      },
      ...c.sources,
    ],
    actors: c.actors,
    places: c.places,
    events: c.events,
    claims: c.claims,
  };
  opts.onProgress?.(lines, lines);
  return { doc, lines: LineMap.of(doc, c.lineOf), problems, records: records.length };
}
