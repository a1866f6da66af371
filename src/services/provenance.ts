import { AppError, badInput, checkId, ErrorCode, notFound } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import type { ClaimRecord, EntityRecord, FigureRecord, SourceRecord } from '../graph/records.js';
import * as store from '../graph/stores/provenance.js';
import type { StatisticFigure } from '../graph/stores/provenance.js';
import type { ProvenanceRole } from '../model/claims.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';
import { decodeCursor, encodeCursor, pageSize, toPage, type Page } from './pagination.js';
import type { RecordsService } from './records.js';

/**
 * Evidence read use cases: the provenance of any record, conflicting claims side by side, and figures
 * grouped into statistics. Each answers in one statement and primes the request's loaders with what it
 * fetched, so the nested fields of the answer need no further round trip.
 */

export interface ProvenanceRecord {
  id: string;
  kind: string;
  label: string;
  claims: ClaimRecord[];
  /** The same claims, each with the record's roles in it and its cursor. */
  edges: { cursor: string; node: ClaimRecord; roles: ProvenanceRole[] }[];
  sources: SourceRecord[];
  totalClaims: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ConflictRecord {
  subject: EntityRecord;
  property: string;
  claims: ClaimRecord[];
  implicitAsOf: string[];
  internal: boolean;
  acrossSources: boolean;
}

export interface StatisticValueRecord {
  figure: FigureRecord;
  sources: SourceRecord[];
  periodStart: FuzzyDate | null;
  periodEnd: FuzzyDate | null;
  asOf: FuzzyDate | null;
}

export interface StatisticGroupRecord {
  measure: string;
  subject: EntityRecord;
  subgroup: string | null;
  sex: string | null;
  ageGroup: string | null;
  category: string | null;
  unit: string;
  figures: StatisticValueRecord[];
  disputed: boolean;
}

export interface ConflictsArgs {
  subjectId?: string | null;
  origin?: 'INTERNAL' | 'ACROSS_SOURCES' | null;
  first?: number | null;
  after?: string | null;
}

export interface StatisticsFilterInput {
  measures?: readonly string[] | null;
  subjectIds?: readonly string[] | null;
  sourceIds?: readonly string[] | null;
  subgroup?: string | null;
  sexes?: readonly string[] | null;
  ageGroups?: readonly string[] | null;
  categories?: readonly string[] | null;
}

const PAGE = { default: 20, max: 100 };
const PROVENANCE_PAGE = { default: 100, max: 500 };
/** Most values in one list filter of statistics. */
const MAX_FILTER_VALUES = 100;
export class ProvenanceService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
  ) {}

  /**
   * The claims in which a record takes part, each with its roles, and their sources. With details (claims or sources
   * asked for) the claims come with CLAIM_DETAILS and the sources are theirs; without, sources is empty.
   */
  async provenance(
    id: string,
    args: { first?: number | null; after?: string | null },
    opts: { details: boolean },
  ): Promise<ProvenanceRecord> {
    checkId(id, ['id']);
    const limit = pageSize(args.first, PROVENANCE_PAGE);
    // The cursor is the id of the last claim of the previous page, in the order the statement gives.
    const after = decodeCursor(args.after, 1);
    if (after && typeof after[0] !== 'string')
      throw badInput('after is not a cursor this field returned', ['after']);
    const found = await store.provenance(this.executor, {
      id,
      details: opts.details,
      limit,
      after: (after?.[0] as string | undefined) ?? null,
    });
    if (!found) throw notFound('Record', id);
    if (!found.cursorFound) {
      throw badInput('after names a claim that is no longer behind this record; start again without it', [
        'after',
      ]);
    }
    const claims = this.records.primeClaims(found.claims);
    const sources = new Map<string, SourceRecord>();
    if (found.claims.detailed) {
      for (const d of found.claims.details) for (const s of d.sources) sources.set(s.source.id, s.source);
    }
    const last = claims.at(-1);
    return {
      id,
      kind: found.kind,
      label: found.label,
      claims,
      edges: claims.map((node, i) => ({
        cursor: encodeCursor([node.id]),
        node,
        roles: found.roles[i] ?? [],
      })),
      sources: [...sources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      totalClaims: found.total,
      pageInfo: {
        hasNextPage: found.hasNextPage,
        endCursor: last ? encodeCursor([last.id]) : null,
      },
    };
  }

  /** A keyset page of conflicts, oldest key first; totalCount only when asked (withTotal). */
  async conflicts(
    args: ConflictsArgs,
    opts: { details: boolean; withTotal: boolean },
  ): Promise<Page<ConflictRecord> & { totalCount: number }> {
    const first = pageSize(args.first, PAGE);
    const after = decodeCursor(args.after, 2);
    if (after && !after.every((k): k is string => typeof k === 'string')) {
      throw badInput('after is not a cursor this field returned', ['after']);
    }
    const subjectId = args.subjectId ?? null;
    if (subjectId !== null) checkId(subjectId, ['subjectId']);

    const found = await store.conflicts(this.executor, {
      subjectId,
      origin: args.origin ?? null,
      after,
      limit: first + 1,
      withTotal: opts.withTotal,
      details: opts.details,
    });
    if (!found.subjectExists) throw notFound('Entity', subjectId!);

    const groups = found.groups.map((g) => {
      const claims = this.records.primeClaims(g.claims);
      this.records.primeNodes([g.subject, ...claims]);
      return {
        key: [g.subjectId, g.conflictKey],
        node: {
          subject: g.subject,
          property: claims[0]?.property ?? '',
          claims,
          implicitAsOf: g.implicitAsOf,
          internal: g.internal,
          acrossSources: g.acrossSources,
        },
      };
    });
    const page = toPage(
      groups,
      first,
      (g) => g.key,
      (g) => g.node,
    );
    return { edges: page.edges, pageInfo: page.pageInfo, totalCount: found.total ?? 0 };
  }

  /**
   * Figures grouped by measure, subject, subgroup and unit. With details (claims, conflicts or
   * publishers asked for) each figure's claims come with CLAIM_DETAILS and are primed.
   */
  async statistics(
    filter: StatisticsFilterInput,
    opts: { details: boolean },
  ): Promise<StatisticGroupRecord[]> {
    const groups = await store.statistics(this.executor, {
      measures: listFilter(filter.measures, 'measures'),
      subjectIds: listFilter(filter.subjectIds, 'subjectIds'),
      sourceIds: listFilter(filter.sourceIds, 'sourceIds'),
      subgroup: filter.subgroup ?? null,
      sexes: listFilter(filter.sexes, 'sexes'),
      ageGroups: listFilter(filter.ageGroups, 'ageGroups'),
      categories: listFilter(filter.categories, 'categories'),
      details: opts.details,
    });
    return groups.map((g) => {
      this.records.primeNodes([g.subject]);
      return { ...g, figures: g.figures.map((v) => this.primeFigure(v)) };
    });
  }

  /** Primes a figure of statistics with its claims and sources. */
  private primeFigure({ figure, claims: list, sources }: StatisticFigure): StatisticValueRecord {
    const claims = this.records.primeClaims(list);
    this.records.primeNodes([figure, ...claims, ...sources.flatMap((s) => [s.source, s.publisher])]);
    this.records.primeClaimsOfFigure(figure.id, claims);
    return {
      figure,
      sources: sources.map((s) => s.source),
      periodStart: figure.periodStart,
      periodEnd: figure.periodEnd,
      asOf: figure.asOf,
    };
  }
}

/** A list filter: null or empty means no filter (as elsewhere in the API); too long is refused. */
function listFilter(values: readonly string[] | null | undefined, name: string): string[] | null {
  if (!values?.length) return null;
  if (values.length > MAX_FILTER_VALUES) {
    throw new AppError(
      ErrorCode.LIMIT_EXCEEDED,
      `filter.${name} may list at most ${MAX_FILTER_VALUES} values`,
      {
        inputPath: ['filter', name],
        limit: MAX_FILTER_VALUES,
      },
    );
  }
  return [...new Set(values)];
}
