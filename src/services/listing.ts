import { badInput } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import type { EntityRecord, SourceRecord } from '../graph/records.js';
import * as store from '../graph/stores/listing.js';
import type { EventFilter, EventOrder, Keyset, ListedEntity } from '../graph/stores/listing.js';
import { datePrefixProblem, MAX_YEAR, MIN_YEAR, overlap, spanOf } from '../model/fuzzy-date.js';
import { decodeCursor, encodeCursor, pageSize } from './pagination.js';
import type { RecordsService } from './records.js';

export interface EventFilterInput {
  types?: readonly string[] | null;
  from?: string | null;
  to?: string | null;
  placeId?: string | null;
  actorId?: string | null;
  role?: string | null;
  sourceId?: string | null;
  nameContains?: string | null;
}

export interface EntityFilterInput {
  types?: readonly string[] | null;
  namePrefix?: string | null;
  withinId?: string | null;
  nameContains?: string | null;
}

export interface SourceFilterInput {
  publisherId?: string | null;
  language?: string | null;
  reliability?: readonly string[] | null;
}

/** What nested data the caller's selection needs, so the one statement can embed it. */
export type Embeds = store.Embeds;

export interface Connection<T, E = object> {
  edges: ({ cursor: string; node: T } & E)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const PAGE = { default: 20, max: 100 };
const TIMELINE = { default: 100, max: 500 };

/** A window bound: YYYY, YYYY-MM or YYYY-MM-DD; the start of its period for `from`, the end for `to`. */
function windowBound(value: string | null | undefined, side: 'from' | 'to'): string | null {
  if (value === null || value === undefined) return null;
  const precision = /^\d{4}$/.test(value)
    ? 'year'
    : /^\d{4}-\d{2}$/.test(value)
      ? 'month'
      : /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? 'day'
        : null;
  const problem = precision ? datePrefixProblem(value, precision) : 'not YYYY, YYYY-MM or YYYY-MM-DD';
  if (!precision || problem) {
    throw badInput(
      `filter.${side} must be a date as YYYY, YYYY-MM or YYYY-MM-DD (years ${String(MIN_YEAR).padStart(4, '0')} to ${MAX_YEAR}), got ${JSON.stringify(value)}`,
      ['filter', side],
    );
  }
  const [lo, hi] = spanOf(value, precision);
  return side === 'from' ? lo : hi;
}

function eventFilter(filter: EventFilterInput | null | undefined): EventFilter {
  const from = windowBound(filter?.from, 'from');
  const to = windowBound(filter?.to, 'to');
  if (from && to && from > to)
    throw badInput(`filter.from (${from}) is after filter.to (${to})`, ['filter', 'from']);
  if (filter?.role && !filter.actorId) throw badInput('filter.role needs filter.actorId', ['filter', 'role']);
  return {
    types: filter?.types?.length ? [...filter.types] : null,
    from,
    to,
    placeId: filter?.placeId ?? null,
    actorId: filter?.actorId ?? null,
    role: filter?.role ?? null,
    sourceId: filter?.sourceId ?? null,
    nameContains: nameContains(filter?.nameContains),
  };
}

/** Words a name must contain: trimmed, at most 300 characters (a name's limit); blank means no condition. */
function nameContains(value: string | null | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (v.length > 300)
    throw badInput('filter.nameContains is at most 300 characters', ['filter', 'nameContains']);
  return v;
}

/** The keyset position a cursor names (nothing: the first page), and the rows to read: one more than shown. */
function keyset(after: string | null | undefined, first: number): Keyset {
  const cursor = decodeCursor(after, 2);
  return { afterKey: cursor?.[0] ?? null, afterId: cursor?.[1] ?? null, limit: first + 1 };
}

/**
 * Listings and the timeline. Each call runs exactly one statement; records it returns (and the nested
 * data the selection asked for) are primed into the request's loaders.
 */
export class ListingService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
  ) {}

  async events(
    args: {
      filter?: EventFilterInput | null;
      orderBy?: EventOrder | null;
      first?: number | null;
      after?: string | null;
    },
    embeds: Embeds,
  ): Promise<Connection<EntityRecord, { dateMatch: 'certain' | 'uncertain' }>> {
    const first = pageSize(args.first, PAGE);
    const filter = eventFilter(args.filter);
    const page = await store.eventsPage(
      this.executor,
      args.orderBy ?? 'DATE_ASC',
      embeds,
      filter,
      keyset(args.after, first),
    );
    const edges = page.rows.slice(0, first).map((r) => {
      const node = this.primeEntity(r);
      const match =
        filter.from || filter.to
          ? overlap({ earliest: r.lo, latest: r.hi }, filter.from, filter.to)
          : 'certain';
      return {
        cursor: encodeCursor([r.key, node.id]),
        node,
        dateMatch: match === 'certain' ? ('certain' as const) : ('uncertain' as const),
      };
    });
    return connection(edges, page, first);
  }

  async entities(
    label: 'Actor' | 'Place',
    args: { filter?: EntityFilterInput | null; first?: number | null; after?: string | null },
    embeds: Embeds,
  ): Promise<Connection<EntityRecord>> {
    const first = pageSize(args.first, PAGE);
    if (label === 'Actor' && args.filter?.withinId)
      throw badInput('filter.withinId applies to places only', ['filter', 'withinId']);
    const filter = {
      types: args.filter?.types?.length ? [...args.filter.types] : null,
      namePrefix: args.filter?.namePrefix || null,
      withinId: args.filter?.withinId ?? null,
      nameContains: nameContains(args.filter?.nameContains),
    };
    const page = await store.entitiesPage(this.executor, label, embeds, filter, keyset(args.after, first));
    const edges = page.rows.slice(0, first).map((r) => {
      const node = this.primeEntity(r);
      return { cursor: encodeCursor([r.key, node.id]), node };
    });
    return connection(edges, page, first);
  }

  async sources(
    args: { filter?: SourceFilterInput | null; first?: number | null; after?: string | null },
    total: boolean,
  ): Promise<Connection<SourceRecord>> {
    const first = pageSize(args.first, PAGE);
    const filter = {
      publisherId: args.filter?.publisherId ?? null,
      language: args.filter?.language ?? null,
      reliability: args.filter?.reliability?.length ? [...args.filter.reliability] : null,
    };
    const page = await store.sourcesPage(this.executor, total, filter, keyset(args.after, first));
    const edges = page.rows.slice(0, first).map(({ key, source, publisher }) => {
      this.records.primeNodes([source, publisher]);
      this.records.primePublisher(source.id, publisher?.id ?? null);
      return { cursor: encodeCursor([key, source.id]), node: source };
    });
    return connection(edges, page, first);
  }

  async timeline(args: { filter?: EventFilterInput | null; first?: number | null }, embeds: Embeds) {
    const first = pageSize(args.first, TIMELINE);
    const rows = await store.timeline(this.executor, embeds, eventFilter(args.filter), first + 1);
    const entries = rows.slice(0, first).map((r) => {
      const event = this.primeEntity(r);
      const precision = event.date?.precision ?? 'unknown';
      return {
        event,
        earliest: r.lo,
        latest: r.hi,
        precision,
        // A known day stated exactly is certain; anything else is drawn as a range.
        uncertain: !(precision === 'day' && event.date?.qualifier === 'exact'),
      };
    });
    return { entries, truncated: rows.length > first };
  }

  /** Primes a listed entity and everything the statement embedded with it; returns the entity. */
  private primeEntity(listed: ListedEntity): EntityRecord {
    const { entity, relations, claims, relationClaims } = listed;
    this.records.primeNodes([entity]);
    if (relations) {
      this.records.primeNodes(relations.map((r) => r.other));
      this.records.primeRelations(
        entity.id,
        relations.map((r) => r.relation),
      );
    }
    if (claims) {
      const primed = this.records.primeClaimDetails(claims);
      // Only when they are all of them: a record with more reads its claims through the loader instead.
      if (listed.allClaims) this.records.primeClaimsAbout(entity.id, primed);
    }
    if (relationClaims) this.records.primeClaimDetails(relationClaims);
    return entity;
  }
}

/** A connection from the edges shown and the page read (one row more than shown when more follow). */
function connection<T, E>(
  edges: ({ cursor: string; node: T } & E)[],
  page: { rows: unknown[]; total: number | null },
  first: number,
): Connection<T, E> {
  return {
    edges,
    pageInfo: { hasNextPage: page.rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    // Only computed when selected; otherwise never resolved.
    totalCount: page.total ?? 0,
  };
}
