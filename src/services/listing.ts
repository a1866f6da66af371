import { badInput } from '../errors.js';
import type { Executor, Row } from '../graph/executor.js';
import * as q from '../graph/queries/listing.js';
import { EMBEDDED_CLAIMS } from '../graph/queries/fragments.js';
import {
  fromProjection,
  type EntityRecord,
  type RelationRecord,
  type SourceRecord,
} from '../graph/records.js';
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
}

export interface EntityFilterInput {
  types?: readonly string[] | null;
  namePrefix?: string | null;
  withinId?: string | null;
}

export interface SourceFilterInput {
  publisherId?: string | null;
  language?: string | null;
  reliability?: readonly string[] | null;
}

/** What nested data the caller's selection needs, so the one statement can embed it. */
export type Embeds = q.Embeds;

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

function eventParams(filter: EventFilterInput | null | undefined) {
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
    relationTypes: q.RELATION_TYPE_LIST,
  };
}

/**
 * Listings and the timeline. Each call runs exactly one statement; records it returns (and the nested
 * data the selection asked for) are primed into the request's loaders.
 */
/** The smallest date Neo4j stores, or the date of a by-date cursor ('9999-12-31' marks the undated ones). */
function datedFrom(afterKey: unknown): string {
  return typeof afterKey === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(afterKey) ? afterKey : '-999999999-01-01';
}

export class ListingService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
  ) {}

  async events(
    args: {
      filter?: EventFilterInput | null;
      orderBy?: q.EventOrder | null;
      first?: number | null;
      after?: string | null;
    },
    embeds: Embeds,
  ): Promise<Connection<EntityRecord, { dateMatch: 'certain' | 'uncertain' }>> {
    const first = pageSize(args.first, PAGE);
    const order = args.orderBy ?? 'DATE_ASC';
    const params = eventParams(args.filter);
    const cursor = decodeCursor(args.after, 2);
    const [row] = await this.executor.read(q.eventsPage(order, embeds, q.eventAnchor(params)), {
      ...params,
      afterKey: cursor?.[0] ?? null,
      afterId: cursor?.[1] ?? null,
      // Where the by-date statement starts reading the event_date index (a date at or before the cursor's).
      datedFrom: datedFrom(cursor?.[0]),
      limit: first + 1,
    });
    const rows = (row?.rows as Row[]) ?? [];
    const kept = rows.slice(0, first);
    const edges = kept.map((r) => {
      const node = this.primeEntity(r.node, embeds);
      const match =
        params.from || params.to
          ? overlap(
              { earliest: r.lo as string | null, latest: r.hi as string | null },
              params.from,
              params.to,
            )
          : 'certain';
      return {
        cursor: encodeCursor([r.key, node.id]),
        node,
        dateMatch: match === 'certain' ? ('certain' as const) : ('uncertain' as const),
      };
    });
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      // Only computed when selected; otherwise never resolved.
      totalCount: (row?.total as number | null) ?? 0,
    };
  }

  async entities(
    label: 'Actor' | 'Place',
    args: { filter?: EntityFilterInput | null; first?: number | null; after?: string | null },
    embeds: Embeds,
  ): Promise<Connection<EntityRecord>> {
    const first = pageSize(args.first, PAGE);
    if (label === 'Actor' && args.filter?.withinId)
      throw badInput('filter.withinId applies to places only', ['filter', 'withinId']);
    const cursor = decodeCursor(args.after, 2);
    const [row] = await this.executor.read(q.entitiesPage(label, embeds), {
      types: args.filter?.types?.length ? [...args.filter.types] : null,
      namePrefix: args.filter?.namePrefix || null,
      withinId: args.filter?.withinId ?? null,
      relationTypes: q.RELATION_TYPE_LIST,
      afterKey: cursor?.[0] ?? null,
      afterId: cursor?.[1] ?? null,
      limit: first + 1,
    });
    const rows = (row?.rows as Row[]) ?? [];
    const edges = rows.slice(0, first).map((r) => {
      const node = this.primeEntity(r.node, embeds);
      return { cursor: encodeCursor([r.key, node.id]), node };
    });
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      // Only computed when selected; otherwise never resolved.
      totalCount: (row?.total as number | null) ?? 0,
    };
  }

  async sources(
    args: { filter?: SourceFilterInput | null; first?: number | null; after?: string | null },
    total: boolean,
  ): Promise<Connection<SourceRecord>> {
    const first = pageSize(args.first, PAGE);
    const cursor = decodeCursor(args.after, 2);
    const [row] = await this.executor.read(q.sourcesPage(total), {
      publisherId: args.filter?.publisherId ?? null,
      language: args.filter?.language ?? null,
      reliability: args.filter?.reliability?.length ? [...args.filter.reliability] : null,
      afterKey: cursor?.[0] ?? null,
      afterId: cursor?.[1] ?? null,
      limit: first + 1,
    });
    const rows = (row?.rows as Row[]) ?? [];
    const edges = rows.slice(0, first).map((r) => {
      const node = fromProjection(r.node) as SourceRecord;
      const publisher = fromProjection(r.publisher) as EntityRecord | null;
      this.records.primeNodes([node, publisher]);
      this.records.primePublisher(node.id, publisher?.id ?? null);
      return { cursor: encodeCursor([r.key, node.id]), node };
    });
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      // Only computed when selected; otherwise never resolved.
      totalCount: (row?.total as number | null) ?? 0,
    };
  }

  async timeline(args: { filter?: EventFilterInput | null; first?: number | null }, embeds: Embeds) {
    const first = pageSize(args.first, TIMELINE);
    const params = eventParams(args.filter);
    const rows = await this.executor.read(q.timeline(embeds, q.eventAnchor(params)), {
      ...params,
      limit: first + 1,
    });
    const entries = rows.slice(0, first).map((r) => {
      const event = this.primeEntity(r.node, embeds);
      const precision = event.date?.precision ?? 'unknown';
      return {
        event,
        earliest: (r.lo as string | null) ?? null,
        latest: (r.hi as string | null) ?? null,
        precision,
        // A known day stated exactly is certain; anything else is drawn as a range.
        uncertain: !(precision === 'day' && event.date?.qualifier === 'exact'),
      };
    });
    return { entries, truncated: rows.length > first };
  }

  /** Decodes an embedded entity projection and primes everything it carries. */
  private primeEntity(projection: unknown, embeds: Embeds): EntityRecord {
    const p = projection as Record<string, unknown>;
    const node = fromProjection(p) as EntityRecord;
    this.records.primeNodes([node]);
    if (embeds.relations) {
      const rels = (p._relations as (RelationRecord & { other: unknown })[]) ?? [];
      this.records.primeNodes(rels.map((r) => fromProjection(r.other)));
      this.records.primeRelations(
        node.id,
        rels.map(({ other: _other, ...r }) => ({ ...r, claimIds: r.claimIds ?? [] })),
      );
    }
    if (embeds.claims) {
      const claims = this.records.primeClaimDetails((p._claims as unknown[]) ?? []);
      // Cut at EMBEDDED_CLAIMS: a record with more reads its claims through the loader instead.
      if (claims.length < EMBEDDED_CLAIMS) this.records.primeClaimsAbout(node.id, claims);
      if (embeds.relations) this.records.primeClaimDetails((p._relationClaims as unknown[]) ?? []);
    }
    return node;
  }
}
