import { badInput } from '../errors.js';
import { exportReader } from '../graph/stores/export.js';
import { bundleRecords } from '../graph/stores/export-bundle.js';
import type { Executor } from '../graph/executor.js';
import { bundleFromRows, writeBundleJson } from '../io/bundle/export.js';
import { writeAcled, ACLED_COUNTED } from '../io/export/acled.js';
import { writeFtm, FTM_COUNTED } from '../io/export/ftm.js';
import { writeGraphml, GRAPHML_COUNTED } from '../io/export/graphml.js';
import {
  Progress,
  Sink,
  type ExportCounts,
  type ExportReader,
  type ExportResult,
} from '../io/export/index.js';
import { writeProv, PROV_COUNTED } from '../io/export/prov.js';
import { seesEverything, writeBackup } from './backup.js';

/**
 * Exports of the whole graph to other human-rights tooling: FollowTheMoney NDJSON, ACLED-style CSV,
 * PROV-JSON and GraphML (formats in src/io/export). The graph is read in pages with keyset cursors, each
 * page one named statement (src/graph/stores/export.ts); output is streamed to `out` with backpressure and
 * never held whole. What the executor's clearance hides is absent from every format (an executor from
 * `forRequest(id, ['public'])` exports public records only; the base executor everything). The stream is
 * not ended here: the caller owns it (it may be stdout).
 */

export type ExportFormat = 'ftm' | 'acled' | 'prov' | 'graphml';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['ftm', 'acled', 'prov', 'graphml'];

/**
 * Records per statement by default (the store reads fewer sources with their text, and half as many
 * entities with their relationships).
 */
const PAGE = 1000;

type Writer = (reader: ExportReader, sink: Sink, progress: Progress) => Promise<ExportResult>;

const WRITERS: Record<ExportFormat, { write: Writer; counted: readonly (keyof ExportCounts)[] }> = {
  ftm: { write: writeFtm, counted: FTM_COUNTED },
  acled: { write: writeAcled, counted: ACLED_COUNTED },
  prov: { write: writeProv, counted: PROV_COUNTED },
  graphml: { write: writeGraphml, counted: GRAPHML_COUNTED },
};

export async function exportGraph(
  executor: Executor,
  format: ExportFormat,
  out: NodeJS.WritableStream,
  opts?: {
    onProgress?: (done: number, total: number) => void;
    /** Records per statement (default 1000; sources with their text at most 20 per statement). */
    pageSize?: number;
  },
): Promise<{ records: number; skipped: { id: string; reason: string }[] }> {
  const writer = WRITERS[format];
  if (!writer)
    throw badInput(`Unknown export format ${JSON.stringify(format)}: use ${EXPORT_FORMATS.join(', ')}`);
  const pageSize = opts?.pageSize ?? PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw badInput('pageSize must be a positive integer');
  const reader = exportReader(executor, pageSize);
  const counts = await reader.counts(writer.counted);
  const total = writer.counted.reduce((n, k) => n + counts[k], 0);
  return writer.write(reader, new Sink(out), new Progress(total, opts?.onProgress));
}

/**
 * Writes the graph, as the executor's clearance sees it, as one hrkg-bundle/1 JSON document. Read in
 * one transaction (a consistent view, bounded by NEO4J_TX_TIMEOUT_MS), written to the stream after it.
 * With full clearance it is a backup (src/services/backup.ts): the readable records plus the `store`
 * section, restored whole by `kg import`; with less, a redacted share of what that clearance sees.
 */
export async function exportBundle(
  executor: Executor,
  out: NodeJS.WritableStream,
): Promise<{ counts: Record<string, number> }> {
  let records, doc;
  let store: { nodes: number; relationships: number } | undefined;
  if (seesEverything(executor)) {
    const backup = await writeBackup(executor, out);
    ({ records, doc } = backup);
    store = { nodes: backup.store.nodes.length, relationships: backup.store.relationships.length };
  } else {
    records = await bundleRecords(executor);
    doc = bundleFromRows(records, executor.visible);
    await writeBundleJson(doc, out);
  }
  return {
    counts: {
      ...store,
      sources: records.sources.length,
      actors: records.actors.length,
      places: records.places.length,
      events: records.events.length,
      claims: records.claims.length,
      links: Array.isArray(doc.links) ? doc.links.length : 0,
    },
  };
}
