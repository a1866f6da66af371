import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import {
  bundleLoaded,
  writeBundle,
  type BundleWriteCounts,
  type BundleWriteOptions,
  type KeptRecords,
} from '../graph/stores/import.js';
import { BundleError, loadBundleFile, type ResolvedBundle } from '../io/bundle/resolve.js';
import { acledToBundle } from '../io/import/acled.js';
import { restoreBackup } from './backup.js';
import { evidenceText, sortProblems, type ImportSkip, type LineMap } from '../io/import/common.js';
import { ftmToBundle } from '../io/import/ftm.js';
import { resolveReusing, type ReusedRecord } from './import-reuse.js';
import type { Logger } from '../logger.js';
import type { Problem, RecordSet } from '../model/rows.js';
import { dataDir } from '../paths.js';

/**
 * Imports (the `kg` CLI calls these). Every import becomes a resolved
 * hrkg-bundle/1 (an FtM or ACLED file reusing the stored records it names, services/import-reuse.ts) and
 * goes through the bundle loader: the whole file is validated first (every problem
 * reported, by line for NDJSON and CSV), then written in one audited transaction with UNWIND batches;
 * ids are deterministic, so importing a file again changes nothing. An import never changes a stored
 * claim's value, status or evidence (graph/stores/import.ts refuses it); a newer release of a dataset
 * supersedes (graph/queries/import.ts supersede).
 */

export type ImportFormat = 'bundle' | 'ftm' | 'acled';

export interface ImportOptions {
  /** Who is importing (FtM and ACLED; a bundle names its own curator). Default "hrkg import". */
  recordedBy?: string;
  /** The dataset an FtM or ACLED file is a release of (ACLED default "acled"); see ConvertOptions.dataset. */
  dataset?: string;
  onProgress?: (done: number, total: number) => void;
  /** Logs a restore (a bundle with a store section). */
  logger?: Logger;
}

const CONVERTERS = { ftm: ftmToBundle, acled: acledToBundle } as const;

export async function importFile(
  executor: Executor,
  file: string,
  format: ImportFormat,
  opts: ImportOptions = {},
): Promise<{ counts: Record<string, number>; sha256: string; kept: KeptRecords; skipped: ImportSkip[] }> {
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let resolved: ResolvedBundle;
  let lines: LineMap | undefined;
  let total: number;
  let skipped: ImportSkip[] = [];
  let reused = 0;

  if (format === 'bundle') {
    resolved = await loadBundleFile(file);
    // A backup (a full export with its store section) is a restore, into an empty store only.
    if (resolved.store) {
      const store = resolved.store;
      const counts = await restoreBackup(executor, { ...resolved, store }, { ...opts, file });
      return { counts, sha256, kept: { changedSince: [], stricterKept: [] }, skipped };
    }
    total = resolved.sources.length + resolved.entities.length + resolved.claims.length;
    opts.onProgress?.(0, total);
  } else {
    const text = evidenceText(bytes, format === 'ftm' ? 'FollowTheMoney NDJSON' : 'ACLED CSV');
    const plan = CONVERTERS[format](text, {
      file,
      sha256,
      recordedBy: opts.recordedBy ?? 'hrkg import',
      recordedAt: new Date().toISOString(),
      dataset: opts.dataset,
      onProgress: opts.onProgress,
    });
    lines = plan.lines;
    total = plan.records;
    skipped = plan.skipped ?? [];
    // The loader checks what reading the file could not (ids, enums, dates, quotes); its problems are
    // reported by line too, together with the reader's, so one run lists them all.
    let loaderProblems: Problem[] = [];
    let result: (ResolvedBundle & { reused: ReusedRecord[] }) | undefined;
    try {
      // Stored records the file names (Syria by its ISO code, a place by name and parent) are reused.
      result = await resolveReusing(executor, plan.doc);
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      loaderProblems = err.problems.map((p) => plan.lines.toLine(p));
    }
    const problems = [...plan.problems, ...loaderProblems];
    if (problems.length || !result) throw new BundleError(sortProblems(problems));
    resolved = result;
    reused = result.reused.length;
  }

  // Clashes with the graph (text already stored under another id, merged entities) are reported by line.
  const { counts: written, kept } = await writeRecordSet(executor, resolved, sha256, {
    report: lines ? (clashes) => sortProblems(clashes.map((p) => lines.toLine(p))) : undefined,
  });
  opts.onProgress?.(total, total);
  const kinds = (k: string) => resolved.entities.filter((e) => e.kind === k).length;
  return {
    counts: { ...written, actors: kinds('Actor'), places: kinds('Place'), events: kinds('Event'), reused },
    sha256,
    kept,
    skipped,
  };
}

export const SAMPLE_BUNDLE = path.join(dataDir, 'sohr-2022-amnesty.bundle.yaml');

export interface BundleLoadReport {
  file: string;
  sha256: string;
  /** False when this exact bundle was loaded before and force was not given. */
  loaded: boolean;
  counts?: BundleWriteCounts;
  /** Records this load left as they were (changed through the API since, or stricter sensitivity). */
  kept?: KeptRecords;
  ms: number;
}

/**
 * Writes resolved rows in one transaction, or refuses them whole (INVALID_BUNDLE once mapped) when they
 * clash with the stored graph; `report` restates the clashes in the input's own terms (an import's lines).
 */
export async function writeRecordSet(
  executor: Executor,
  rows: RecordSet,
  sha256: string,
  opts: BundleWriteOptions & { report?: (clashes: Problem[]) => Problem[] } = {},
): Promise<{ counts: BundleWriteCounts; kept: KeptRecords }> {
  const result = await writeBundle(executor, rows, sha256, opts);
  if (!result.written) throw new BundleError(opts.report ? opts.report(result.clashes) : result.clashes);
  return { counts: result.counts, kept: result.kept };
}

/** Validates a bundle file whole, then writes it in one transaction (or reports every problem, writing nothing). */
export async function loadBundle(
  executor: Executor,
  file: string,
  opts: { force?: boolean; logger?: Logger } & BundleWriteOptions = {},
): Promise<BundleLoadReport> {
  const started = performance.now();
  const sha256 = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  if (!opts.force && (await bundleLoaded(executor, sha256))) {
    return { file, sha256, loaded: false, ms: Math.round(performance.now() - started) };
  }
  const resolved = await loadBundleFile(file);
  if (resolved.store) {
    // Loading only the readable part of a backup would lose what the store section holds (and merge two
    // histories): a backup is restored by `kg import`, into an empty store.
    throw new BundleError([
      {
        path: 'store',
        message:
          'this bundle is a backup (it has a store section): restore it with kg import FILE --format bundle into an empty store',
      },
    ]);
  }
  const { counts, kept } = await writeRecordSet(executor, resolved, sha256, opts);
  const ms = Math.round(performance.now() - started);
  opts.logger?.info({ file: path.basename(file), ...counts, ms }, 'bundle loaded');
  if (kept.changedSince.length || kept.stricterKept.length) {
    opts.logger?.warn(
      { file: path.basename(file), ...kept },
      'bundle values not applied to records changed through the API since, or stricter sensitivity kept',
    );
  }
  return { file, sha256, loaded: true, counts, kept, ms };
}

/** The bundle problems as a GraphQL error with a stable code and every problem's path. */
export function toAppError(err: unknown): unknown {
  if (err instanceof BundleError) {
    return new AppError(ErrorCode.INVALID_BUNDLE, err.message, { problems: err.problems });
  }
  return err;
}
