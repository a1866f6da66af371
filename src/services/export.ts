import { badInput } from '../errors.js';
import { readBackup } from '../graph/stores/backup.js';
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
import { seesEverything } from './backup.js';

/**
 * Exports of the whole graph to other human-rights tooling: FollowTheMoney NDJSON, ACLED-style CSV,
 * PROV-JSON and GraphML (formats in src/io/export). The graph is read in pages with keyset cursors, each
 * page one named statement (src/graph/stores/export.ts); output is streamed to `out` with backpressure and
 * never held whole. What the executor's clearance hides is absent from every format (an executor from
 * `forRequest(id, ['public'])` exports public records only; the base executor everything). The stream is
 * not ended here: the caller owns it (it may be stdout). `beforeWrite`, when given, runs once the graph
 * has answered and before the first byte is written, with the counts about to be exported (GET /export
 * audits there: nothing leaves before its record exists); if it throws, nothing is written.
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
    /** Runs before the first byte, with the records counted per kind (see above). */
    beforeWrite?: (counts: Record<string, number>) => Promise<void>;
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
  await opts?.beforeWrite?.(Object.fromEntries(writer.counted.map((k) => [k, counts[k]])));
  return writer.write(reader, new Sink(out), new Progress(total, opts?.onProgress));
}

/**
 * Writes the graph, as the executor's clearance sees it, as one hrkg-bundle/1 JSON document. Read in
 * one transaction (a consistent view, bounded by NEO4J_TX_TIMEOUT_MS), written to the stream after it.
 * With full clearance it is a backup (src/services/backup.ts): the readable records plus the `store`
 * section, restored whole by `kg import`; with less, a redacted share of what that clearance sees.
 * `beforeWrite` runs between the read and the first byte, with the counts (as exportGraph's).
 */
export async function exportBundle(
  executor: Executor,
  out: NodeJS.WritableStream,
  opts?: { beforeWrite?: (counts: Record<string, number>) => Promise<void> },
): Promise<{ counts: Record<string, number> }> {
  const { records, store } = seesEverything(executor)
    ? await readBackup(executor)
    : { records: await bundleRecords(executor), store: undefined };
  const doc = bundleFromRows(records, executor.visible, store);
  const counts = {
    ...(store && { nodes: store.nodes.length, relationships: store.relationships.length }),
    sources: records.sources.length,
    actors: records.actors.length,
    places: records.places.length,
    events: records.events.length,
    claims: records.claims.length,
    links: Array.isArray(doc.links) ? doc.links.length : 0,
  };
  await opts?.beforeWrite?.(counts);
  await writeBundleJson(doc, out);
  return { counts };
}
