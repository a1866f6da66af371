import { RELATION_TYPES } from '../../model/graph-model.js';
import type { Problem, RecordSet } from '../../model/rows.js';
import type { Executor, Tx } from '../executor.js';
import * as names from '../queries/names.js';
import * as q from '../queries/import.js';
import { refreshEventPlaces } from './event-places.js';
import { claimParams, entityParams, figureParams, sourceParams } from './properties.js';
import { appendAudit } from '../queries/audit.js';
import { randomUUID } from 'node:crypto';

const BATCH = 2_000;

export interface BundleWriteCounts {
  sources: number;
  entities: number;
  excerpts: number;
  claims: number;
  figures: number;
  relations: number;
  /** Claims of earlier releases of a dataset that this load's claims superseded. */
  superseded: number;
}

/** Records a (re)load did not fully apply to, so that nothing done through the API since is undone. */
export interface KeptRecords {
  /** Changed through the API since they were loaded (version past 1): the bundle's values were not applied. */
  changedSince: string[];
  /** Stored with a stricter sensitivity than the bundle gives: the stricter one was kept. */
  stricterKept: string[];
}

export type BundleWriteResult =
  | { written: true; counts: BundleWriteCounts; kept: KeptRecords }
  /** What in the rows clashes with the stored graph; nothing was written. */
  | { written: false; clashes: Problem[] };

export interface BundleWriteOptions {
  /** Runs inside the transaction after every write and before commit (fault injection in tests). */
  beforeCommit?: (tx: Tx) => Promise<void>;
}

async function runBatched(
  tx: Tx,
  stmt: Parameters<Tx['run']>[0],
  rows: Record<string, unknown>[],
  kept?: KeptRecords,
) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const out = await tx.run(stmt, { rows: rows.slice(i, i + BATCH) });
    if (!kept) continue;
    for (const row of out) {
      if (typeof row.changedSince === 'string') kept.changedSince.push(row.changedSince);
      if (typeof row.stricterKept === 'string') kept.stricterKept.push(row.stricterKept);
    }
  }
}

/** Has a bundle with this content hash been loaded already? */
export async function bundleLoaded(executor: Executor, sha256: string): Promise<boolean> {
  return (await executor.read(q.findBundleLoad, { sha256 })).length > 0;
}

/** Evidence is never changed in place: stored claims, figures and source texts the rows would change. */
async function evidenceChanges(tx: Tx, b: RecordSet): Promise<Problem[]> {
  const at = <T extends { id: string }>(list: T[]) => {
    const index = new Map(list.map((x, i) => [x.id, i]));
    return (id: unknown) => index.get(String(id)) ?? -1;
  };
  const texts = await tx.run(q.findSourceTextChanges, {
    rows: b.sources.map((s) => ({ id: s.id, sha256: s.sha256 })),
  });
  const claims: Record<string, unknown>[] = [];
  for (let i = 0; i < b.claims.length; i += BATCH)
    claims.push(
      ...(await tx.run(q.findClaimChanges, { rows: b.claims.slice(i, i + BATCH).map(claimParams) })),
    );
  const figures: Record<string, unknown>[] = [];
  for (let i = 0; i < b.figures.length; i += BATCH)
    figures.push(
      ...(await tx.run(q.findFigureChanges, { rows: b.figures.slice(i, i + BATCH).map(figureParams) })),
    );
  const source = at(b.sources);
  const claim = at(b.claims);
  const fields = (row: Record<string, unknown>) => (row.fields as string[]).join(', ');
  return [
    ...texts.map((t) => ({
      path: `sources[${source(t.id)}]`,
      message: `${String(t.id)} already holds another text (sha256 differs): a source's text never changes; give the new text its own id`,
    })),
    ...claims.map((c) => ({
      path: `claims[${claim(c.id)}]`,
      message: `${String(c.id)} is already recorded with another ${fields(c)}: evidence is never changed in place; give the new claim its own id (or dispute or retract the old one through the API)`,
    })),
    ...figures.map((f) => ({
      path: `figures(${String(f.id)})`,
      message: `figure ${String(f.id)} is already recorded with another ${fields(f)}: evidence is never changed in place; give the claim its own id`,
    })),
  ];
}

