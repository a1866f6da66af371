import { provenanceRoles, type ProvenanceRole } from '../../model/claims.js';
import { relationStarts } from '../../model/ids.js';
import type { Executor, Row } from '../executor.js';
import * as q from '../queries/provenance.js';
import {
  decodeClaimList,
  fromProjection,
  type ClaimList,
  type EntityRecord,
  type FigureRecord,
  type SourceRecord,
} from '../records.js';
import { num, str } from '../values.js';

/**
 * The evidence reads (provenance, conflicts, statistics): one statement each, decoded into records. With
 * `details` the claims come with their details (CLAIM_DETAILS), to be primed into the request's loaders.
 */

export interface Provenance {
  /** Event, Actor, Place, Figure, Claim, Source or Relation. */
  kind: string;
  label: string;
  /** The page of claims behind the record. */
  claims: ClaimList;
  /** The record's roles in each claim of the page, in the page's order. */
  roles: ProvenanceRole[][];
  /** All the claims behind it. */
  total: number;
  /** Whether the claim the page starts after is still behind the record. */
  cursorFound: boolean;
  hasNextPage: boolean;
}

/**
 * A page of the claims in which any record takes part (entity, figure, claim, source or relationship, by id), after the
 * claim with id `after`; null when there is no such record the caller may see.
 */
export async function provenance(
  executor: Executor,
  p: { id: string; details: boolean; limit: number; after: string | null },
): Promise<Provenance | null> {
  const [row] = await executor.read(q.provenance, {
    id: p.id,
    // Relationships have no id index: the statement finds their start node among these ids.
    relationStarts: relationStarts(p.id),
    details: p.details,
    limit: p.limit,
    after: p.after,
  });
  if (!row) return null;
  return {
    kind: String(row.kind),
    label: str(row.label) ?? '',
    claims: decodeClaimList(row.claims, p.details),
    roles: ((row.roles as string[][] | null) ?? []).map(provenanceRoles),
    total: num(row.total) ?? 0,
    cursorFound: row.cursorFound === true,
    hasNextPage: row.hasNextPage === true,
  };
}

export interface ConflictGroup {
  subjectId: string;
  conflictKey: string;
  subject: EntityRecord;
  /** The group's live claims, by id. */
  claims: ClaimList;
  /** Ids of its claims compared as of their sources' publication date. */
  implicitAsOf: string[];
  /** A disagreeing pair cites one source. */
  internal: boolean;
  /** A disagreeing pair cites no source in common. */
  acrossSources: boolean;
}

export interface ConflictsQuery {
  /** Only the conflicts about this entity. */
  subjectId: string | null;
  /** Only groups with a disagreeing pair of this origin: INTERNAL, ACROSS_SOURCES, or null for any. */
  origin: string | null;
  /** Keyset: the [subjectId, conflictKey] of the last group shown. */
  after: string[] | null;
  limit: number;
  withTotal: boolean;
  details: boolean;
}

/**
 * A page of groups of claims that disagree, by (subjectId, conflictKey); their number when withTotal, and
 * whether the subject asked for exists.
 */
export async function conflicts(
  executor: Executor,
  c: ConflictsQuery,
): Promise<{ groups: ConflictGroup[]; total: number | null; subjectExists: boolean }> {
  // All conflicts without a total: walk the keys in index order and stop at the page (scale-independent).
  const stmt = c.subjectId !== null ? q.conflictsAbout : c.withTotal ? q.conflicts : q.conflictsPage;
  const [row] = await executor.read(stmt, { ...c });
  return {
    groups: ((row!.groups as Row[] | null) ?? []).map((g) => ({
      subjectId: String(g.subjectId),
      conflictKey: String(g.conflictKey),
      subject: fromProjection(g.subject) as EntityRecord,
      claims: decodeClaimList(g.claims, c.details),
      implicitAsOf: (g.implicitAsOf as string[] | null) ?? [],
      internal: g.internal === true,
      acrossSources: g.acrossSources === true,
    })),
    total: num(row!.total),
    subjectExists: row!.subjectExists === true,
  };
}

export interface StatisticsQuery {
  measures: string[] | null;
  subjectIds: string[] | null;
  sourceIds: string[] | null;
  /** '' for the whole population. */
  subgroup: string | null;
  sexes: string[] | null;
  ageGroups: string[] | null;
  categories: string[] | null;
  details: boolean;
}

export interface StatisticFigure {
  figure: FigureRecord;
  /** Its claims, by id. */
  claims: ClaimList;
  /** The sources of its live claims, each with its visible publisher. */
  sources: { source: SourceRecord; publisher: EntityRecord | null }[];
}

export interface StatisticGroup {
  measure: string;
  subject: EntityRecord;
  subgroup: string | null;
  sex: string | null;
  ageGroup: string | null;
  category: string | null;
  unit: string;
  figures: StatisticFigure[];
  /** Two of its figures' claims disagree. */
  disputed: boolean;
}

/** Figures grouped by measure, subject, subgroup and unit. */
export async function statistics(executor: Executor, s: StatisticsQuery): Promise<StatisticGroup[]> {
  // Start from the most selective filter: the subjects, else the sources, else every figure.
  const stmt = s.subjectIds ? q.statisticsAbout : s.sourceIds ? q.statisticsFromSources : q.statistics;
  const rows = await executor.read(stmt, { ...s });
  return rows.map((row) => ({
    measure: String(row.measure),
    subject: fromProjection(row.subject) as EntityRecord,
    subgroup: str(row.subgroup),
    sex: str((row.parts as unknown[])[0]),
    ageGroup: str((row.parts as unknown[])[1]),
    category: str((row.parts as unknown[])[2]),
    unit: String(row.unit),
    figures: ((row.figures as Row[] | null) ?? []).map((v) => ({
      figure: fromProjection(v.figure) as FigureRecord,
      claims: decodeClaimList(v.claims, s.details),
      sources: ((v.sources as Row[] | null) ?? []).map((src) => ({
        source: fromProjection(src) as SourceRecord,
        publisher: fromProjection(src._publisher) as EntityRecord | null,
      })),
    })),
    disputed: row.disputed === true,
  }));
}
