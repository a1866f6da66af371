import type { FuzzyDate } from '../../model/fuzzy-date.js';
import { positionKey } from '../../model/ids.js';
import { derivedId, ftmId, ftmLanguage, hasVisible, requiredName } from './ftm-values.js';
import {
  countryCode,
  lineage,
  mostSpecific,
  utcSeconds,
  type ExportActor,
  type ExportClaim,
  type ExportEvent,
  type ExportReader,
  type ExportRelation,
  type ExportResult,
  type ExportSource,
  type PlaceRef,
  type Progress,
  type Sink,
  type Skipped,
} from './index.js';

/**
 * FollowTheMoney 3.8 entities as NDJSON, one `{"id","schema","properties"}` per line, checked against the
 * schema files in shared/reference/followthemoney-schema (test/helpers/ftm-schema.ts) and loaded, signed and
 * aggregated by followthemoney 3.8 and 4.x (test/interop/ftm_check.py). Ids are ones FtM and Aleph take as
 * they are (ftm-values.ts): a record's own id when it fits FtM's pattern, else its hash; every entity we
 * derive (links, a claim's further sources, publisher and outlet Documentation, posts) a hash of what it is
 * made from, as followthemoney's make_id makes ids; the graph id behind a hashed one is kept in `recordId`
 * (links, Documentation, Event) or `notes` ("hrkg id: …"). The same graph gives the same ids, so a
 * re-export updates the same entities.
 *
 * Mapping decisions:
 * - Actors: person -> Person, organization -> Organization, public_body -> PublicBody. A state (the
 *   "Syrian regime") is a government acting as an authority: PublicBody, which FtM describes as "a
 *   ministry, department or state company" and which, being an Organization, can take members (Membership).
 *   group and unknown -> LegalEntity: FtM's own schema for a party whose nature the data does not say
 *   (a group of detainees is not an incorporated Organization). The actor type is kept in `keywords`.
 * - Places: FtM 3.8 has no schema for a country, region or facility (Territory arrived in 4.x) and an
 *   Address is a postal location of an entity, not a governorate. Places are therefore not entities: they
 *   become `country` (ISO code from the iso3166 identifier) and `location`/`address` text ("Rif Dimashq,
 *   Syria") on the events and actors they belong to, and are listed in `skipped`.
 * - Events -> Event with name, alias, description, keywords (event type), date/startDate/endDate as ISO
 *   prefixes at the date's own precision (never an invented day), country, location, involved (every
 *   involved actor) and organizer (issuers), proof (the articles behind its claims).
 * - Sources -> Article (a Document of media reporting; Document itself would require a fileName we do not
 *   have), with title, publisher name (FtM's `publisher` is a name), language (ISO 639-3, and only the
 *   languages FtM knows: `und` is left out, another tag FtM lacks goes into notes), bodyText, sourceUrl,
 *   retrievedAt, publishedAt when the publication date is a date rather than a bound. contentHash is not
 *   set: FtM checksums are SHA1 references to files in an Aleph archive; the sha256 goes into notes.
 * - Relationships: INVOLVED_IN -> UnknownLink (subject actor, object event, role, the event's dates);
 *   MEMBER_OF -> Membership when the group is an Organization (or PublicBody), else UnknownLink, with the
 *   position as role and the relationship's period (the span of its claims' periods) as start/endDate;
 *   SUBORDINATE_TO -> Membership of the unit in its parent (role "subordinate unit"; UnknownLink when the
 *   parent is no Organization), as FtM has no unit hierarchy of its own;
 *   COMMANDS -> Position (the post: its name, e.g. "commander", in the unit as organization, one per unit
 *   and post) + Occupancy (holder = the person, post, start/endDate);
 *   PURSUANT_TO and PART_OF between events -> UnknownLink with the relation as role. OCCURRED_IN,
 *   LOCATED_IN and PART_OF between places are folded into the place properties above.
 *   HELD_IN, RELEASED_FROM, TRANSFERRED_TO and OPERATES have no FtM schema (their object is a facility,
 *   and places are not FtM entities): they are listed in `skipped`, one reason per type.
 * - Claims -> Documentation (FtM's link from a document to the entity it documents): document = the
 *   source, entity = the claim's subject, role = what is claimed, summary, description = the exact words,
 *   status, recordId = the claim id. One per source of the claim (the claim's own id for the first, a hash
 *   of claim and source after that).
 *   Publishers -> Documentation with role "publisher"; the outlets of a source's publishedVia chain ->
 *   Documentation with role "published via (hop n)" (1 = nearest the reader). Figures have no FtM schema: their claims carry
 *   them (summary and exact words), the figure records are listed in `skipped`.
 *
 * Every entity reference points at an entity written earlier in the same export (the writer remembers
 * which ids it wrote), so a graph changing during a long export cannot produce a dangling reference.
 */

