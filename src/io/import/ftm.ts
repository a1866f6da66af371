import path from 'node:path';
import type { z } from 'zod';
import type { ActorType, IdentifierScheme, Role } from '../../model/enums.js';
import { ROLES } from '../../model/enums.js';
import { normalizeFuzzyDate, type FuzzyDateInput } from '../../model/fuzzy-date.js';
import {
  RELATION_TYPES,
  relationAllows,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import { sha256 } from '../../model/text.js';
import type { Problem } from '../bundle/resolve.js';
import type { BundleInput } from '../bundle/schema.js';
import { clip, CodePointCursor, guessLang, LineMap, linesOf, slugId, type Quote } from './common.js';

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

type BundleDoc = z.input<typeof BundleInput>;
type ActorDoc = NonNullable<BundleDoc['actors']>[number];
type PlaceDoc = NonNullable<BundleDoc['places']>[number];
type EventDoc = NonNullable<BundleDoc['events']>[number];
type SourceDoc = NonNullable<BundleDoc['sources']>[number];
type ClaimDoc = NonNullable<BundleDoc['claims']>[number];

export interface ImportPlan {
  doc: BundleDoc;
  /** Where each record of doc came from. */
  lines: LineMap;
  /** Problems found while reading the file; the loader finds the rest when it resolves doc. */
  problems: Problem[];
  /** Lines or rows read. */
  records: number;
}

export interface ConvertOptions {
  file: string;
  sha256: string;
  recordedBy: string;
  recordedAt: string;
  onProgress?: (done: number, total: number) => void;
}

const ACTOR_SCHEMAS: Record<string, ActorType> = {
  Person: 'person',
  Organization: 'organization',
  Company: 'organization',
  PublicBody: 'public_body',
  LegalEntity: 'unknown',
};
const DOCUMENT_SCHEMAS = new Set(['Article', 'Document', 'PlainText']);
const LINK_SCHEMAS = new Set(['UnknownLink', 'Membership']);
const SUPPORTED = [...Object.keys(ACTOR_SCHEMAS), 'Event', 'Address', ...DOCUMENT_SCHEMAS, ...LINK_SCHEMAS];

/** ISO 639-3 codes FtM uses for languages, to the BCP 47 tags the graph uses where they differ. */
const LANGUAGES: Record<string, string> = {
  ara: 'ar',
  eng: 'en',
  fra: 'fr',
  deu: 'de',
  spa: 'es',
  rus: 'ru',
  tur: 'tr',
  fas: 'fa',
  kur: 'ku',
  heb: 'he',
  ukr: 'uk',
  zho: 'zh',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
};

interface FtmRecord {
  line: number;
  ftmId: string;
  schema: string;
  props: Record<string, string[]>;
  quote: Quote;
  /** Id part shared by the records derived from this entity. */
  part: string;
  kind: EntityKind | 'Source' | 'Link';
  ourId: string;
}

type Kind = FtmRecord['kind'];

const KIND_PREFIX: Record<Kind, string> = {
  Actor: 'ac-ftm-',
  Event: 'ev-ftm-',
  Place: 'pl-ftm-',
  Source: 'src-ftm-',
  Link: 'cl-ftm-',
};

function kindOf(schema: string): Kind | undefined {
  if (schema in ACTOR_SCHEMAS) return 'Actor';
  if (schema === 'Event') return 'Event';
  if (schema === 'Address') return 'Place';
  if (DOCUMENT_SCHEMAS.has(schema)) return 'Source';
  if (LINK_SCHEMAS.has(schema)) return 'Link';
  return undefined;
}

/** An FtM date (an ISO 8601 prefix, perhaps with a time) as a fuzzy date of the matching precision. */
export function ftmDate(value: string): { date?: FuzzyDateInput; problem?: string } {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(value.trim());
  if (!m) return { problem: `${JSON.stringify(value)} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)` };
  const [, y, mo, d, time] = m;
  const precision = d ? 'day' : mo ? 'month' : 'year';
  const input = {
    precision,
    value: [y, mo, d].filter(Boolean).join('-'),
    qualifier: 'exact',
    // The time of day has no place in a fuzzy date; the original wording keeps it.
    text: time ? value : null,
  } as const;
  const { problems } = normalizeFuzzyDate(input);
  if (problems.length) return { problem: `${value}: ${problems.join('; ')}` };
  return { date: input };
}

function countryName(code: string): string {
  if (code.length === 2) {
    try {
      const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase());
      if (name && name !== 'Unknown Region') return name;
    } catch {
      // Not a region code Intl knows: fall back to the code itself.
    }
  }
  return code.toUpperCase();
}

