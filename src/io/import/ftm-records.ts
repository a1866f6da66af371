import { ACTOR_TYPES, EVENT_TYPES } from '../../model/enums.js';
import { importedClaimId } from '../../model/ids.js';
import { sha256 } from '../../model/text.js';
import { clip, guessLang, slugId, type BundleDoc } from './common.js';
import { Evidence } from './ftm-evidence.js';
import {
  countryPlaceDoc,
  entityFields,
  entityName,
  eventDates,
  sourceDoc,
  typeFromKeywords,
  type ClaimFields,
} from './ftm-fields.js';
import type { End } from './ftm-links.js';
import { all, first, type FtmFile, type FtmRecord, type Kind } from './ftm-read.js';
import { ACTOR_SCHEMAS, type SkipCounter } from './ftm-schemata.js';

/**
 * The records of the FollowTheMoney import (src/io/import/ftm.ts): the entities and sources its lines
 * become, the places named by a country code or a location text, the references between lines, and the
 * citation of each claim (ftm-evidence.ts). FtmConversion adds the claims.
 */

type ActorDoc = NonNullable<BundleDoc['actors']>[number];
type PlaceDoc = NonNullable<BundleDoc['places']>[number];
type EventDoc = NonNullable<BundleDoc['events']>[number];
export type SourceDoc = NonNullable<BundleDoc['sources']>[number];
export type ClaimDoc = NonNullable<BundleDoc['claims']>[number];

export class FtmRecords {
  readonly lineOf = new Map<string, number>();
  readonly actors: ActorDoc[] = [];
  readonly places: PlaceDoc[] = [];
  readonly events: EventDoc[] = [];
  readonly sources: SourceDoc[] = [];
  readonly claims: ClaimDoc[] = [];
  protected readonly names = new Map<string, string[]>();
  protected readonly actorTypes = new Map<string, string>();
  protected readonly madePlaces = new Map<string, { place: PlaceDoc; line: number }>();
  protected readonly sourceByHash = new Map<string, SourceDoc>();
  /** The source each document of the file became (a document with another's text: that one's). */
  protected readonly sourceOf = new Map<string, SourceDoc>();
  /** Actor–event pairs an UnknownLink of the file joins (its role says more than organizer/involved). */
  protected readonly linkedPairs = new Set<string>();
  protected readonly evidence: Evidence;
  /** Entities made from the file's own lines (not places named by a code or text). */
  protected known = new Set<string>();

  constructor(
    protected readonly evidenceId: string,
    protected readonly file: FtmFile,
    protected readonly problem: (r: FtmRecord, message: string) => void,
    protected readonly skips: SkipCounter,
  ) {
    this.evidence = new Evidence(evidenceId);
  }

  protected push<T extends { id: string }>(list: T[], item: T, line: number) {
    this.lineOf.set(item.id, line);
    list.push(item);
  }

  protected name(ourId: string): string | undefined {
    return this.names.get(ourId)?.[0];
  }

  /** A claim of r's line: citing the first of r's documents that holds some of the words, else the file. */
  protected claim(
    r: FtmRecord,
    c: ClaimFields,
    words: readonly string[] = [],
    extra: Partial<ClaimDoc> = {},
  ) {
    // Keyed by the record and the file: a second file never rewrites the first file's claim.
    const slot = c.id;
    const id = importedClaimId(slot, this.evidenceId);
    const cite = this.evidence.cite(r, this.documentsOf(r), words);
    this.push(this.claims, { ...c, ...extra, id, slot, ...cite }, r.line);
  }

  /** The sources an entity's `proof` (or a Documentation's `document`) names. */
  protected documentsOf(r: FtmRecord): string[] {
    const prop = r.schema === 'Documentation' ? 'document' : 'proof';
    return all(r, prop)
      .map((ftmId) => this.sourceOf.get(ftmId)?.id)
      .filter((id): id is string => id !== undefined);
  }

  /** The fields of a named entity (its names remembered for summaries and quotes), or a problem. */
  protected entityBase(r: FtmRecord) {
    const name = entityName(r);
    if (!name) {
      this.problem(r, `${r.schema} ${r.ftmId} has no name`);
      return undefined;
    }
    const base = entityFields(r, name);
    this.names.set(r.ourId, [base.name, ...base.aliases.map((a) => a.value)]);
    return base;
  }

