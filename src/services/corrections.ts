import DataLoader from 'dataloader';
import type { ClaimAmendmentInput, SourcePatch } from '../generated/graphql.js';
import { actorLabel, clearance, type Viewer } from '../model/access.js';
import { AppError, badInput, checkId, ErrorCode, requireRole } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { runMutation } from '../graph/mutation.js';
import type { ClaimRecord, EntityRecord, SourceRecord } from '../graph/records.js';
import * as store from '../graph/stores/corrections.js';
import type { ClaimVersionRecord, LockedSource, SourceVersionRecord } from '../graph/stores/corrections.js';
import * as writeStore from '../graph/stores/write.js';
import type { Sensitivity } from '../model/enums.js';
import type { PublicationHopRow, SourceRow } from '../model/rows.js';
import type { RecordsService } from './records.js';
import { checkHopActors, checkPublishedVia } from './corrections-input.js';
import { amendClaimWork, checkAmendment } from './corrections-claim.js';
import { chainJson } from './source-differences.js';
import {
  actorAt,
  assertWellFormed,
  defined,
  fuzzy,
  type Maybe,
  notFoundAt,
  parse,
  Reason,
  SourceMeta,
} from './write-input.js';

/**
 * Corrections without loss: a source's metadata corrected (updateSource) and a claim amended (amendClaim),
 * each a new version of the same record, the earlier one kept as a version node and readable (history).
 * Reads of the chain and the histories are batched per request and checked against the caller's clearance:
 * an outlet or publisher the caller may not see is left out, as a missing one would be.
 */

/** One outlet of a chain, numbered over the visible ones. */
export interface PublicationHopView {
  hop: number;
  actorId: string;
  url: string | null;
  published: PublicationHopRow['published'];
}

export type SourceVersionView = Omit<SourceVersionRecord, 'publishedVia'> & {
  publishedVia: PublicationHopView[];
};

const numbered = (hops: PublicationHopRow[]): PublicationHopView[] =>
  hops.map((h, i) => ({ ...h, hop: i + 1 }));

export class CorrectionsService {
  private readonly publishedViaLoader: DataLoader<string, PublicationHopRow[]>;
  private readonly sourceHistoryLoader: DataLoader<string, SourceVersionRecord[]>;
  private readonly claimHistoryLoader: DataLoader<string, ClaimVersionRecord[]>;

  constructor(
    private readonly executor: Executor,
    private readonly records: RecordsService,
    private readonly viewer: Viewer,
    private readonly requestId?: string,
  ) {
    const batched = <V>(load: (e: Executor, ids: string[]) => Promise<Map<string, V[]>>) =>
      new DataLoader<string, V[]>(
        async (ids) => {
          const found = await load(this.executor, [...ids]);
          return ids.map((id) => found.get(id) ?? []);
        },
        { maxBatchSize: 1000 },
      );
    this.publishedViaLoader = batched(store.publishedViaOf);
    this.sourceHistoryLoader = batched(store.sourceHistory);
    this.claimHistoryLoader = batched(store.claimHistory);
  }

  private visible(sensitivity: string): boolean {
    return clearance(this.viewer.role).includes(sensitivity as Sensitivity);
  }

  /** A source's chain through outlets the caller may see (the statement leaves hidden ones out). */
  async publishedVia(sourceId: string): Promise<PublicationHopView[]> {
    return numbered(await this.publishedViaLoader.load(sourceId));
  }

  /** The actor, or null when it is missing or hidden from the caller. */
  private async actor(id: string | null): Promise<EntityRecord | null> {
    if (!id) return null;
    const n = await this.records.node(id);
    return n && n.__kind === 'Actor' ? n : null;
  }

  /** Earlier versions of a source's metadata, newest first; hidden publishers and outlets left out. */
  async sourceHistory(sourceId: string): Promise<SourceVersionView[]> {
    const versions = await this.sourceHistoryLoader.load(sourceId);
    return Promise.all(
      versions.map(async (v) => {
        const hops = await Promise.all(
          v.publishedVia.map(async (h) => ((await this.actor(h.actorId)) ? h : null)),
        );
        return {
          ...v,
          publisherId: (await this.actor(v.publisherId))?.id ?? null,
          publishedVia: numbered(hops.filter((h): h is PublicationHopRow => h !== null)),
        };
      }),
    );
  }

  /** Earlier versions of what a claim asserted, newest first. */
  claimHistory(claimId: string): Promise<ClaimVersionRecord[]> {
    return this.claimHistoryLoader.load(claimId);
  }