export function ftmToBundle(text: string, opts: ConvertOptions): ImportPlan {
  const problems: Problem[] = [];
  const problem = (line: number, message: string) => problems.push({ path: `line ${line}`, message });
  const evidenceId = `src-${opts.sha256.slice(0, 16)}`;
  const cursor = new CodePointCursor(text);
  const lines = linesOf(text);

  // 1. Read every line; keep the well-formed records.
  const records: FtmRecord[] = [];
  const byFtmId = new Map<string, FtmRecord>();
  const byPart = new Map<string, FtmRecord>();
  for (const [i, l] of lines.entries()) {
    if (i % 1000 === 0) opts.onProgress?.(i, lines.length);
    const raw = text.slice(l.start, l.end);
    if (!raw.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      problem(l.line, `not valid JSON: ${(err as Error).message}`);
      continue;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      problem(l.line, 'not a JSON object');
      continue;
    }
    const o = parsed as Record<string, unknown>;
    const bad: string[] = [];
    if (typeof o.id !== 'string' || !o.id.trim()) bad.push('"id" must be a non-empty string');
    if (typeof o.schema !== 'string' || !o.schema) bad.push('"schema" must be a string');
    const props: Record<string, string[]> = {};
    if (o.properties !== undefined) {
      if (!o.properties || typeof o.properties !== 'object' || Array.isArray(o.properties)) {
        bad.push('"properties" must be an object');
      } else {
        for (const [k, v] of Object.entries(o.properties)) {
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
            bad.push(`properties.${k} must be an array of strings`);
          } else {
            props[k] = (v as string[]).filter((x) => x.trim() !== '');
          }
        }
      }
    }
    if (bad.length) {
      problem(l.line, bad.join('; '));
      continue;
    }
    const ftmId = o.id as string;
    const schema = o.schema as string;
    const kind = kindOf(schema);
    if (!kind) {
      problem(l.line, `schema ${schema} (${ftmId}) cannot be imported; supported: ${SUPPORTED.join(', ')}`);
      continue;
    }
    const before = byFtmId.get(ftmId);
    if (before) {
      problem(l.line, `id ${ftmId} also on line ${before.line}: merge the fragments of an entity first`);
      continue;
    }
    const part = slugId('', ftmId);
    const clash = byPart.get(part);
    if (clash) {
      problem(l.line, `ids ${ftmId} and ${clash.ftmId} (line ${clash.line}) map to the same id ${part}`);
      continue;
    }
    const rec: FtmRecord = {
      line: l.line,
      ftmId,
      schema,
      props,
      quote: cursor.quote(l.start, l.end),
      part,
      kind,
      ourId: `${KIND_PREFIX[kind]}${part}`,
    };
    records.push(rec);
    byFtmId.set(ftmId, rec);
    byPart.set(part, rec);
  }

  // 2. Turn records into bundle records, remembering the line each comes from.
  const lineOf = new Map<string, number>();
  const actors: ActorDoc[] = [];
  const places: PlaceDoc[] = [];
  const events: EventDoc[] = [];
  const sources: SourceDoc[] = [];
  const claims: ClaimDoc[] = [];
  const names = new Map<string, string>();
  const countries = new Map<string, { place: PlaceDoc; line: number }>();
  const sourceHashes = new Map<string, number>();

  const first = (r: FtmRecord, prop: string) => r.props[prop]?.[0];
  const all = (r: FtmRecord, prop: string) => r.props[prop] ?? [];
  const push = <T extends { id: string }>(list: T[], item: T, line: number) => {
    lineOf.set(item.id, line);
    list.push(item);
  };
  const claim = (r: FtmRecord, c: Omit<ClaimDoc, 'source' | 'quotes'>) =>
    push(claims, { ...c, source: evidenceId, quotes: [r.quote] }, r.line);

  /** The country place of an FtM country code (created once, on first mention). */
  const countryPlace = (r: FtmRecord, raw: string): string | undefined => {
    const code = raw.trim().toLowerCase();
    if (!/^[a-z]{2}(?:[a-z]{2}|-[a-z0-9]{1,3})?$/.test(code)) {
      problem(r.line, `country: ${JSON.stringify(raw)} is not a country code`);
      return undefined;
    }
    const id = `pl-ftm-country-${code}`;
    if (!countries.has(code)) {
      const place: PlaceDoc = {
        id,
        type: 'country',
        name: countryName(code),
        lang: 'en',
        identifiers: code.length === 2 ? [{ scheme: 'iso3166', value: code.toUpperCase() }] : [],
      };
      countries.set(code, { place, line: r.line });
      names.set(id, place.name);
    }
    return id;
  };

  /** A referenced entity of one of the expected kinds, or a problem on the referencing line. */
  const ref = (r: FtmRecord, prop: string, ftmId: string, kinds: Kind[]): FtmRecord | undefined => {
    const target = byFtmId.get(ftmId);
    if (!target) {
      problem(r.line, `${prop}: no entity ${ftmId} in the file`);
      return undefined;
    }
    if (!kinds.includes(target.kind)) {
      problem(
        r.line,
        `${prop}: ${ftmId} is a ${target.schema}, which cannot be the ${prop} of a ${r.schema}`,
      );
      return undefined;
    }
    return target;
  };

  const entityBase = (r: FtmRecord) => {
    const name = first(r, 'name') ?? (r.kind === 'Place' ? addressName(r) : undefined);
    if (!name) {
      problem(r.line, `${r.schema} ${r.ftmId} has no name`);
      return undefined;
    }
    names.set(r.ourId, name);
    const aliases = [
      ...all(r, 'name').slice(1),
      ...all(r, 'alias'),
      ...all(r, 'weakAlias'),
      ...all(r, 'previousName'),
    ]
      .filter((a, i, list) => a !== name && list.indexOf(a) === i)
      .map((value) => ({ value: clip(value, 300), lang: guessLang(value) }));
    const description = [...all(r, 'summary'), ...all(r, 'description'), ...all(r, 'notes')];
    const identifiers: { scheme: IdentifierScheme; value: string }[] = [{ scheme: 'ftm', value: r.ftmId }];
    const qid = first(r, 'wikidataId');
    if (qid) identifiers.push({ scheme: 'wikidata', value: qid });
    const website = first(r, 'website');
    if (website) identifiers.push({ scheme: 'url', value: website });
    return {
      id: r.ourId,
      name: clip(name, 300),
      lang: guessLang(name),
      aliases,
      // The whole text stays in the stored file; the description is a convenience.
      description: description.length ? clip(description.join('\n\n'), 5000) : null,
      identifiers,
    };
  };

  const nameClaim = (r: FtmRecord, noun: string) =>
    claim(r, {
      id: `cl-ftm-${r.part}--name`,
      subject: r.ourId,
      summary: clip(`FtM ${r.schema} ${r.ftmId} names this ${noun} "${names.get(r.ourId)}".`, 2000),
      attribute: { property: 'name', value: names.get(r.ourId)! },
    });

  // Entities first, so that links and references can name their ends.
  for (const r of records) {
    if (r.kind === 'Actor') {
      const base = entityBase(r);
      if (base) push(actors, { ...base, type: ACTOR_SCHEMAS[r.schema]! }, r.line);
    } else if (r.kind === 'Place') {
      const base = entityBase(r);
      if (base) push(places, { ...base, type: 'area' }, r.line);
    } else if (r.kind === 'Event') {
      const base = entityBase(r);
      const starts = [...all(r, 'startDate'), ...all(r, 'date')];
      const ends = all(r, 'endDate');
      const parse = (prop: string, values: string[], pick: 'min' | 'max') => {
        const ok = values
          .map((v) => ({ v, ...ftmDate(v) }))
          .filter((d) => {
            if (d.problem) problem(r.line, `${prop}: ${d.problem}`);
            return d.date;
          });
        ok.sort((a, b) => (a.date!.value! < b.date!.value! ? -1 : 1));
        return (pick === 'min' ? ok[0] : ok[ok.length - 1])?.date ?? null;
      };
      const date = parse('date', starts, 'min');
      const endDate = parse('endDate', ends, 'max');
      if (base) push(events, { ...base, type: 'other', date, endDate }, r.line);
    } else if (r.kind === 'Source') {
      const body = first(r, 'bodyText');
      if (!body?.trim()) {
        problem(r.line, `${r.schema} ${r.ftmId} has no bodyText: a source needs its text`);
        continue;
      }
      const hash = sha256(body);
      const twin = sourceHashes.get(hash);
      if (twin !== undefined) {
        problem(r.line, `bodyText is the same as on line ${twin}: the same text is one source`);
        continue;
      }
      sourceHashes.set(hash, r.line);
      const published = first(r, 'publishedAt') ?? first(r, 'date') ?? first(r, 'authoredAt');
      const pub = published ? ftmDate(published) : {};
      if (pub.problem) problem(r.line, `publishedAt: ${pub.problem}`);
      const lang = first(r, 'language')?.toLowerCase();
      const url = first(r, 'sourceUrl');
      const notes = [
        `FollowTheMoney ${r.schema} ${r.ftmId}`,
        ...all(r, 'author').map((a) => `author: ${a}`),
        ...all(r, 'publisher').map((p) => `publisher: ${p}`),
      ].join('; ');
      push(
        sources,
        {
          id: r.ourId,
          text: body,
          sha256: hash,
          title: clip(
            first(r, 'title') ?? first(r, 'fileName') ?? first(r, 'name') ?? `${r.schema} ${r.ftmId}`,
            1000,
          ),
          language: lang ? (LANGUAGES[lang] ?? lang) : 'und',
          url: url && /^https?:\/\//.test(url) ? url : null,
          published: pub.date ?? null,
          reliability: 'unknown',
          notes: clip(notes, 5000),
        },
        r.line,
      );
    }
  }

  // Then the claims, in line order (each quotes its own line).
  const known = new Set([...actors, ...places, ...events].map((e) => e.id));
  for (const r of records) {
    if (r.kind !== 'Link' && r.kind !== 'Source' && !known.has(r.ourId)) continue;
    const here = names.get(r.ourId);
    const countryClaims = (type: RelationType, verb: string) =>
      all(r, 'country').forEach((code, i) => {
        const place = countryPlace(r, code);
        if (!place) return;
        claim(r, {
          id: `cl-ftm-${r.part}--country-${i + 1}`,
          subject: r.ourId,
          summary: clip(`${here} ${verb} ${names.get(place)} (FtM ${r.schema} ${r.ftmId}, country).`, 2000),
          relation: { type, object: place },
        });
      });
    const addressClaims = (type: RelationType, verb: string) =>
      all(r, 'addressEntity').forEach((a, i) => {
        const target = ref(r, 'addressEntity', a, ['Place']);
        if (!target || !known.has(target.ourId)) return;
        claim(r, {
          id: `cl-ftm-${r.part}--address-${i + 1}`,
          subject: r.ourId,
          summary: clip(
            `${here} ${verb} ${names.get(target.ourId)} (FtM ${r.schema} ${r.ftmId}, address).`,
            2000,
          ),
          relation: { type, object: target.ourId },
        });
      });

    if (r.kind === 'Actor') {
      nameClaim(r, 'actor');
      countryClaims('LOCATED_IN', 'is located in');
      addressClaims('LOCATED_IN', 'is located at');
    } else if (r.kind === 'Place') {
      nameClaim(r, 'place');
      countryClaims('PART_OF', 'lies in');
    } else if (r.kind === 'Event') {
      nameClaim(r, 'event');
      const ev = events.find((e) => e.id === r.ourId)!;
      for (const [prop, d] of [
        ['date', ev.date],
        ['endDate', ev.endDate],
      ] as const) {
        if (!d) continue;
        claim(r, {
          id: `cl-ftm-${r.part}--${prop === 'date' ? 'date' : 'end-date'}`,
          subject: r.ourId,
          summary: clip(
            `FtM Event ${r.ftmId} gives ${here} the ${prop === 'date' ? 'date' : 'end date'} ${d.text ?? d.value}.`,
            2000,
          ),
          attribute: { property: prop, value: d },
        });
      }
      countryClaims('OCCURRED_IN', 'took place in');
      addressClaims('OCCURRED_IN', 'took place at');
      for (const [prop, role] of [
        ['organizer', 'implementer'],
        ['involved', 'other'],
      ] as const) {
        all(r, prop).forEach((a, i) => {
          const actor = ref(r, prop, a, ['Actor']);
          if (!actor || !known.has(actor.ourId)) return;
          claim(r, {
            id: `cl-ftm-${r.part}--${prop}-${i + 1}`,
            subject: actor.ourId,
            summary: clip(
              `${names.get(actor.ourId)} was involved in ${here} (FtM Event ${r.ftmId}, ${prop}).`,
              2000,
            ),
            relation: { type: 'INVOLVED_IN', object: r.ourId, role },
          });
        });
      }
    } else if (r.kind === 'Link') {
      linkClaim(r);
    }
  }

  function linkClaim(r: FtmRecord) {
    const membership = r.schema === 'Membership';
    const [fromProp, toProp] = membership ? ['member', 'organization'] : ['subject', 'object'];
    const ends: Kind[] = membership ? ['Actor'] : ['Actor', 'Event', 'Place'];
    const fromId = first(r, fromProp);
    const toId = first(r, toProp);
    if (!fromId || !toId) {
      problem(r.line, `${r.schema} ${r.ftmId} needs ${fromProp} and ${toProp}`);
      return;
    }
    const from = ref(r, fromProp, fromId, ends);
    const to = ref(r, toProp, toId, ends);
    if (!from || !to || !known.has(from.ourId) || !known.has(to.ourId)) return;
    const roleText = first(r, 'role');
    const dates = [first(r, 'startDate') ?? first(r, 'date'), first(r, 'endDate')];
    const when = dates[0] || dates[1] ? ` (${dates[0] ?? '?'} to ${dates[1] ?? '?'})` : '';
    const fromName = names.get(from.ourId);
    const toName = names.get(to.ourId);
    const id = `cl-ftm-${r.part}`;
    if (membership) {
      claim(r, {
        id,
        subject: from.ourId,
        summary: clip(
          `${fromName} is a member of ${toName}${roleText ? ` as ${roleText}` : ''}${when} (FtM Membership ${r.ftmId}).`,
          2000,
        ),
        relation: { type: 'MEMBER_OF', object: to.ourId },
      });
      return;
    }
    const rel = linkRelation(from.kind as EntityKind, to.kind as EntityKind, roleText);
    if ('problem' in rel) {
      problem(r.line, rel.problem);
      return;
    }
    if (!rel.type) {
      // Two actors linked in an unknown way: no relation type says that, a statement does.
      claim(r, {
        id,
        subject: from.ourId,
        summary: clip(
          `${fromName} is linked to ${toName}${roleText ? ` (${roleText})` : ''}${when} (FtM UnknownLink ${r.ftmId}).`,
          2000,
        ),
      });
      return;
    }
    const [s, o] = rel.reversed ? [to, from] : [from, to];
    claim(r, {
      id,
      subject: s.ourId,
      summary: clip(
        `${names.get(s.ourId)} ${rel.type.toLowerCase().replace('_', ' ')} ${names.get(o.ourId)}${rel.role ? ` as ${rel.role}` : ''}${when} (FtM UnknownLink ${r.ftmId}${roleText ? `, role "${roleText}"` : ''}).`,
        2000,
      ),
      relation: { type: rel.type, object: o.ourId, role: rel.role },
    });
  }

  for (const { place, line } of countries.values()) push(places, place, line);

  const title = `FollowTheMoney file ${path.basename(opts.file)}`;
  const doc: BundleDoc = {
    format: 'hrkg-bundle/1',
    recordedBy: opts.recordedBy,
    recordedAt: opts.recordedAt,
    description: `Import of ${path.basename(opts.file)} (FollowTheMoney NDJSON, sha256 ${opts.sha256}).`,
    sources: [
      {
        id: evidenceId,
        text,
        sha256: opts.sha256,
        title,
        language: 'und',
        reliability: 'unknown',
        notes: 'The imported FtM file itself: every claim derived from it quotes the line it comes from.',
      },
      ...sources,
    ],
    actors,
    places,
    events,
    claims,
  };
  opts.onProgress?.(lines.length, lines.length);
  return { doc, lines: LineMap.of(doc, lineOf), problems, records: records.length };
}

