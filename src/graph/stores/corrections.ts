import type { FuzzyDate } from '../../model/fuzzy-date.js';
import type { RelationType } from '../../model/graph-model.js';
import type { ClaimValue, FigureRow, PublicationHopRow, SourceRow } from '../../model/rows.js';
import type { Executor, Tx } from '../executor.js';
import * as q from '../queries/corrections.js';
import { figureParams, publicationHopParams, sourceParams } from './properties.js';
import { json, num, str } from '../values.js';

/**
 * Reads and writes of the corrections (publishedVia, updateSource, amendClaim): rows decoded into typed
 * records here, so the service never sees raw rows.
 */

type Props = Record<string, unknown>;

function hop(h: Props): PublicationHopRow {
  return {
    actorId: String(h.actorId),
    url: str(h.url),
    published: json<FuzzyDate | null>(h.publishedJson, null),
  };
}

/** Each source's chain through outlets the caller may see, nearest to the reader first. */
export async function publishedViaOf(
  executor: Executor,
  ids: string[],
): Promise<Map<string, PublicationHopRow[]>> {
  const rows = await executor.read(q.publishedViaOf, { ids });
  return new Map(rows.map((r) => [String(r.id), (r.hops as Props[]).map(hop)] as const));
}

/** A source's metadata at one earlier version, as updateSource kept it. */
export interface SourceVersionRecord {
  version: number;
  changedAt: string;
  changedBy: string;
  reason: string;
  title: string;
  language: string;
  url: string | null;
  retrievedAt: string | null;
  published: FuzzyDate | null;
  reliability: string;
  notes: string | null;
  /** Not yet checked against the caller's clearance. */
  publisherId: string | null;
  /** Not yet checked against the caller's clearance. */
  publishedVia: PublicationHopRow[];
}

export async function sourceHistory(
  executor: Executor,
  ids: string[],
): Promise<Map<string, SourceVersionRecord[]>> {
  const rows = await executor.read(q.sourceHistory, { ids });
  return new Map(
    rows.map((r) => [
      String(r.id),
      (r.versions as Props[]).map((v) => ({
        version: num(v.version) ?? 1,
        changedAt: String(v.changedAt),
        changedBy: String(v.changedBy),
        reason: String(v.reason),
        title: String(v.title),
        language: String(v.language),
        url: str(v.url),
        retrievedAt: str(v.retrievedAt),
        published: json<FuzzyDate | null>(v.publishedJson, null),
        reliability: String(v.reliability ?? 'unknown'),
        notes: str(v.notes),
        publisherId: str(v.publisherId),
        publishedVia: json<PublicationHopRow[]>(v.publishedViaJson, []),
      })),
    ]),
  );
}

/** What a claim asserted at one earlier version, as amendClaim kept it. */
export interface ClaimVersionRecord {
  version: number;
  amendedAt: string;
  amendedBy: string;
  reason: string;
  /** The claim's summary and ClaimValue fields then. */
  claim: ClaimValue & { summary: string };
  /** The figure's values then (figure claims). */
  figure: FigureSnapshot | null;
}

/** A figure's values (its ids and links apart), as a ClaimVersion keeps them. */
export type FigureSnapshot = Omit<FigureRow, 'id' | 'claimId' | 'subjectId' | 'sensitivity'>;

export async function claimHistory(
  executor: Executor,
  ids: string[],
): Promise<Map<string, ClaimVersionRecord[]>> {
  const rows = await executor.read(q.claimHistory, { ids });
  return new Map(
    rows.map((r) => [
      String(r.id),
      (r.versions as Props[]).map((v) => ({
        version: num(v.version) ?? 1,
        amendedAt: String(v.amendedAt),
        amendedBy: String(v.amendedBy),
        reason: String(v.reason),
        claim: json<ClaimValue & { summary: string }>(v.claimJson, null as never),
        figure: json<FigureSnapshot | null>(v.figureJson, null),
      })),
    ]),
  );
}

/** A source's metadata as updateSource reads it under the lock (its chain whole, hidden outlets too). */
export interface LockedSource {
  /** The version after the lock's increment: the stored version was one less. */
  version: number;
  title: string;
  language: string;
  url: string | null;
  retrievedAt: string | null;
  published: FuzzyDate | null;
  reliability: string;
  notes: string | null;
  publisherId: string | null;
  publishedVia: PublicationHopRow[];
  /** Whether the publisher is one the caller may not see (updateSource keeps it unless replaced). */
  publisherHidden: boolean;
  /** Positions (0-based) in publishedVia of the outlets the caller may not see (kept where they are). */
  hiddenHops: number[];
}

