import type { FuzzyDate } from '../../model/fuzzy-date.js';
import { assertionOf } from '../../model/claims.js';
import type { ClaimRow, EntityRow, FigureRow, PublicationHopRow, SourceRow } from '../../model/rows.js';
import { identifierKey } from '../../model/identifiers.js';

/**
 * How resolved rows become node properties, shared by the bundle loader and the write API so that a
 * record reads the same however it was made.
 */

/** A fuzzy date as JSON (the truth) plus Date bounds and precision (for indexes and range filters). */
export function dateProps(prefix: string, d: FuzzyDate | null): Record<string, unknown> {
  return {
    [`${prefix}Json`]: d ? JSON.stringify(d) : null,
    [`${prefix}Earliest`]: d?.earliest ?? null,
    [`${prefix}Latest`]: d?.latest ?? null,
    [`${prefix}Precision`]: d?.precision ?? null,
  };
}

/** An entity's properties; `names` (name + aliases) feeds the full-text index. */
export function entityParams(e: EntityRow): Record<string, unknown> {
  return {
    id: e.id,
    kind: e.kind,
    type: e.type,
    name: e.name,
    lang: e.lang,
    aliasesJson: JSON.stringify(e.aliases),
    names: [e.name, ...e.aliases.map((a) => a.value)],
    identifiersJson: JSON.stringify(e.identifiers),
    identifierKeys: e.identifiers.map((i) => identifierKey(i.scheme, i.value)),
    description: e.description,
    sensitivity: e.sensitivity,
    facilityKind: e.facilityKind ?? null,
    ...dateProps('date', e.date),
    ...dateProps('endDate', e.endDate),
  };
}

/** A source's properties (its text included); the publisher is a relationship the statement makes. */
export function sourceParams(s: SourceRow): Record<string, unknown> {
  const { published, publishedVia, ...rest } = s;
  return {
    ...rest,
    dataset: s.dataset ?? null,
    ...dateProps('published', published),
    // Absent (importers of other formats): the stored chain is left as it is.
    publishedVia: publishedVia ? publicationHopParams(publishedVia) : null,
  };
}

/** A publishedVia chain as PUBLISHED_VIA relationship properties (see queries/fragments.ts WRITE_PUBLISHED_VIA). */
export function publicationHopParams(hops: readonly PublicationHopRow[]): Record<string, unknown>[] {
  return hops.map((h, i) => ({
    actorId: h.actorId,
    hop: i + 1,
    url: h.url,
    ...dateProps('published', h.published),
  }));
}

/** A figure's properties: its dates as JSON, and the period's bounds for range filters. */
export function figureParams(f: FigureRow): Record<string, unknown> {
  const { periodStart, periodEnd, asOf, ...rest } = f;
  return {
    ...rest,
    periodStartJson: periodStart ? JSON.stringify(periodStart) : null,
    periodEndJson: periodEnd ? JSON.stringify(periodEnd) : null,
    asOfJson: asOf ? JSON.stringify(asOf) : null,
    periodEarliest: periodStart?.earliest ?? null,
    periodLatest: periodEnd?.latest ?? periodStart?.latest ?? null,
  };
}

/** A claim's properties: an import's claims (those with a slot) carry what they assert, to find supersessions. */
export function claimParams(c: ClaimRow): Record<string, unknown> {
  const { periodStart, periodEnd, ...rest } = c;
  return {
    ...rest,
    position: c.position ?? null,
    // A relation claim's period, flattened as a figure's is (figureParams).
    periodStartJson: periodStart ? JSON.stringify(periodStart) : null,
    periodEndJson: periodEnd ? JSON.stringify(periodEnd) : null,
    periodEarliest: periodStart?.earliest ?? null,
    periodLatest: periodEnd?.latest ?? periodStart?.latest ?? null,
    slot: c.slot ?? null,
    assertion: c.slot ? assertionOf(c) : null,
    sortedExcerptIds: [...c.excerptIds].sort(),
    attribution: c.attribution ?? null,
  };
}
