import { AppError, badInput, checkId, ErrorCode, notFound } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import * as q from '../graph/queries/provenance.js';
import {
  decodeClaimDetails,
  fromProjection,
  type ClaimRecord,
  type EntityRecord,
  type FigureRecord,
  type SourceRecord,
} from '../graph/records.js';
import type { FuzzyDate } from '../model/fuzzy-date.js';
import { relationStarts } from '../model/ids.js';
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
  sources: SourceRecord[];
  totalClaims: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ConflictRecord {
  subject: EntityRecord;
  property: string;
  claims: ClaimRecord[];
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
  unit: string;
  figures: StatisticValueRecord[];
  disputed: boolean;
}

export interface ConflictsArgs {
  subjectId?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface StatisticsFilterInput {
  measures?: readonly string[] | null;
  subjectIds?: readonly string[] | null;
  sourceIds?: readonly string[] | null;
  subgroup?: string | null;
}

const PAGE = { default: 20, max: 100 };
const PROVENANCE_PAGE = { default: 100, max: 500 };
/** Most values in one list filter of statistics. */
const MAX_FILTER_VALUES = 100;
/** Ids longer than this cannot be ours; refused before they reach the database. */

export class ProvenanceService {
  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
  ) {}

  /**
   * The claims about or asserting a record, with their sources. With details (claims or sources
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
    const rows = await this.executor.read(q.provenance, {
      id,
      relationStarts: relationStarts(id),
      details: opts.details,
      limit,
      after: (after?.[0] as string | undefined) ?? null,
    });
    const row = rows[0];
    if (!row) throw notFound('Record', id);
    if (!row.cursorFound) {
      throw badInput('after names a claim that is no longer behind this record; start again without it', [
        'after',
      ]);
    }
    const items = row.claims as unknown[];
    const details = opts.details ? items.map(decodeClaimDetails) : [];
    const claims = opts.details
      ? this.records.primeClaimDetails(details)
      : items.map((c) => fromProjection(c) as ClaimRecord);
    if (!opts.details) this.records.primeNodes(claims);
    const sources = new Map<string, SourceRecord>();
    for (const d of details) for (const s of d.sources) sources.set(s.source.id, s.source);
    const last = claims.at(-1);
    return {
      id,
      kind: String(row.kind),
      label: String(row.label ?? ''),
      claims,
      sources: [...sources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      totalClaims: Number(row.total),
      pageInfo: {
        hasNextPage: Boolean(row.hasNextPage),
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
    if (after && !after.every((k) => typeof k === 'string')) {
      throw badInput('after is not a cursor this field returned', ['after']);
    }
    const subjectId = args.subjectId ?? null;
    if (subjectId !== null) checkId(subjectId, ['subjectId']);

    // All conflicts without a total: walk the keys in index order and stop at the page (scale-independent).
    const stmt = subjectId !== null ? q.conflictsAbout : opts.withTotal ? q.conflicts : q.conflictsPage;
    const rows = await this.executor.read(stmt, {
      subjectId,
      after,
      limit: first + 1,
      withTotal: opts.withTotal,
      details: opts.details,
    });
    const row = rows[0]!;
    if (!row.subjectExists) throw notFound('Entity', subjectId!);

    const groups = (row.groups as Record<string, unknown>[]).map((g) => {
      const subject = fromProjection(g.subject) as EntityRecord;
      const items = g.claims as unknown[];
      const claims = opts.details
        ? this.records.primeClaimDetails(items)
        : items.map((c) => fromProjection(c) as ClaimRecord);
      this.records.primeNodes([subject, ...claims]);
      return {
        key: [String(g.subjectId), String(g.conflictKey)],
        node: { subject, property: claims[0]?.property ?? '', claims },
      };
    });
    const page = toPage(
      groups,
      first,
      (g) => g.key,
      (g) => g.node,
    );
    return {
      edges: page.edges,
      pageInfo: page.pageInfo,
      totalCount: typeof row.total === 'number' ? row.total : 0,
    };
  }

  /**
   * Figures grouped by measure, subject, subgroup and unit. With details (claims, conflicts or
   * publishers asked for) each figure's claims come with CLAIM_DETAILS and are primed.
   */
  async statistics(
    filter: StatisticsFilterInput,
    opts: { details: boolean },
  ): Promise<StatisticGroupRecord[]> {
    const measures = listFilter(filter.measures, 'measures');
    const subjectIds = listFilter(filter.subjectIds, 'subjectIds');
    const sourceIds = listFilter(filter.sourceIds, 'sourceIds');
    const subgroup = filter.subgroup ?? null;

    // Start from the most selective filter: the subjects, else the sources, else every figure.
    const stmt = subjectIds ? q.statisticsAbout : sourceIds ? q.statisticsFromSources : q.statistics;
    const rows = await this.executor.read(stmt, {
      measures,
      subjectIds,
      sourceIds,
      subgroup,
      details: opts.details,
    });
    return rows.map((row) => {
      const subject = fromProjection(row.subject) as EntityRecord;
      this.records.primeNodes([subject]);
      const figures = (row.figures as Record<string, unknown>[]).map((v) => {
        const figure = fromProjection(v.figure) as FigureRecord;
        const items = v.claims as unknown[];
        const claims = opts.details
          ? this.records.primeClaimDetails(items)
          : items.map((c) => fromProjection(c) as ClaimRecord);
        const sources = (v.sources as Record<string, unknown>[]).map((s) => ({
          source: fromProjection(s) as SourceRecord,
          publisher: fromProjection(s._publisher) as EntityRecord | null,
        }));
        this.records.primeNodes([figure, ...claims, ...sources.flatMap((s) => [s.source, s.publisher])]);
        this.records.primeClaimsOfFigure(figure.id, claims);
        return {
          figure,
          sources: sources.map((s) => s.source),
          periodStart: figure.periodStart,
          periodEnd: figure.periodEnd,
          asOf: figure.asOf,
        };
      });
      return {
        measure: String(row.measure),
        subject,
        subgroup: (row.subgroup as string | null) ?? null,
        unit: String(row.unit),
        figures,
        disputed: row.disputed === true,
      };
    });
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