/** Rows that clash with the stored graph: known text under a new id, entities merged away, changed evidence. */
async function clashesOf(tx: Tx, b: RecordSet): Promise<Problem[]> {
  // The same text twice is one source: refuse a record set that gives known text a new id.
  const clashes = await tx.run(q.findSourcesByHash, {
    rows: b.sources.map((s) => ({ id: s.id, sha256: s.sha256 })),
  });
  const merged = await tx.run(q.findMergedEntities, { ids: b.entities.map((e) => e.id) });
  return [
    ...(await evidenceChanges(tx, b)),
    ...clashes.map((c) => ({
      path: `sources[${b.sources.findIndex((s) => s.id === c.bundleId)}]`,
      message: `this text is already in the graph as ${String(c.existingId)}; use that id`,
    })),
    ...merged.map((m) => ({
      path: `entities(${String(m.id)})`,
      message: `${String(m.id)} was merged into ${String(m.mergedInto)}; refer to that id (or undo the merge first)`,
    })),
  ];
}

/** Every row, kind by kind, in UNWIND batches; what a (re)load did not apply is noted in `kept`. */
async function writeRows(tx: Tx, b: RecordSet, kept: KeptRecords): Promise<void> {
  const recordedAt = b.recordedAt;
  await runBatched(
    tx,
    q.upsertEntities,
    b.entities.map((e) => ({ ...entityParams(e), recordedAt })),
    kept,
  );
  await runBatched(
    tx,
    q.upsertSources,
    b.sources.map((s) => ({ ...sourceParams(s), recordedAt })),
    kept,
  );
  await runBatched(tx, q.upsertExcerpts, b.excerpts as unknown as Record<string, unknown>[]);
  await runBatched(tx, q.upsertClaims, b.claims.map(claimParams), kept);
  const figureRows = b.figures.map(figureParams);
  await runBatched(tx, q.upsertFigures, figureRows, kept);
  await runBatched(tx, q.linkFigures, figureRows);
  // An amended claim stays on the relationship of its current role and post (amendClaim moved it there).
  const amended = await amendedClaimsOf(tx, [...new Set(b.relations.flatMap((r) => r.claimIds))]);
  const placeLinked = await newPlaceLinks(tx, b);
  for (const type of RELATION_TYPES) {
    const rows = b.relations
      .filter((r) => r.type === type)
      .map((r) => ({ ...r, claimIds: r.claimIds.filter((id) => !amended.has(id)) }))
      .filter((r) => r.claimIds.length > 0);
    if (rows.length)
      await runBatched(tx, q.upsertRelations[type], rows as unknown as Record<string, unknown>[]);
  }
  await runBatched(tx, names.upsertNames, (b.names ?? []) as unknown as Record<string, unknown>[]);
  // The place and actor rows of the events loaded (their dates), of the events below a place link this
  // load created and of the events of an involvement it created: a link the store already held (every
  // ACLED file restates its admin chain) changes none.
  await refreshEventPlaces(tx, [
    ...b.entities.filter((e) => e.kind === 'Event').map((e) => e.id),
    ...placeLinked,
  ]);
}

/**
 * What the load's new links (OCCURRED_IN, PART_OF, INVOLVED_IN: those the store does not hold yet) change
 * the rows of: a place link's start (an event, or a place and the events below it), an involvement's event.
 */
async function newPlaceLinks(tx: Tx, b: RecordSet): Promise<string[]> {
  const rows = b.relations
    .filter((r) => r.type === 'OCCURRED_IN' || r.type === 'PART_OF' || r.type === 'INVOLVED_IN')
    .map((r) => ({ id: r.id, nodeId: r.type === 'INVOLVED_IN' ? r.toId : r.fromId }));
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += BATCH)
    for (const r of await tx.run(q.storedPlaceLinks, { rows: rows.slice(i, i + BATCH) }))
      stored.add(String(r.id));
  return rows.filter((r) => !stored.has(r.id)).map((r) => r.nodeId);
}