  protected addEntity(r: FtmRecord) {
    if (r.kind === 'Actor') {
      const base = this.entityBase(r);
      const type = typeFromKeywords(r, ACTOR_TYPES, ACTOR_SCHEMAS[r.schema]!);
      this.actorTypes.set(r.ourId, type);
      if (base) this.push(this.actors, { ...base, type }, r.line);
    } else if (r.kind === 'Place') {
      const base = this.entityBase(r);
      if (base) this.push(this.places, { ...base, type: 'area' }, r.line);
    } else if (r.kind === 'Event') {
      const base = this.entityBase(r);
      const { date, endDate, problems } = eventDates(r);
      for (const p of problems) this.problem(r, p);
      const type = typeFromKeywords(r, EVENT_TYPES, 'other');
      if (base) this.push(this.events, { ...base, type, date, endDate }, r.line);
    } else if (r.kind === 'Source') {
      this.addSource(r);
    }
  }

  /** A document with a text of its own; a document with another's text cites that one's source. */
  protected addSource(r: FtmRecord) {
    const body = first(r, 'bodyText');
    if (!body?.trim()) {
      this.skips.add(
        `${r.schema} without bodyText`,
        'a source needs its text: claims it is the proof of stay on the file and quote their line',
      );
      return;
    }
    const hash = sha256(body);
    const twin = this.sourceByHash.get(hash);
    if (twin) {
      this.sourceOf.set(r.ftmId, twin);
      this.skips.add(
        `${r.schema} with the text of another document`,
        `one text is one source: cited as ${twin.id}`,
      );
      return;
    }
    const { source, problem } = sourceDoc(r, body, hash);
    if (problem) this.problem(r, problem);
    this.sourceByHash.set(hash, source);
    this.sourceOf.set(r.ftmId, source);
    this.evidence.addDocument(source.id, body);
    this.push(this.sources, source, r.line);
  }

  /** The country place of an FtM country code (created once, on first mention). */
  protected countryPlace(r: FtmRecord, raw: string): string | undefined {
    const country = countryPlaceDoc(raw);
    if ('problem' in country) {
      this.problem(r, country.problem);
      return undefined;
    }
    const { place } = country;
    if (!this.madePlaces.has(place.id)) {
      this.madePlaces.set(place.id, { place, line: r.line });
      this.names.set(place.id, [place.name]);
    }
    return place.id;
  }

  /** An area named by a location text (created once, on first mention). */
  protected textPlace(r: FtmRecord, text: string): string {
    const name = clip(text.trim(), 300);
    const id = slugId('pl-ftm-place-', name);
    if (!this.madePlaces.has(id)) {
      this.madePlaces.set(id, { place: { id, type: 'area', name, lang: guessLang(name) }, line: r.line });
      this.names.set(id, [name]);
    }
    return id;
  }

  /**
   * The record a reference names, when it is an entity of the file of one of the expected kinds; else
   * undefined, the reference counted as skipped (a file is never refused over what it points at).
   */
  protected ref(r: FtmRecord, prop: string, ftmId: string, kinds: Kind[]): FtmRecord | undefined {
    const target = this.file.byFtmId.get(ftmId);
    const what = `reference ${r.schema}.${prop}`;
    if (!target) {
      const schema = this.file.unmapped.get(ftmId);
      this.skips.add(
        what,
        schema
          ? `names a ${schema}, a schema the import leaves out: the link is skipped`
          : 'names an entity that is not in the file: the link is skipped',
      );
      return undefined;
    }
    if (!kinds.includes(target.kind)) {
      this.skips.add(what, `names a ${target.schema}, which cannot be the ${prop} of a ${r.schema}: skipped`);
      return undefined;
    }
    return target;
  }

  protected end(e: FtmRecord): End {
    return { ourId: e.ourId, kind: e.kind, name: this.name(e.ourId), type: this.actorTypes.get(e.ourId) };
  }

  protected notePair(r: FtmRecord) {
    const [s, o] = [first(r, 'subject'), first(r, 'object')];
    if (s && o) this.linkedPairs.add(`${s}|${o}`).add(`${o}|${s}`);
  }
}
