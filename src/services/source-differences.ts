import { canonicalJson } from '../graph/mutation.js';
import type { StoredSourceMeta } from '../graph/stores/write.js';
import type { PublicationHopRow, SourceRow } from '../model/rows.js';

/**
 * Ingesting a text that is already stored changes nothing (evidence is never changed in place): the stored
 * source is returned as it is, with the fields whose given value differs from the stored one, so that the
 * caller knows which of its metadata were not applied.
 */

/** A field of IngestSourceInput the caller gave, whose value differs from the stored source's. */
export interface SourceFieldDifference {
  field: string;
  /** The stored value (null: none); fuzzy dates as JSON. */
  stored: string | null;
  /** The value given (after the checks: a title trimmed, a date parsed); fuzzy dates as JSON. */
  given: string | null;
}

/** Which fields the caller gave (null and absent fields are not compared: they ask for nothing). */
export type GivenFields = Partial<Record<SourceField, unknown>>;

type SourceField =
  | 'title'
  | 'language'
  | 'url'
  | 'retrievedAt'
  | 'published'
  | 'reliability'
  | 'sensitivity'
  | 'notes'
  | 'publisherId'
  | 'publishedVia';

const instant = (v: string | null) => (v === null ? null : Date.parse(v));
const fuzzyJson = (v: string | null) => (v === null ? null : canonicalJson(JSON.parse(v)));

/** A publishedVia chain as canonical JSON: [{actorId, url, published}], nearest to the reader first. */
export function chainJson(hops: readonly PublicationHopRow[]): string {
  return canonicalJson(hops.map((h) => ({ actorId: h.actorId, url: h.url, published: h.published })));
}

export function sourceDifferences(
  given: GivenFields,
  row: SourceRow,
  stored: StoredSourceMeta,
): SourceFieldDifference[] {
  const published = row.published ? JSON.stringify(row.published) : null;
  const fields: [SourceField, string | null, string | null, (v: string | null) => unknown][] = [
    ['title', stored.title, row.title, (v) => v],
    ['language', stored.language, row.language, (v) => v],
    ['url', stored.url, row.url, (v) => v],
    ['retrievedAt', stored.retrievedAt, row.retrievedAt, instant],
    ['published', stored.publishedJson, published, fuzzyJson],
    ['reliability', stored.reliability ?? 'unknown', row.reliability, (v) => v],
    ['sensitivity', stored.sensitivity, row.sensitivity, (v) => v],
    ['notes', stored.notes, row.notes, (v) => v],
    ['publisherId', stored.publisherId, row.publisherId, (v) => v],
    ['publishedVia', chainJson(stored.publishedVia), chainJson(row.publishedVia ?? []), (v) => v],
  ];
  return fields
    .filter(([field]) => given[field] !== undefined && given[field] !== null)
    .filter(([, s, g, same]) => same(s) !== same(g))
    .map(([field, s, g]) => ({ field, stored: s, given: g }));
}