async function amendedClaimsOf(tx: Tx, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += BATCH)
    for (const r of await tx.run(q.amendedClaims, { ids: ids.slice(i, i + BATCH) })) out.add(String(r.id));
  return out;
}

/** The ids of the record set's slotted claims that are stored already (before this load writes). */
async function storedSlottedClaims(tx: Tx, b: RecordSet): Promise<Set<string>> {
  const ids = b.claims.filter((c) => c.slot).map((c) => c.id);
  const stored = new Set<string>();
  for (let i = 0; i < ids.length; i += BATCH)
    for (const r of await tx.run(q.findStoredClaims, { ids: ids.slice(i, i + BATCH) }))
      stored.add(String(r.id));
  return stored;
}

/**
 * Links each slotted claim this load made to the earlier releases' claims it supersedes; how many it
 * superseded. A claim that was stored before (the same file imported again, or an older release imported
 * after a newer one's claims exist) supersedes nothing: only what a load adds can supersede.
 */
async function supersede(tx: Tx, b: RecordSet, stored: Set<string>): Promise<number> {
  const sourceOf = new Map(b.excerpts.map((e) => [e.id, e.sourceId]));
  const rows = b.claims
    .filter((c) => c.slot && !stored.has(c.id))
    .map((c) => ({
      id: c.id,
      slot: c.slot,
      assertion: claimParams(c).assertion,
      sourceId: sourceOf.get(c.excerptIds[0] ?? '') ?? null,
    }));
  let n = 0;
  for (let i = 0; i < rows.length; i += BATCH)
    n += (
      await tx.run(q.supersede, {
        rows: rows.slice(i, i + BATCH),
        loadSources: b.sources.map((s) => s.id),
      })
    ).length;
  return n;
}

/**
 * Writes a record set in ONE transaction: every row or none. Batched with UNWIND so the number of
 * round trips grows with the number of row kinds, not rows. Rows that clash with the stored graph (known
 * text under a new id, an entity merged away) are returned, not written; the caller refuses them.
 */
export async function writeBundle(
  executor: Executor,
  b: RecordSet,
  bundleSha256: string,
  opts: BundleWriteOptions = {},
): Promise<BundleWriteResult> {
  const kept: KeptRecords = { changedSince: [], stricterKept: [] };
  const counts: BundleWriteCounts = {
    sources: b.sources.length,
    entities: b.entities.length,
    excerpts: b.excerpts.length,
    claims: b.claims.length,
    figures: b.figures.length,
    relations: b.relations.length,
    superseded: 0,
  };
  return executor.writeTx('import.write', async (tx): Promise<BundleWriteResult> => {
    const clashes = await clashesOf(tx, b);
    if (clashes.length) return { written: false, clashes };
    const stored = await storedSlottedClaims(tx, b);
    await writeRows(tx, b, kept);
    counts.superseded = await supersede(tx, b, stored);
    await tx.run(q.recordBundleLoad, {
      sha256: bundleSha256,
      recordedBy: b.recordedBy,
      counts: JSON.stringify(counts),
    });
    // Loading is a change like any other: audited in the same transaction (ids of the sources; counts).
    await tx.run(appendAudit, {
      id: `audit-${randomUUID()}`,
      operation: 'loadBundle',
      actor: `${b.recordedBy} (bundle loader)`,
      role: 'admin',
      keyId: null,
      inputDigest: bundleSha256,
      affectedIds: b.sources.map((s) => s.id),
      changesJson: JSON.stringify([
        { id: `bundle-${bundleSha256.slice(0, 16)}`, before: null, after: { ...counts, kept } },
      ]),
      requestId: null,
      clientRequestId: null,
    });
    await opts.beforeCommit?.(tx);
    return { written: true, counts, kept };
  });
}