function addressName(r: FtmRecord): string | undefined {
  const p = (k: string) => r.props[k]?.[0];
  return p('full') ?? ([p('street'), p('city')].filter(Boolean).join(', ') || p('remarks'));
}

/**
 * The relation an UnknownLink asserts, from the kinds of its ends (and its role, when the role names a
 * relation type or an involvement role): actor–event INVOLVED_IN (role: the link's role if it is one of
 * ours, else other), event–place OCCURRED_IN, actor–place LOCATED_IN, place–place and event–event
 * PART_OF; links written the other way round are turned. Actor–actor: no type (a statement claim).
 */
export function linkRelation(
  from: EntityKind,
  to: EntityKind,
  roleText: string | undefined,
): { type: RelationType | null; reversed: boolean; role: Role | null } | { problem: string } {
  const norm = roleText
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const named = RELATION_TYPES.find((t) => t.toLowerCase() === norm);
  const role = (ROLES as readonly string[]).includes(norm ?? '') ? (norm as Role) : null;
  const pick = (a: EntityKind, b: EntityKind): RelationType | null => {
    if (named) return relationAllows(named, a, b) ? named : null;
    if (a === 'Actor' && b === 'Event') return 'INVOLVED_IN';
    if (a === 'Event' && b === 'Place') return 'OCCURRED_IN';
    if (a === 'Actor' && b === 'Place') return 'LOCATED_IN';
    if (a === b && a !== 'Actor') return 'PART_OF';
    return null;
  };
  for (const reversed of [false, true]) {
    const type = reversed ? pick(to, from) : pick(from, to);
    if (type) return { type, reversed, role: type === 'INVOLVED_IN' ? (role ?? 'other') : null };
  }
  if (named) return { problem: `role ${roleText} names ${named}, which does not join ${from} and ${to}` };
  if (from === 'Actor' && to === 'Actor') return { type: null, reversed: false, role: null };
  return { problem: `an UnknownLink between ${from} and ${to} has no relation type here` };
}
