import type { EventFilterParams } from '../queries/listing.js';
import type { Executor, Row } from '../executor.js';
import { EMBEDDED_CLAIMS } from '../queries/fragments.js';
import * as q from '../queries/listing.js';
import {
  decodeClaimDetails,
  fromProjection,
  toRelationRecord,
  type ClaimDetails,
  type EntityRecord,
  type NodeRecord,
  type RelationRecord,
  type SourceRecord,
} from '../records.js';
import { num, str } from '../values.js';

/**
 * Listings (events, actors, places, sources) and the timeline: one statement per call, its rows decoded
 * into records with the nested data the selection asked the statement to embed.
 */

export type { Embeds, EventOrder } from '../queries/listing.js';

/** Conditions on events; null disables each. from/to are ISO dates bounding the window. */
export type EventFilter = Omit<EventFilterParams, 'relationTypes'>;

/** The keyset position after which a page starts (null: the first page) and the rows wanted. */
export interface Keyset {
  /** The sort key and id of the last record shown, as the client's cursor holds them. */
  afterKey: unknown;
  afterId: unknown;
  limit: number;
}

/** A listed entity with what the statement embedded for it (null: not asked for). */
export interface ListedEntity {
  entity: EntityRecord;
  /** Its relationships, each with the record at the other end. */
  relations: { relation: RelationRecord; other: NodeRecord | null }[] | null;
  /** The claims about it with their details, at most EMBEDDED_CLAIMS. */
  claims: ClaimDetails[] | null;
  /** Whether `claims` are all the claims about it. */
  allClaims: boolean;
  /** The claims behind its relationships, with their details (with relations and claims only). */
  relationClaims: ClaimDetails[] | null;
}

/** An event's span: its earliest start and latest end, as ISO dates (null: open). */
export interface EventSpan {
  lo: string | null;
  hi: string | null;
}

/** The sort key of a page's order (a cursor's first half). */
export interface Keyed {
  key: string | null;
}

export interface ListingPage<T> {
  rows: T[];
  /** The number of matching records, when the statement counted them. */
  total: number | null;
}

const details = (v: unknown): ClaimDetails[] => ((v as unknown[] | null) ?? []).map(decodeClaimDetails);

/** An embedded entity projection (its properties, _labels, _relations, _claims, _relationClaims), decoded. */
function listedEntity(projection: unknown, embeds: q.Embeds): ListedEntity {
  const p = projection as Row;
  const claims = embeds.claims ? details(p._claims) : null;
  return {
    entity: fromProjection(p) as EntityRecord,
    relations: embeds.relations
      ? ((p._relations as Row[] | null) ?? []).map((r) => ({
          relation: toRelationRecord(r),
          other: fromProjection(r.other),
        }))
      : null,
    claims,
    allClaims: claims !== null && claims.length < EMBEDDED_CLAIMS,
    relationClaims: embeds.claims && embeds.relations ? details(p._relationClaims) : null,
  };
}

/** The event filter as parameters, with the relationship types the embeds walk. */
const eventParams = (filter: EventFilter): q.EventFilterParams => ({
  ...filter,
  relationTypes: q.RELATION_TYPE_LIST,
});

/** The smallest date Neo4j stores, or the date of a by-date cursor ('9999-12-31' marks the undated ones). */
function datedFrom(afterKey: unknown): string {
  return typeof afterKey === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(afterKey) ? afterKey : '-999999999-01-01';
}

/** A page of events in the given order, anchored on the filter's actor or place when it names one. */
export async function eventsPage(
  executor: Executor,
  order: q.EventOrder,
  embeds: q.Embeds,
  filter: EventFilter,
  keyset: Keyset,
): Promise<ListingPage<ListedEntity & EventSpan & Keyed>> {
  const params = eventParams(filter);
  const [row] = await executor.read(q.eventsPage(order, embeds, q.eventAnchor(params)), {
    ...params,
    ...keyset,
    // Where the by-date statement starts reading the event_date index (a date at or before the cursor's).
    datedFrom: datedFrom(keyset.afterKey),
    // Where the by-place-date statement starts reading IN_PLACE rows (keys are strings).
    keyFrom: typeof keyset.afterKey === 'string' ? keyset.afterKey : '',
  });
  return {
    rows: ((row?.rows as Row[] | null) ?? []).map((r) => ({
      ...listedEntity(r.node, embeds),
      key: str(r.key),
      lo: str(r.lo),
      hi: str(r.hi),
    })),
    total: num(row?.total),
  };
}

/** Events by earliest date (undated last), at most `limit`. */
export async function timeline(
  executor: Executor,
  embeds: q.Embeds,
  filter: EventFilter,
  limit: number,
): Promise<(ListedEntity & EventSpan)[]> {
  const params = eventParams(filter);
  const rows = await executor.read(q.timeline(embeds, q.eventAnchor(params)), { ...params, limit });
  return rows.map((r) => ({ ...listedEntity(r.node, embeds), lo: str(r.lo), hi: str(r.hi) }));
}

export interface EntityFilter {
  types: string[] | null;
  namePrefix: string | null;
  nameContains: string | null;
  /** Places inside this place (places only). */
  withinId: string | null;
}

/** A page of actors or places by name. */
export async function entitiesPage(
  executor: Executor,
  label: 'Actor' | 'Place',
  embeds: q.Embeds,
  filter: EntityFilter,
  keyset: Keyset,
): Promise<ListingPage<ListedEntity & Keyed>> {
  const [row] = await executor.read(q.entitiesPage(label, embeds), {
    ...filter,
    relationTypes: q.RELATION_TYPE_LIST,
    ...keyset,
  });
  return {
    rows: ((row?.rows as Row[] | null) ?? []).map((r) => ({
      ...listedEntity(r.node, embeds),
      key: str(r.key),
    })),
    total: num(row?.total),
  };
}

export interface SourceFilter {
  publisherId: string | null;
  language: string | null;
  reliability: string[] | null;
}

export interface ListedSource extends Keyed {
  source: SourceRecord;
  publisher: EntityRecord | null;
}

/** A page of sources by title, each with its visible publisher; counted when `total`. */
export async function sourcesPage(
  executor: Executor,
  total: boolean,
  filter: SourceFilter,
  keyset: Keyset,
): Promise<ListingPage<ListedSource>> {
  const [row] = await executor.read(q.sourcesPage(total), { ...filter, ...keyset });
  return {
    rows: ((row?.rows as Row[] | null) ?? []).map((r) => ({
      key: str(r.key),
      source: fromProjection(r.node) as SourceRecord,
      publisher: fromProjection(r.publisher) as EntityRecord | null,
    })),
    total: num(row?.total),
  };
}