export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

export const ACTOR_SCHEMA: Readonly<Record<string, string>> = {
  person: 'Person',
  organization: 'Organization',
  public_body: 'PublicBody',
  state: 'PublicBody',
  group: 'LegalEntity',
  unknown: 'LegalEntity',
};

/** Schemata a Membership's organization may have (its range is Organization). */
const ORGANIZATIONS = new Set(['Organization', 'PublicBody']);

/** Property values: strings only, no empties, each once, in first-seen order. */
class Props {
  private readonly map: Record<string, string[]> = {};

  add(name: string, ...values: (string | null | undefined)[]): this {
    for (const v of values) {
      if (v === null || v === undefined) continue;
      const s = String(v).trim();
      if (!hasVisible(s)) continue; // FtM's cleaners would drop it
      const list = (this.map[name] ??= []);
      if (!list.includes(s)) list.push(s);
    }
    return this;
  }

  addAll(props: Record<string, string[]>): this {
    for (const [k, v] of Object.entries(props)) this.add(k, ...v);
    return this;
  }

  build(): Record<string, string[]> {
    return this.map;
  }
}

const valueOf = (d: FuzzyDate | null): string | null =>
  d && d.precision !== 'unknown' && d.value ? d.value : null;

/**
 * A fuzzy date (and an optional end) as FtM date properties, at the precision the source gives: an exact
 * or approximate date is `date` ("late April" -> 2022-04), "not before X" starts at X, "not after X" ends
 * at X, an unknown-precision date contributes only its explicit bounds, and a period has start and end.
 */
export function ftmDates(start: FuzzyDate | null, end: FuzzyDate | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const v = valueOf(start);
  if (start && v) {
    if (start.qualifier === 'after') out.startDate = [v];
    else if (start.qualifier === 'before') {
      if (!end) out.endDate = [v];
    } else if (end) out.startDate = [v];
    else out.date = [v];
  } else if (start) {
    if (start.earliest) out.startDate = [start.earliest];
    if (start.latest && !end) out.endDate = [start.latest];
  }
  const w = valueOf(end);
  if (end && w) {
    // "ended after X" says nothing about when it ended.
    if (end.qualifier !== 'after') out.endDate = [w];
  } else if (end?.latest) out.endDate = [end.latest];
  return out;
}

/** "Rif Dimashq, Syria": a place and the places it lies in. */
function placeText(place: PlaceRef): string {
  return lineage(place)
    .map((p) => p.name)
    .join(', ');
}

function identifierProps(p: Props, identifiers: { scheme: string; value: string }[]) {
  for (const i of identifiers) {
    if (i.scheme === 'wikidata' && /^Q\d+$/.test(i.value)) p.add('wikidataId', i.value);
  }
}

/**
 * FtM ids written so far, with their schema (references may only point at these). Looked up by a graph id
 * or an FtM id alike: ftmId maps the one to the other and leaves an FtM id as it is.
 */
export class Written {
  private readonly schemaOf = new Map<string, string>();
  add(e: FtmEntity) {
    this.schemaOf.set(e.id, e.schema);
  }
  schema(id: string): string | undefined {
    return this.schemaOf.get(ftmId(id));
  }
  has(id: string): boolean {
    return this.schemaOf.has(ftmId(id));
  }
}

/**
 * A graph record as an FtM entity: its FtM id, and when that is a hash, its graph id as an Event's
 * recordId or in the notes of an Article or actor (Things have no recordId): "hrkg id: ac-…".
 */
function recordEntity(graphId: string, schema: string, p: Props): FtmEntity {
  const id = ftmId(graphId);
  if (id !== graphId && schema === 'Event') p.add('recordId', graphId);
  else if (id !== graphId) p.add('notes', `hrkg id: ${graphId}`);
  return { id, schema, properties: p.build() };
}

