import type {
  BundleClaimRecord,
  BundleEntityRecord,
  BundleRecords,
  BundleSourceRecord,
} from '../../model/export-records.js';
import type { FuzzyDate } from '../../model/fuzzy-date.js';
import type { Executor, Row, Statement, Tx } from '../executor.js';
import { RELATION_TYPES } from '../../model/graph-model.js';
import * as qb from '../queries/export-bundle.js';
import { readConsistently } from './consistent-read.js';
import { json, num, str, strs } from '../values.js';

/**
 * The bundle export's reads (src/services/export.ts, the backup): every record as the bundle format
 * writes it, in pages, decoded once here.
 */

type Props = Record<string, unknown>;
const maps = (v: unknown): Props[] => (Array.isArray(v) ? (v as Props[]) : []);

const BUNDLE_PAGE = { sources: 200, rows: 2_000 };

function toBundleSource(r: Row): BundleSourceRecord {
  return {
    id: String(r.id),
    text: String(r.text),
    sha256: String(r.sha256),
    title: String(r.title),
    publisher: str(r.publisher),
    language: String(r.language),
    url: str(r.url),
    retrievedAt: str(r.retrievedAt),
    published: json<FuzzyDate | null>(r.publishedJson, null),
    reliability: str(r.reliability),
    sensitivity: String(r.sensitivity),
    notes: str(r.notes),
    dataset: str(r.dataset),
    publishedVia: ((r.publishedVia as Props[] | null) ?? []).map((h) => ({
      actor: String(h.actor),
      url: str(h.url),
      published: json<FuzzyDate | null>(h.publishedJson, null),
    })),
  };
}

function toBundleEntity(r: Row): BundleEntityRecord {
  return {
    id: String(r.id),
    type: String(r.type),
    name: String(r.name),
    lang: str(r.lang),
    aliases: json(r.aliasesJson, []),
    identifiers: json(r.identifiersJson, []),
    description: str(r.description),
    sensitivity: String(r.sensitivity),
    date: json<FuzzyDate | null>(r.dateJson, null),
    endDate: json<FuzzyDate | null>(r.endDateJson, null),
    facilityKind: str(r.facilityKind),
    names: maps(r.names).map((g) => ({
      kind: String(g.kind),
      value: String(g.value),
      qualifier: String(g.qualifier),
      claim: String(g.claim),
    })),
  };
}

function toBundleFigure(f: Props | null): BundleClaimRecord['figure'] {
  if (!f) return null;
  return {
    measure: String(f.measure),
    value: num(f.value),
    min: num(f.min),
    max: num(f.max),
    qualifier: String(f.qualifier),
    unit: String(f.unit),
    subgroup: str(f.subgroup),
    text: str(f.text),
    duration: str(f.duration),
    sex: str(f.sex),
    ageGroup: str(f.ageGroup),
    category: str(f.category),
    periodStart: json<FuzzyDate | null>(f.periodStartJson, null),
    periodEnd: json<FuzzyDate | null>(f.periodEndJson, null),
    asOf: json<FuzzyDate | null>(f.asOfJson, null),
    sensitivity: String(f.sensitivity),
    shareOf: str(f.shareOf),
    during: str(f.during),
  };
}

function toBundleClaim(r: Row): BundleClaimRecord {
  return {
    id: String(r.id),
    fact: str(r.fact),
    slot: str(r.slot),
    kind: String(r.kind),
    summary: String(r.summary),
    property: String(r.property),
    role: str(r.role),
    value: json<unknown>(r.valueJson, null),
    status: str(r.status),
    statusReason: str(r.statusReason),
    statusChangedAt: str(r.statusChangedAt),
    statusChangedBy: str(r.statusChangedBy),
    confidence: num(r.confidence),
    sensitivity: String(r.sensitivity),
    recordedBy: String(r.recordedBy),
    recordedAt: String(r.recordedAt),
    subject: String(r.subject),
    object: str(r.object),
    quotes: maps(r.quotes).map((x) => ({
      source: String(x.source),
      exact: String(x.exact),
      start: Number(x.start),
      end: Number(x.end),
    })),
    attributedTo: strs(r.attributedTo),
    figure: toBundleFigure(r.figure as Props | null),
    position: str(r.position),
    periodStart: json<FuzzyDate | null>(r.periodStartJson, null),
    periodEnd: json<FuzzyDate | null>(r.periodEndJson, null),
    attribution: maps(r.attribution).map((h) => {
      const q = h.quote as Props | null;
      return {
        actor: String(h.actor),
        capacity: str(h.capacity),
        quote: q
          ? { source: String(q.source), exact: String(q.exact), start: Number(q.start), end: Number(q.end) }
          : null,
      };
    }),
  };
}

/** Every page of a bundle statement, in one transaction; the cursor is the last id of the page before. */
async function allPages<P extends qb.BundlePageParams, T>(
  tx: Tx,
  stmt: Statement<P>,
  decode: (row: Row) => T,
  limit: number,
  params: Omit<P, keyof qb.BundlePageParams> = {} as Omit<P, keyof qb.BundlePageParams>,
): Promise<T[]> {
  const found: T[] = [];
  let after = '';
  for (;;) {
    const page = await tx.run(stmt, { ...params, after, limit } as P);
    found.push(...page.map(decode));
    if (page.length < limit) return found;
    after = String(page[page.length - 1]!.id);
  }
}

/** What the bundle export writes, read in one transaction as the store was at one moment (readConsistently). */
export async function bundleRecords(executor: Executor): Promise<BundleRecords> {
  const none = () => Promise.resolve(null);
  return (await readConsistently(executor, 'export.bundle', 'the bundle', readBundleRecords, none)).first;
}

/** What the bundle export writes, read in the caller's transaction (the backup reads the store beside it). */
export async function readBundleRecords(tx: Tx): Promise<BundleRecords> {
  return {
    sources: await allPages(tx, qb.exportSources, toBundleSource, BUNDLE_PAGE.sources),
    actors: await allPages(tx, qb.exportEntities, toBundleEntity, BUNDLE_PAGE.rows, { kind: 'Actor' }),
    places: await allPages(tx, qb.exportEntities, toBundleEntity, BUNDLE_PAGE.rows, { kind: 'Place' }),
    events: await allPages(tx, qb.exportEntities, toBundleEntity, BUNDLE_PAGE.rows, { kind: 'Event' }),
    claims: await allPages(tx, qb.exportClaims, toBundleClaim, BUNDLE_PAGE.rows),
    relations: (await tx.run(qb.exportRelations, { types: RELATION_TYPES })).map((r) => ({
      type: String(r.type),
      fromId: String(r.fromId),
      toId: String(r.toId),
      role: str(r.role),
      claimIds: strs(r.claimIds),
      position: str(r.position),
    })),
  };
}
