import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Executor, Row, Statement } from '../graph/executor.js';
import * as q from '../graph/queries/bundle-export.js';
import type { KeptRecords } from '../graph/stores/bundle-store.js';
import { writeRecordSet } from './bundles.js';
import { RELATION_TYPES } from '../model/graph-model.js';
import { bundleFromRows, writeBundleJson, type ExportRows } from '../io/bundle/export.js';
import {
  BundleError,
  loadBundleFile,
  resolveBundle,
  type Problem,
  type ResolvedBundle,
} from '../io/bundle/resolve.js';
import { acledToBundle } from '../io/import/acled.js';
import { evidenceText, noFiles, sortProblems, type LineMap } from '../io/import/common.js';
import { ftmToBundle } from '../io/import/ftm.js';

/**
 * Imports and the lossless export (the `kg` CLI calls these). Every import becomes a resolved
 * hrkg-bundle/1 and goes through the bundle loader: the whole file is validated first (every problem
 * reported, by line for NDJSON and CSV), then written in one audited transaction with UNWIND batches;
 * ids are deterministic, so importing a file again changes nothing.
 */

export type ImportFormat = 'bundle' | 'ftm' | 'acled';

export interface ImportOptions {
  /** Who is importing (FtM and ACLED; a bundle names its own curator). Default "hrkg import". */
  recordedBy?: string;
  onProgress?: (done: number, total: number) => void;
}

const CONVERTERS = { ftm: ftmToBundle, acled: acledToBundle } as const;

export async function importFile(
  executor: Executor,
  file: string,
  format: ImportFormat,
  opts: ImportOptions = {},
): Promise<{ counts: Record<string, number>; sha256: string; kept: KeptRecords }> {
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let resolved: ResolvedBundle;
  let lines: LineMap | undefined;
  let total: number;

  if (format === 'bundle') {
    resolved = await loadBundleFile(file);
    total = resolved.sources.length + resolved.entities.length + resolved.claims.length;
    opts.onProgress?.(0, total);
  } else {
    const text = evidenceText(bytes, format === 'ftm' ? 'FollowTheMoney NDJSON' : 'ACLED CSV');
    const plan = CONVERTERS[format](text, {
      file,
      sha256,
      recordedBy: opts.recordedBy ?? 'hrkg import',
      recordedAt: new Date().toISOString(),
      onProgress: opts.onProgress,
    });
    lines = plan.lines;
    total = plan.records;
    // The loader checks what reading the file could not (ids, enums, dates, quotes); its problems are
    // reported by line too, together with the reader's, so one run lists them all.
    let loaderProblems: Problem[] = [];
    let result: ResolvedBundle | undefined;
    try {
      result = await resolveBundle(plan.doc, noFiles);
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      loaderProblems = err.problems.map((p) => plan.lines.toLine(p));
    }
    const problems = [...plan.problems, ...loaderProblems];
    if (problems.length || !result) throw new BundleError(sortProblems(problems));
    resolved = result;
  }

  // Clashes with the graph (text already stored under another id, merged entities) are reported by line.
  const { counts: written, kept } = await writeRecordSet(executor, resolved, sha256, {
    report: lines ? (clashes) => sortProblems(clashes.map((p) => lines.toLine(p))) : undefined,
  });
  opts.onProgress?.(total, total);
  const kinds = (k: string) => resolved.entities.filter((e) => e.kind === k).length;
  return {
    counts: { ...written, actors: kinds('Actor'), places: kinds('Place'), events: kinds('Event') },
    sha256,
    kept,
  };
}

const PAGE = { sources: 200, rows: 2_000 };

/**
 * Writes the graph, as the executor's clearance sees it, as one hrkg-bundle/1 JSON document. Read in
 * one transaction (a consistent view, bounded by NEO4J_TX_TIMEOUT_MS), written to the stream after it.
 */
export async function exportBundle(
  executor: Executor,
  out: NodeJS.WritableStream,
): Promise<{ counts: Record<string, number> }> {
  const rows = await executor.readTx('bundle.export', async (tx) => {
    const all = async (stmt: Statement, limit: number, params: Record<string, unknown> = {}) => {
      const found: Row[] = [];
      let after = '';
      for (;;) {
        const page = await tx.run(stmt, { ...params, after, limit });
        found.push(...page);
        if (page.length < limit) return found;
        after = String(page[page.length - 1]!.id);
      }
    };
    return {
      sources: await all(q.exportSources, PAGE.sources),
      actors: await all(q.exportEntities, PAGE.rows, { kind: 'Actor' }),
      places: await all(q.exportEntities, PAGE.rows, { kind: 'Place' }),
      events: await all(q.exportEntities, PAGE.rows, { kind: 'Event' }),
      claims: await all(q.exportClaims, PAGE.rows),
      relations: await tx.run(q.exportRelations, { types: RELATION_TYPES }),
    } as unknown as ExportRows;
  });
  const doc = bundleFromRows(rows, executor.visible);
  await writeBundleJson(doc, out);
  return {
    counts: {
      sources: rows.sources.length,
      actors: rows.actors.length,
      places: rows.places.length,
      events: rows.events.length,
      claims: rows.claims.length,
      links: Array.isArray(doc.links) ? doc.links.length : 0,
    },
  };
}