export function sourceEntity(s: ExportSource): FtmEntity {
  const p = new Props()
    .add('title', s.title)
    .add('name', s.title)
    .add('publisher', s.publisher?.name)
    .add('language', ftmLanguage(s.language))
    .add('sourceUrl', s.url)
    .add('retrievedAt', utcSeconds(s.retrievedAt))
    .add('bodyText', s.text)
    .add('mimeType', 'text/plain');
  const published = s.published;
  const exactish = published && (published.qualifier === 'exact' || published.qualifier === 'approximate');
  if (exactish && valueOf(published)) p.add('publishedAt', valueOf(published));
  else if (published) {
    // A bound ("not before May 2022") is not a publication date; keep the words instead.
    p.add(
      'notes',
      `Published: ${published.text ?? `${published.qualifier} ${published.value ?? 'unknown'}`}`,
    );
  }
  // A language FtM has no code for (Kurdish, Syriac…) is still worth knowing; "undetermined" is not.
  if (!ftmLanguage(s.language) && s.language.toLowerCase() !== 'und')
    p.add('notes', `Language: ${s.language}`);
  p.add('notes', s.notes, `sha256 of the UTF-8 text: ${s.sha256}`);
  return recordEntity(s.id, 'Article', p);
}

export function actorEntity(a: ExportActor, written: Written): FtmEntity {
  const p = new Props()
    .add('name', requiredName(a.name))
    .add('alias', ...a.aliases.map((x) => x.value).filter((v) => v !== a.name))
    .add('description', a.description)
    .add('keywords', a.type);
  identifierProps(p, a.identifiers);
  for (const i of a.identifiers) if (i.scheme === 'url') p.add('website', i.value);
  for (const place of mostSpecific(a.locatedIn)) {
    p.add('country', countryCode(place)?.toLowerCase());
    if (place.type !== 'country') p.add('address', placeText(place));
  }
  p.add('proof', ...a.proofSourceIds.filter((id) => written.has(id)).map(ftmId));
  return recordEntity(a.id, ACTOR_SCHEMA[a.type] ?? 'LegalEntity', p);
}

export function eventEntity(e: ExportEvent, written: Written): FtmEntity {
  const p = new Props()
    .add('name', requiredName(e.name))
    .add('alias', ...e.aliases.map((x) => x.value).filter((v) => v !== e.name))
    .add('description', e.description)
    .add('keywords', e.type)
    .addAll(ftmDates(e.date, e.endDate));
  identifierProps(p, e.identifiers);
  for (const place of mostSpecific(e.occurredIn)) {
    p.add('country', countryCode(place)?.toLowerCase());
    p.add('location', placeText(place));
  }
  for (const inv of e.involvements) {
    if (!written.has(inv.actorId)) continue;
    p.add('involved', ftmId(inv.actorId));
    if (inv.role === 'issuer') p.add('organizer', ftmId(inv.actorId));
  }
  p.add('proof', ...e.proofSourceIds.filter((id) => written.has(id)).map(ftmId));
  return recordEntity(e.id, 'Event', p);
}

const LINK_ROLE: Readonly<Record<string, string>> = {
  PURSUANT_TO: 'pursuant to',
  PART_OF: 'part of',
  MEMBER_OF: 'member of',
  SUBORDINATE_TO: 'subordinate unit',
};

/** Relations FtM has no schema for: reported as skipped, one reason per type. */
export const FTM_UNMAPPED_RELATIONS: Readonly<Record<string, string>> = {
  HELD_IN: 'detention in a facility',
  RELEASED_FROM: 'release from a facility',
  TRANSFERRED_TO: 'transfer to a facility',
  OPERATES: "a facility's operator",
};

/** A relationship's period as FtM dates: startDate from its start, endDate from its end. */
function periodDates(r: ExportRelation): Record<string, string[]> {
  const { periodStart: start, periodEnd: end } = r;
  if (start && end) return ftmDates(start, end);
  const s = start ? (valueOf(start) ?? start.earliest) : null;
  const e = end ? (valueOf(end) ?? end.latest) : null;
  return { ...(s ? { startDate: [s] } : {}), ...(e ? { endDate: [e] } : {}) };
}

/**
 * A relationship between two exported entities as FtM entities (a link; for COMMANDS the post and its
 * occupancy); [] when it is folded or dangling; Skipped when FtM has no schema for it.
 */