  async updateSource(
    id: string,
    version: number,
    patch: SourcePatch,
    reason: string,
    idempotencyKey?: Maybe<string>,
  ): Promise<SourceRecord> {
    requireRole(this.viewer, 'analyst', 'Correcting sources');
    assertWellFormed({ patch, reason }, []);
    checkId(id, ['id']);
    const why = parse(Reason, reason, ['reason']);
    const given = (k: keyof SourcePatch) => patch[k] !== undefined;
    if (!Object.keys(patch).some((k) => given(k as keyof SourcePatch))) {
      throw badInput('the patch changes nothing', ['patch']);
    }
    for (const k of ['title', 'language', 'reliability'] as const) {
      if (patch[k] === null) throw badInput(`patch.${k} cannot be cleared`, ['patch', k]);
    }
    const meta = parse(
      SourceMeta.partial(),
      defined({
        title: patch.title,
        language: patch.language,
        url: patch.url,
        retrievedAt: patch.retrievedAt,
        notes: patch.notes,
      }),
      ['patch'],
    );
    const published = given('published') ? fuzzy(patch.published, ['patch', 'published']) : undefined;
    if (patch.publisherId != null) checkId(patch.publisherId, ['patch', 'publisherId']);
    const hops = given('publishedVia')
      ? checkPublishedVia(patch.publishedVia, ['patch', 'publishedVia'])
      : undefined;

    const input = { id, version, patch, reason };
    const result = await runMutation(
      this.executor,
      { operation: 'updateSource', viewer: this.viewer, input, idempotencyKey, requestId: this.requestId },
      async (tx) => {
        const was = await store.lockSource(tx, id);
        // A source the caller may not see (confidential below admin) is refused as if absent.
        if (!was) throw notFoundAt('Source', id, ['id']);
        const current = was.version - 1;
        if (current !== version) {
          throw new AppError(
            ErrorCode.VERSION_CONFLICT,
            `Source ${id} is at version ${current}, not ${version}: read it again and reapply your change`,
            { id, inputPath: ['version'], currentVersion: current },
          );
        }
        const actorIds = [
          ...(patch.publisherId ? [patch.publisherId] : []),
          ...(hops ?? []).map((h) => h.actorId),
        ];
        if (actorIds.length) {
          const found = await writeStore.findNodes(tx, actorIds);
          if (patch.publisherId) actorAt(found, patch.publisherId, ['patch', 'publisherId']);
          checkHopActors(found, hops ?? [], ['patch', 'publishedVia']);
        }
        const keep = <T>(k: keyof SourcePatch, next: T | undefined, before: T): T =>
          given(k) ? (next === undefined ? (null as T) : next) : before;
        const next = {
          title: meta.title ?? was.title,
          language: meta.language ?? was.language,
          url: keep('url', meta.url ?? null, was.url),
          retrievedAt: keep('retrievedAt', meta.retrievedAt ?? null, was.retrievedAt),
          published: published === undefined ? was.published : published,
          reliability: patch.reliability ?? was.reliability,
          notes: keep('notes', meta.notes ?? null, was.notes),
          // A publisher the caller may not see stays unless the patch names another (it is in the version kept).
          publisherId:
            given('publisherId') && (patch.publisherId || !was.publisherHidden)
              ? (patch.publisherId ?? null)
              : was.publisherId,
          publishedVia: hops ? withHiddenHops(hops, was) : was.publishedVia,
        };
        const view = (s: typeof next) => ({
          ...s,
          retrievedAt: s.retrievedAt === null ? null : new Date(s.retrievedAt).toISOString(),
          published: s.published ? JSON.stringify(s.published) : null,
          publishedVia: chainJson(s.publishedVia),
        });
        // Compared as the caller sees them: what is hidden from them is neither told nor dropped.
        const a = view(seenBy(was, was));
        const b = view(seenBy(next, was));
        const changed = (Object.keys(b) as (keyof typeof b)[]).filter((k) => a[k] !== b[k]);
        if (!changed.length) throw badInput('the patch changes nothing: every field is as stored', ['patch']);
        const row: SourceRow = {
          id,
          text: '',
          sha256: '',
          length: 0,
          sensitivity: 'public',
          ...next,
        };
        await store.updateSource(
          tx,
          row,
          { ...was, version: current },
          { changedBy: actorLabel(this.viewer), reason: why },
        );
        const pick = (v: Record<string, unknown>, n: number) =>
          Object.fromEntries([...changed.map((k) => [k, v[k]]), ['version', n]]);
        return {
          result: { id },
          affectedIds: [id],
          changes: [
            {
              id,
              before: pick({ ...was, publishedVia: was.publishedVia }, current),
              after: { ...pick(next as unknown as Record<string, unknown>, current + 1), reason: why },
            },
          ],
        };
      },
    );
    return this.records.source(result.result.id);
  }

  async amendClaim(
    id: string,
    version: number,
    amendment: ClaimAmendmentInput,
    reason: string,
    idempotencyKey?: Maybe<string>,
  ): Promise<ClaimRecord> {
    requireRole(this.viewer, 'analyst', 'Amending claims');
    assertWellFormed({ amendment, reason }, []);
    checkId(id, ['id']);
    const why = parse(Reason, reason, ['reason']);
    const checked = checkAmendment(amendment);
    const input = { id, version, amendment, reason };
    const result = await runMutation(
      this.executor,
      { operation: 'amendClaim', viewer: this.viewer, input, idempotencyKey, requestId: this.requestId },
      (tx) =>
        amendClaimWork(tx, {
          id,
          version,
          checked,
          reason: why,
          by: actorLabel(this.viewer),
          visible: (s) => this.visible(s),
        }),
    );
    const [claim] = await this.records.claims([result.result.id]);
    if (!claim) throw notFoundAt('Claim', id, ['id']);
    return claim;
  }
}

/** The outlets of `given`, with the caller's hidden ones put back where they were (nearest first). */
function withHiddenHops(given: PublicationHopRow[], was: LockedSource): PublicationHopRow[] {
  const out = [...given];
  for (const i of was.hiddenHops) out.splice(Math.min(i, out.length), 0, was.publishedVia[i]!);
  return out;
}

/** A source's metadata as the caller sees it: a hidden publisher and hidden outlets left out. */
function seenBy<T extends { publisherId: string | null; publishedVia: PublicationHopRow[] }>(
  s: T,
  was: LockedSource,
): T {
  const hidden = new Set(was.hiddenHops.map((i) => was.publishedVia[i]!));
  return {
    ...s,
    publisherId: was.publisherHidden && s.publisherId === was.publisherId ? null : s.publisherId,
    publishedVia: s.publishedVia.filter((h) => !hidden.has(h)),
  };
}
