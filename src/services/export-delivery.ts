import { AppError, badInput, ErrorCode, requireRole } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { appendReadAudit } from '../graph/stores/audit.js';
import type { Logger } from '../logger.js';
import type { Viewer } from '../model/access.js';
import { exportBundle, exportGraph, EXPORT_FORMATS, type ExportFormat } from './export.js';

/**
 * Exports handed to a caller of the API (GET /export/{format}): who may have which format, under the
 * clearance of their key (the executor's), and the two audit records that say what left the service.
 *
 * - Exports need an API key (any role): anonymous callers read public records through GraphQL, but a
 *   whole-graph file is handed to someone the audit log can name.
 * - `bundle` needs the admin role: an admin's bundle is a backup (the store section: every node, the
 *   audit trail included). Redacted bundles for other roles stay with the CLI's `--clearance`.
 * - Audit: an `export` record is appended once the graph has answered and before the first byte is sent
 *   (format, clearance, the counts about to be sent), so no byte leaves unrecorded, not even from a
 *   download the client breaks off; an `exportOutcome` record (naming the first in affectedIds) follows
 *   when the export ends: complete (after the last byte, before the response ends) or failed (bytes
 *   sent, the error). A refusal before the first byte sends nothing and records nothing (the log has it).
 */

export type DeliveredFormat = ExportFormat | 'bundle';

/** The formats of GET /export/{format}, as `kg export` has them. */
export const DELIVERED_FORMATS: readonly DeliveredFormat[] = ['bundle', ...EXPORT_FORMATS];

/** The format named in a request, or BAD_USER_INPUT listing the formats. */
export function deliveredFormat(name: string): DeliveredFormat {
  const format = DELIVERED_FORMATS.find((f) => f === name);
  if (!format) {
    throw badInput(`Unknown export format ${JSON.stringify(name)}: use ${DELIVERED_FORMATS.join(', ')}`, [
      'format',
    ]);
  }
  return format;
}

/**
 * Refuses the caller unless they have a key (UNAUTHENTICATED) and, when the format is given, a role that
 * may have it (FORBIDDEN).
 */
export function checkExportAllowed(viewer: Viewer, format?: DeliveredFormat): void {
  requireRole(viewer, 'viewer', 'Exporting');
  if (format === 'bundle') requireRole(viewer, 'admin', 'A bundle export (a backup of the whole store)');
}

/** What a bundle's record count adds up (its links and store section are counted apart). */
const BUNDLE_RECORDS = ['sources', 'actors', 'places', 'events', 'claims'];

export interface DeliveryHooks {
  /** Bytes handed to the client so far (recorded in the outcome). */
  sentBytes: () => number;
  /** Waits until every byte written to `out` has been handed on (before the outcome is recorded). */
  flush: () => Promise<void>;
  logger?: Logger;
}

export interface Delivered {
  format: DeliveredFormat;
  /** Records written: NDJSON lines, CSV rows, PROV records, GraphML nodes and edges; a bundle's records. */
  records: number;
  counts: Record<string, number>;
  skipped: number;
  /** The export's audit record. */
  auditId: string;
}

/** Runs the export into `out` with its audit records; the caller checked the role and owns `out`. */
export async function deliverExport(
  executor: Executor,
  viewer: Viewer,
  format: DeliveredFormat,
  out: NodeJS.WritableStream,
  hooks: DeliveryHooks,
): Promise<Delivered> {
  checkExportAllowed(viewer, format);
  const clearance = [...executor.visible];
  let auditId: string | null = null;
  let planned: Record<string, number> = {};
  const beforeWrite = async (counts: Record<string, number>) => {
    planned = counts;
    auditId = await appendReadAudit(executor, {
      operation: 'export',
      viewer,
      input: { format },
      affectedIds: [],
      details: { format, clearance, counts },
    });
  };
  const outcome = (details: Record<string, unknown>) =>
    appendReadAudit(executor, {
      operation: 'exportOutcome',
      viewer,
      input: { format },
      affectedIds: [auditId!],
      details: { format, bytes: hooks.sentBytes(), ...details },
    });
  let records: number;
  let skipped = 0;
  try {
    if (format === 'bundle') {
      const r = await exportBundle(executor, out, { beforeWrite });
      records = BUNDLE_RECORDS.reduce((n, k) => n + (r.counts[k] ?? 0), 0);
    } else {
      const r = await exportGraph(executor, format, out, { beforeWrite });
      records = r.records;
      skipped = r.skipped.length;
    }
    await hooks.flush();
  } catch (err) {
    if (auditId) {
      const error = err instanceof AppError ? err.code : ErrorCode.INTERNAL_SERVER_ERROR;
      await outcome({ outcome: 'failed', error, message: (err as Error).message }).catch((auditErr) =>
        hooks.logger?.error({ err: auditErr, auditId }, 'the outcome of a failed export was not recorded'),
      );
    }
    throw err;
  }
  await outcome({ outcome: 'complete', records, skipped });
  return { format, records, counts: planned, skipped, auditId: auditId! };
}
