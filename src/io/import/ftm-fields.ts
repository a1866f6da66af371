import type { IdentifierScheme } from '../../model/enums.js';
import { normalizeFuzzyDate, type FuzzyDateInput } from '../../model/fuzzy-date.js';
import { clip, guessLang, type BundleDoc } from './common.js';
import { all, first, type FtmRecord } from './ftm-read.js';

/**
 * The pure conversions of the FollowTheMoney import (src/io/import/ftm.ts): an FtM entity's fields, dates,
 * text and links as bundle records, with no bookkeeping (ids seen, names remembered, problems listed).
 */

type SourceDoc = NonNullable<BundleDoc['sources']>[number];
type ClaimDoc = NonNullable<BundleDoc['claims']>[number];

/** A claim before its evidence (the source and the quote of its line) is added. */
export type ClaimFields = Omit<ClaimDoc, 'source' | 'quotes'>;

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

type PlaceDoc = NonNullable<BundleDoc['places']>[number];

/** The country place of an FtM country code (`sy`, `gb-sct`), or why the value is not one. */
export function countryPlaceDoc(raw: string): { code: string; place: PlaceDoc } | { problem: string } {
  const code = raw.trim().toLowerCase();
  if (!/^[a-z]{2}(?:[a-z]{2}|-[a-z0-9]{1,3})?$/.test(code)) {
    return { problem: `country: ${JSON.stringify(raw)} is not a country code` };
  }
  const place: PlaceDoc = {
    id: `pl-ftm-country-${code}`,
    type: 'country',
    name: countryName(code),
    lang: 'en',
    identifiers: code.length === 2 ? [{ scheme: 'iso3166', value: code.toUpperCase() }] : [],
  };
  return { code, place };
}