/** Locks the source (next version); null when absent or hidden from the caller (nothing written). */
export async function lockSource(tx: Tx, id: string): Promise<LockedSource | null> {
  const [row] = await tx.run(q.lockSource, { id });
  if (!row) return null;
  const p = row.props as Props;
  return {
    version: num(p.version) ?? 1,
    title: String(p.title),
    language: String(p.language),
    url: str(p.url),
    retrievedAt: str(p.retrievedAt),
    published: json<FuzzyDate | null>(p.publishedJson, null),
    reliability: String(p.reliability ?? 'unknown'),
    notes: str(p.notes),
    publisherId: str(row.publisherId),
    publishedVia: (row.hops as Props[]).map(hop),
    publisherHidden: row.publisherHidden === true,
    hiddenHops: (row.hops as Props[]).flatMap((h, i) => (h.hidden === true ? [i] : [])),
  };
}

/** Keeps `before` as version `version` and writes `next` (a source row without its text). */
export async function updateSource(
  tx: Tx,
  next: SourceRow,
  before: LockedSource & { version: number },
  by: { changedBy: string; reason: string },
): Promise<void> {
  const { publishedVia: _pv, ...r } = sourceParams(next);
  await tx.run(q.updateSource, {
    r: { ...r, publishedVia: publicationHopParams(next.publishedVia ?? []) },
    v: {
      id: `${next.id}@${before.version}`,
      version: before.version,
      ...by,
      title: before.title,
      language: before.language,
      url: before.url,
      retrievedAt: before.retrievedAt,
      publishedJson: before.published ? JSON.stringify(before.published) : null,
      reliability: before.reliability,
      notes: before.notes,
      publisherId: before.publisherId,
      publishedViaJson: JSON.stringify(before.publishedVia),
    },
  });
}

/** A claim as amendClaim reads it under the lock. */
export interface LockedClaim {
  /** The version after the lock's increment. */
  version: number;
  sensitivity: string;
  claim: Props;
  figure: Props | null;
}

export async function lockClaim(tx: Tx, id: string): Promise<LockedClaim | null> {
  const [row] = await tx.run(q.lockClaim, { id });
  if (!row) return null;
  const claim = row.claim as Props;
  return {
    version: num(claim.version) ?? 1,
    sensitivity: String(row.sensitivity),
    claim,
    figure: (row.figure as Props | null) ?? null,
  };
}

export async function amendClaim(
  tx: Tx,
  p: {
    id: string;
    version: ClaimVersionRecord['version'];
    amendedBy: string;
    reason: string;
    before: { claim: ClaimValue & { summary: string }; figure: FigureSnapshot | null };
    next: ClaimValue & {
      summary: string;
      assertion: string;
      position?: string | null;
      periodStartJson?: string | null;
      periodEndJson?: string | null;
    };
    figure: FigureRow | null;
  },
): Promise<string> {
  const [row] = await tx.run(q.amendClaim, {
    id: p.id,
    v: {
      id: `${p.id}@${p.version}`,
      version: p.version,
      amendedBy: p.amendedBy,
      reason: p.reason,
      claimJson: JSON.stringify(p.before.claim),
      figureJson: p.before.figure ? JSON.stringify(p.before.figure) : null,
    },
    c: { position: null, periodStartJson: null, periodEndJson: null, ...p.next, ...periodBounds(p.next) },
    f: p.figure ? figureParams(p.figure) : null,
  });
  return String(row!.amendedAt);
}

/** A relation claim's period bounds for range filters, from its dates as JSON (as claimParams flattens them). */
function periodBounds(c: { periodStartJson?: string | null; periodEndJson?: string | null }) {
  const start = c.periodStartJson ? (JSON.parse(c.periodStartJson) as FuzzyDate) : null;
  const end = c.periodEndJson ? (JSON.parse(c.periodEndJson) as FuzzyDate) : null;
  return { periodEarliest: start?.earliest ?? null, periodLatest: end?.latest ?? start?.latest ?? null };
}

/** Takes a claim off a relationship (kept, with the claim among its former ones); its claim ids after. */
export async function leaveRelation(
  tx: Tx,
  r: { type: RelationType; relId: string; fromId: string; toId: string; claimId: string },
): Promise<string[]> {
  const [row] = await tx.run(q.leaveRelation[r.type], r);
  return (row?.claimIds as string[]) ?? [];
}
