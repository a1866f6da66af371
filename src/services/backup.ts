import type { Executor } from '../graph/executor.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Tx } from '../graph/executor.js';
import { restoreStore } from '../graph/stores/backup.js';
import { readBundleRecords } from '../graph/stores/export-bundle.js';
import { bundleFromRows } from '../io/bundle/export.js';
import type { ResolvedBundle } from '../io/bundle/resolve.js';
import type { Logger } from '../logger.js';
import { SENSITIVITIES } from '../model/enums.js';
import type { StoreDump } from '../model/store.js';

/**
 * The backup: `kg export --format bundle` with full clearance writes the readable records AND a `store`
 * section holding every node and relationship of the store (src/model/store.ts says what is left out and
 * why); `kg import` of such a bundle restores it, only into an empty store, adding nothing of its own, so
 * that the restored store is the backed-up one (audit trail included) and exports the same bytes.
 */

/** Whether the executor sees everything: only then is a bundle export a backup (else a redacted share). */
export function seesEverything(executor: Executor): boolean {
  return SENSITIVITIES.every((s) => executor.visible.includes(s));
}

/** The JSON path of the first difference between two JSON values, or null when they are equal. */
function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return JSON.stringify(a) === JSON.stringify(b) ? null : at || '(document)';
  if (Array.isArray(a) !== Array.isArray(b)) return at || '(document)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  if (Array.isArray(a) && (a as unknown[]).length !== (b as unknown[]).length) return `${at}.length`;
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k,
    );
    if (d) return d;
  }
  return null;
}

/** Restores a resolved backup (validated whole: readable part and store section) into an empty store. */
export async function restoreBackup(
  executor: Executor,
  resolved: ResolvedBundle & { store: StoreDump },
  opts: { onProgress?: (done: number, total: number) => void; logger?: Logger; file?: string } = {},
): Promise<Record<string, number>> {
  const started = performance.now();
  // Before commit, the restored store must export exactly the readable part of the file: a store section
  // that says other than its readable part (edited, or made by hand) is refused, nothing written.
  const verify = async (tx: Tx) => {
    const { store: _s, ...restored } = bundleFromRows(
      await readBundleRecords(tx),
      SENSITIVITIES,
      resolved.store,
    );
    const mismatch = firstDifference(restored, resolved.readable ?? {});
    if (mismatch)
      throw new AppError(
        ErrorCode.INVALID_BUNDLE,
        `The store section does not hold what the backup's readable part says (first difference at ${mismatch}): nothing was written`,
        { problems: [{ path: mismatch, message: 'differs from the store section' }] },
      );
  };
  const written = await restoreStore(executor, resolved.store, opts.onProgress, verify);
  const kinds = (k: string) => resolved.entities.filter((e) => e.kind === k).length;
  const counts = {
    sources: resolved.sources.length,
    actors: kinds('Actor'),
    places: kinds('Place'),
    events: kinds('Event'),
    claims: resolved.claims.length,
    excerpts: resolved.excerpts.length,
    nodes: written.nodes,
    relationships: written.relationships,
  };
  opts.logger?.info(
    { file: opts.file, ...counts, ms: Math.round(performance.now() - started) },
    'backup restored',
  );
  return counts;
}