export function countryName(code: string): string {
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

/** The name of an entity: its first name, or for an address its full text (else street and city). */
export function entityName(r: FtmRecord): string | undefined {
  return first(r, 'name') ?? (r.kind === 'Place' ? addressName(r) : undefined);
}

/** What every entity kind takes from an FtM entity with a name: aliases, description, identifiers. */
export function entityFields(r: FtmRecord, name: string) {
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
}

/** An event's earliest start (startDate or date) and latest end, and a problem for each value that is no date. */
export function eventDates(r: FtmRecord): {
  date: FuzzyDateInput | null;
  endDate: FuzzyDateInput | null;
  problems: string[];
} {
  const problems: string[] = [];
  const parse = (prop: string, values: string[], pick: 'min' | 'max') => {
    const ok = values
      .map((v) => ({ v, ...ftmDate(v) }))
      .filter((d) => {
        if (d.problem) problems.push(`${prop}: ${d.problem}`);
        return d.date;
      });
    ok.sort((a, b) => (a.date!.value! < b.date!.value! ? -1 : 1));
    return (pick === 'min' ? ok[0] : ok[ok.length - 1])?.date ?? null;
  };
  const date = parse('date', [...all(r, 'startDate'), ...all(r, 'date')], 'min');
  const endDate = parse('endDate', all(r, 'endDate'), 'max');
  return { date, endDate, problems };
}

/** The imported file itself as the source every claim can quote by its line. */
export function fileSourceDoc(
  id: string,
  text: string,
  name: string,
  opts: { sha256: string; dataset?: string | null },
): SourceDoc {
  return {
    id,
    text,
    sha256: opts.sha256,
    title: `FollowTheMoney file ${name}`,
    dataset: opts.dataset ?? null,
    language: 'und',
    reliability: 'unknown',
    notes: 'The imported FtM file itself: every claim derived from it quotes the line it comes from.',
  };
}

/**
 * FtM's retrievedAt as the source's retrieval time: a full date and time, UTC as FtM writes it (our export
 * writes `2022-05-03T10:00:00`). A coarser value (a day) is no time of retrieval: left out, and kept in the
 * stored file's line, which every claim quotes.
 */
function retrievedAt(v: string | undefined): string | null {
  const m = v && /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$/.exec(v);
  if (!m) return null;
  const at = `${m[1]!}${m[1]!.length === 16 ? ':00' : ''}${m[2] ?? 'Z'}`;
  return Number.isNaN(Date.parse(at)) ? null : at;
}

/** A document as a source with its bodyText, and the problem with its publication date if any. */
export function sourceDoc(r: FtmRecord, body: string, hash: string): { source: SourceDoc; problem?: string } {
  const published = first(r, 'publishedAt') ?? first(r, 'date') ?? first(r, 'authoredAt');
  const pub = published ? ftmDate(published) : {};
  const lang = first(r, 'language')?.toLowerCase();
  const url = first(r, 'sourceUrl');
  const notes = [
    `FollowTheMoney ${r.schema} ${r.ftmId}`,
    ...all(r, 'author').map((a) => `author: ${a}`),
    ...all(r, 'publisher').map((p) => `publisher: ${p}`),
  ].join('; ');
  const source: SourceDoc = {
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
    retrievedAt: retrievedAt(first(r, 'retrievedAt')),
    reliability: 'unknown',
    notes: clip(notes, 5000),
  };
  return pub.problem ? { source, problem: `publishedAt: ${pub.problem}` } : { source };
}

function addressName(r: FtmRecord): string | undefined {
  const p = (k: string) => r.props[k]?.[0];
  return p('full') ?? ([p('street'), p('city')].filter(Boolean).join(', ') || p('remarks'));
}

/**
 * The actor or event type a `keywords` value names (our own FtM export writes the type there), or the
 * fallback: `keywords: ["state"]` on a PublicBody makes an actor of type state.
 */
export function typeFromKeywords<T extends string>(r: FtmRecord, types: readonly T[], fallback: T): T {
  return (
    (all(r, 'keywords').find((k) => (types as readonly string[]).includes(k)) as T | undefined) ?? fallback
  );
}

/** An attribute claim a line gives its entity: the property, value, words to look for in a proof, summary. */
export interface AttributeFact {
  slot: string;
  property: string;
  value: string | number | FuzzyDateInput;
  words: string[];
  says: string;
}

/**
 * What a Person line says of the person beyond names: each birth date (several are a disagreement the
 * graph shows as a conflict), each gender, the positions and the topics (each one value: a person holds
 * several positions at once, and topics such as role.pep and sanction are tags, not rival values).
 */
export function personFacts(r: FtmRecord): { facts: AttributeFact[]; problems: string[] } {
  const facts: AttributeFact[] = [];
  const problems: string[] = [];
  all(r, 'birthDate').forEach((raw, i) => {
    const d = ftmDate(raw);
    if (d.problem) problems.push(`birthDate: ${d.problem}`);
    else
      facts.push({
        slot: `birth-date-${i + 1}`,
        property: 'birthDate',
        value: d.date!,
        words: [],
        says: `the birth date ${raw}`,
      });
  });
  all(r, 'gender').forEach((g, i) =>
    facts.push({ slot: `gender-${i + 1}`, property: 'gender', value: g, words: [], says: `the gender ${g}` }),
  );
  const positions = all(r, 'position');
  if (positions.length)
    facts.push({
      slot: 'position',
      property: 'position',
      value: clip(positions.join('; '), 2000),
      words: positions,
      says: `the position ${positions.join('; ')}`,
    });
  return { facts: [...facts, ...topicFacts(r)], problems };
}

/** The topics of any actor (FtM's role.pep, sanction, crime.war …), as one value. */
export function topicFacts(r: FtmRecord): AttributeFact[] {
  const topics = all(r, 'topics');
  if (!topics.length) return [];
  const value = topics.join('; ');
  return [{ slot: 'topics', property: 'topics', value, words: [], says: `the topics ${value}` }];
}

/** An Address's latitude and longitude as numeric attributes (both or neither), or a problem. */
export function coordinateFacts(r: FtmRecord): { facts: AttributeFact[]; problem?: string } {
  const [lat, lon] = [first(r, 'latitude'), first(r, 'longitude')];
  if (lat === undefined && lon === undefined) return { facts: [] };
  if (lat === undefined || lon === undefined)
    return { facts: [], problem: 'give both latitude and longitude, or neither' };
  const [la, lo] = [Number(lat), Number(lon)];
  if (!/^-?\d+(\.\d+)?$/.test(lat.trim()) || Math.abs(la) > 90)
    return { facts: [], problem: `latitude ${JSON.stringify(lat)} is not a number between -90 and 90` };
  if (!/^-?\d+(\.\d+)?$/.test(lon.trim()) || Math.abs(lo) > 180)
    return { facts: [], problem: `longitude ${JSON.stringify(lon)} is not a number between -180 and 180` };
  return {
    facts: [
      { slot: 'latitude', property: 'latitude', value: la, words: [], says: `the latitude ${lat}` },
      { slot: 'longitude', property: 'longitude', value: lo, words: [], says: `the longitude ${lon}` },
    ],
  };
}
