import type { IdentifierScheme, Role } from '../../model/enums.js';
import { ROLES } from '../../model/enums.js';
import { normalizeFuzzyDate, type FuzzyDateInput } from '../../model/fuzzy-date.js';
import {
  RELATION_TYPES,
  relationAllows,
  type EntityKind,
  type RelationType,
} from '../../model/graph-model.js';
import { clip, guessLang, type BundleDoc } from './common.js';
import { all, first, type FtmRecord, type Kind } from './ftm-read.js';

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
    reliability: 'unknown',
    notes: clip(notes, 5000),
  };
  return pub.problem ? { source, problem: `publishedAt: ${pub.problem}` } : { source };
}

function addressName(r: FtmRecord): string | undefined {
  const p = (k: string) => r.props[k]?.[0];
  return p('full') ?? ([p('street'), p('city')].filter(Boolean).join(', ') || p('remarks'));
}

/** One end of a link, with its name. */
export interface End {
  ourId: string;
  kind: Kind;
  name: string | undefined;
}

/** The claim a Membership or UnknownLink makes between its two ends, or why it makes none. */
export function linkAssertion(r: FtmRecord, from: End, to: End): ClaimFields | { problem: string } {
  const roleText = first(r, 'role');
  const dates = [first(r, 'startDate') ?? first(r, 'date'), first(r, 'endDate')];
  const when = dates[0] || dates[1] ? ` (${dates[0] ?? '?'} to ${dates[1] ?? '?'})` : '';
  const id = `cl-ftm-${r.part}`;
  if (r.schema === 'Membership') {
    return {
      id,
      subject: from.ourId,
      summary: clip(
        `${from.name} is a member of ${to.name}${roleText ? ` as ${roleText}` : ''}${when} (FtM Membership ${r.ftmId}).`,
        2000,
      ),
      relation: { type: 'MEMBER_OF', object: to.ourId },
    };
  }
  const rel = linkRelation(from.kind as EntityKind, to.kind as EntityKind, roleText);
  if ('problem' in rel) return rel;
  if (!rel.type) {
    // Two actors linked in an unknown way: no relation type says that, a statement does.
    return {
      id,
      subject: from.ourId,
      summary: clip(
        `${from.name} is linked to ${to.name}${roleText ? ` (${roleText})` : ''}${when} (FtM UnknownLink ${r.ftmId}).`,
        2000,
      ),
    };
  }
  const [s, o] = rel.reversed ? [to, from] : [from, to];
  return {
    id,
    subject: s.ourId,
    summary: clip(
      `${s.name} ${rel.type.toLowerCase().replace('_', ' ')} ${o.name}${rel.role ? ` as ${rel.role}` : ''}${when} (FtM UnknownLink ${r.ftmId}${roleText ? `, role "${roleText}"` : ''}).`,
      2000,
    ),
    relation: { type: rel.type, object: o.ourId, role: rel.role },
  };
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
