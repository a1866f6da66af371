import type { Executor } from '../graph/executor.js';
import { readBackup, restoreStore } from '../graph/stores/backup.js';
import { bundleFromRows, writeBundleJson } from '../io/bundle/export.js';
import type { ResolvedBundle } from '../io/bundle/resolve.js';
import type { Logger } from '../logger.js';
import { SENSITIVITIES } from '../model/enums.js';
import type { BundleRecords } from '../model/export-records.js';
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

/** Reads the records and the store in one transaction and writes the backup bundle. */
export async function writeBackup(
  executor: Executor,
  out: NodeJS.WritableStream,
): Promise<{ records: BundleRecords; doc: Record<string, unknown>; store: StoreDump }> {
  const { records, store } = await readBackup(executor);
  const doc = bundleFromRows(records, executor.visible, store);
  await writeBundleJson(doc, out);
  return { records, doc, store };
}

/** Restores a resolved backup (validated whole: readable part and store section) into an empty store. */
export async function restoreBackup(
  executor: Executor,
  resolved: ResolvedBundle & { store: StoreDump },
  opts: { onProgress?: (done: number, total: number) => void; logger?: Logger; file?: string } = {},
): Promise<Record<string, number>> {
  const started = performance.now();
  const written = await restoreStore(executor, resolved.store, opts.onProgress);
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