export function relationEntities(r: ExportRelation, written: Written): FtmEntity[] | Skipped {
  if (r.type in FTM_UNMAPPED_RELATIONS) {
    return {
      id: r.id,
      reason: `ftm: FtM has no schema for ${FTM_UNMAPPED_RELATIONS[r.type]} (${r.type}); its claims are exported as Documentation`,
    };
  }
  const actors = r.fromKind === 'Actor' && r.toKind === 'Actor';
  const isLink =
    (r.type === 'INVOLVED_IN' && r.fromKind === 'Actor' && r.toKind === 'Event') ||
    ((r.type === 'MEMBER_OF' || r.type === 'SUBORDINATE_TO' || r.type === 'COMMANDS') && actors) ||
    ((r.type === 'PURSUANT_TO' || r.type === 'PART_OF') && r.fromKind === 'Event' && r.toKind === 'Event');
  if (!isLink || !written.has(r.fromId) || !written.has(r.toId)) return [];
  if (r.type === 'COMMANDS') return commandEntities(r, written);
  const p = new Props().add('summary', ...r.summaries).add('recordId', r.id);
  const inOrganization = ORGANIZATIONS.has(written.schema(r.toId) ?? '');
  if ((r.type === 'MEMBER_OF' || r.type === 'SUBORDINATE_TO') && inOrganization) {
    p.add('member', ftmId(r.fromId)).add('organization', ftmId(r.toId));
    p.add('role', r.type === 'MEMBER_OF' ? r.position : LINK_ROLE[r.type]).addAll(periodDates(r));
    return [{ id: relationshipId(r), schema: 'Membership', properties: p.build() }];
  }
  p.add('subject', ftmId(r.fromId)).add('object', ftmId(r.toId));
  if (r.type === 'INVOLVED_IN') {
    p.add('role', r.role).addAll(ftmDates(r.toDate, r.toEndDate));
  } else {
    p.add('role', r.position ? `${LINK_ROLE[r.type]}: ${r.position}` : LINK_ROLE[r.type]);
    p.addAll(periodDates(r));
  }
  return [{ id: relationshipId(r), schema: 'UnknownLink', properties: p.build() }];
}

/** The FtM entity of a relationship (its graph id, rel-involved_in-…, has `_`): derived, kept as recordId. */
const relationshipId = (r: ExportRelation) => derivedId('relationship', r.id);

/**
 * COMMANDS as FtM models a post: a Position (one per unit and post, "commander" when no position is given,
 * posts compared as relationships compare positions: without case and runs of spaces) and the person's
 * Occupancy of it.
 * The holder must be a Person (COMMANDS' subject is one); the unit is the post's organization when it is an
 * Organization, else named in the post's name.
 */
function commandEntities(r: ExportRelation, written: Written): FtmEntity[] {
  if (written.schema(r.fromId) !== 'Person') return [];
  const title = r.position && hasVisible(r.position) ? r.position.trim() : 'commander';
  const postId = derivedId('position', r.toId, positionKey(title)!);
  const out: FtmEntity[] = [];
  if (!written.has(postId)) {
    const p = new Props().add('name', title);
    if (ORGANIZATIONS.has(written.schema(r.toId) ?? '')) p.add('organization', ftmId(r.toId));
    out.push({ id: postId, schema: 'Position', properties: p.build() });
  }
  const occupancy = new Props()
    .add('holder', ftmId(r.fromId))
    .add('post', postId)
    .add('summary', ...r.summaries)
    .add('recordId', r.id)
    .addAll(periodDates(r));
  out.push({ id: relationshipId(r), schema: 'Occupancy', properties: occupancy.build() });
  return out;
}

/** The claim as Documentation entities, one per source; or why it cannot be one. */
export function claimEntities(c: ExportClaim, written: Written): FtmEntity[] | Skipped {
  if (c.subjectKind === 'Place')
    return { id: c.id, reason: 'ftm: the claim is about a place, and places are not FtM entities' };
  if (!c.subjectId || !written.has(c.subjectId))
    return { id: c.id, reason: 'ftm: the claim’s subject is not in the export' };
  const bySource = new Map<string, string[]>();
  for (const ex of c.excerpts) {
    if (!written.has(ex.sourceId)) continue;
    const list = bySource.get(ex.sourceId) ?? [];
    list.push(ex.exact);
    bySource.set(ex.sourceId, list);
  }
  if (bySource.size === 0) return { id: c.id, reason: 'ftm: the claim has no visible source' };
  const role = c.role ? `${c.property} (${c.role})` : c.property;
  return [...bySource.keys()].sort().map((sourceId, i) => ({
    id: i === 0 ? ftmId(c.id) : derivedId('documentation', c.id, sourceId),
    schema: 'Documentation',
    properties: new Props()
      .add('document', ftmId(sourceId))
      .add('entity', ftmId(c.subjectId!))
      .add('role', role)
      .add('summary', c.summary)
      .add('description', ...(bySource.get(sourceId) ?? []))
      .add('status', c.status)
      .add('recordId', c.id)
      .build(),
  }));
}

