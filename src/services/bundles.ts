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
} from '../graph/stores/bundle-store.js';
import { BundleError, loadBundleFile } from '../io/bundle/resolve.js';
import type { Logger } from '../logger.js';
import { dataDir } from '../paths.js';
import type { Problem, RecordSet } from '../model/rows.js';

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

/** Validates a bundle file whole, then writes it in one transaction (or reports every problem, writing nothing). */
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