export function publisherEntity(sourceId: string, publisherId: string): FtmEntity {
  return {
    id: derivedId('publisher', sourceId),
    schema: 'Documentation',
    properties: new Props()
      .add('document', ftmId(sourceId))
      .add('entity', ftmId(publisherId))
      .add('role', 'publisher')
      .build(),
  };
}

/** An outlet that carried the source (publishedVia hop n, 1 = nearest the reader): Documentation, role "published via". */
export function outletEntity(sourceId: string, actorId: string, hop: number): FtmEntity {
  return {
    id: derivedId('published-via', sourceId, String(hop)),
    schema: 'Documentation',
    properties: new Props()
      .add('document', ftmId(sourceId))
      .add('entity', ftmId(actorId))
      .add('role', `published via (hop ${hop})`)
      .build(),
  };
}

/**
 * Writes the export. Order matters for references: articles, actors, events (which point at both), links
 * between them, then the Documentation entities (publishers and claims).
 */
export async function writeFtm(reader: ExportReader, sink: Sink, progress: Progress): Promise<ExportResult> {
  const written = new Written();
  const skipped: Skipped[] = [];
  let records = 0;
  const emit = async (entities: FtmEntity[]) => {
    if (!entities.length) return;
    for (const e of entities) written.add(e);
    records += entities.length;
    await sink.write(entities.map((e) => `${JSON.stringify(e)}\n`).join(''));
  };

  const publishers: [string, string][] = [];
  const outlets: [string, string][] = [];
  for await (const page of reader.sources({ withText: true })) {
    await emit(page.map(sourceEntity));
    for (const s of page) if (s.publisher) publishers.push([s.id, s.publisher.id]);
    for (const s of page) (s.publishedVia ?? []).forEach((h) => outlets.push([s.id, h.actorId]));
    progress.tick(page.length);
  }
  for await (const page of reader.actors()) {
    await emit(page.map((a) => actorEntity(a, written)));
    progress.tick(page.length);
  }
  for await (const page of reader.events()) {
    await emit(page.map((e) => eventEntity(e, written)));
    progress.tick(page.length);
  }
  for await (const page of reader.places()) {
    for (const p of page)
      skipped.push({
        id: p.id,
        reason:
          'ftm: FtM 3.8 has no schema for places; folded into country/location/address of events and actors',
      });
    progress.tick(page.length);
  }
  for await (const page of reader.relations()) {
    const out: FtmEntity[] = [];
    for (const r of page) {
      const mapped = relationEntities(r, written);
      if (!Array.isArray(mapped)) skipped.push(mapped);
      // A post two relationships share is written once (emit records it after the page: mark it now).
      else for (const e of mapped) if (!out.some((o) => o.id === e.id)) out.push(e);
    }
    await emit(out);
  }
  await emit(publishers.filter(([, a]) => written.has(a)).map(([s, a]) => publisherEntity(s, a)));
  // Numbered over the outlets written, per source (a hidden outlet leaves no gap).
  const hops = new Map<string, number>();
  const carried = outlets.filter(([, a]) => written.has(a));
  await emit(carried.map(([s, a]) => outletEntity(s, a, hops.set(s, (hops.get(s) ?? 0) + 1).get(s)!)));
  for await (const page of reader.claims()) {
    const out: FtmEntity[] = [];
    for (const c of page) {
      const r = claimEntities(c, written);
      if (Array.isArray(r)) out.push(...r);
      else skipped.push(r);
    }
    await emit(out);
    progress.tick(page.length);
  }
  for await (const page of reader.figures()) {
    for (const f of page)
      skipped.push({
        id: f.id,
        reason: 'ftm: FtM has no schema for a reported number; its claim is exported as Documentation',
      });
    progress.tick(page.length);
  }
  return { records, skipped };
}

/** The share of the progress total this format reads. */
export const FTM_COUNTED = ['sources', 'actors', 'events', 'places', 'claims', 'figures'] as const;
