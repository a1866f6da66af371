import { randomUUID } from 'node:crypto';
import { actorLabel, type Viewer } from '../../model/access.js';
import type { Executor, Row } from '../executor.js';
import { digestOf } from '../mutation.js';
import * as q from '../queries/audit.js';
import { str, strs } from '../values.js';

/** One change to the graph, as its audit record holds it. */
export interface AuditRecord {
  id: string;
  at: string;
  operation: string;
  actor: string;
  role: string;
  keyId: string | null;
  inputDigest: string;
  affectedIds: string[];
  /** JSON: [{id, before, after}]. */
  changes: string;
  /** JSON object: what a read that hands data out (an export) recorded; null for changes. */
  details: string | null;
  requestId: string | null;
  clientRequestId: string | null;
}

export interface AuditQuery {
  operation: string | null;
  keyId: string | null;
  affectedId: string | null;
  /** ISO 8601 instants, inclusive. */
  from: string | null;
  to: string | null;
  /** Keyset cursor: the [at, id] of the last record shown. */
  after: readonly [string, string] | null;
  limit: number;
  withTotal: boolean;
}

function toAuditRecord(a: Row): AuditRecord {
  return {
    id: String(a.id),
    at: String(a.at),
    operation: String(a.operation),
    actor: String(a.actor),
    role: String(a.role),
    keyId: str(a.keyId),
    inputDigest: String(a.inputDigest),
    affectedIds: strs(a.affectedIds),
    changes: String(a.changesJson ?? '[]'),
    details: str(a.detailsJson),
    requestId: str(a.requestId),
    clientRequestId: str(a.clientRequestId),
  };
}

/** Up to `limit` audit records, newest first, and their total when asked. */
export async function auditPage(
  executor: Executor,
  a: AuditQuery,
): Promise<{ records: AuditRecord[]; total: number | null }> {
  const [row] = await executor.read(q.auditPage(a.withTotal), {
    operation: a.operation,
    keyId: a.keyId,
    affectedId: a.affectedId,
    from: a.from,
    to: a.to,
    afterAt: a.after?.[0] ?? null,
    afterId: a.after?.[1] ?? null,
    limit: a.limit,
  });
  return {
    records: ((row?.rows as Row[]) ?? []).map(toAuditRecord),
    total: typeof row?.total === 'number' ? row.total : null,
  };
}

/** The audit record of a read that hands data out (an export): who, what, and what it handed out. */
export interface ReadAudit {
  operation: string;
  viewer: Viewer;
  /** The request's input, digested into the record as a mutation's is. */
  input: unknown;
  /** Records it is about (an export's outcome names the export's own record). */
  affectedIds: string[];
  details: Record<string, unknown>;
}

/**
 * Appends the record in its own write transaction and returns its id. The executor's request ids go into
 * it, as into a mutation's record (src/graph/mutation.ts).
 */
export async function appendReadAudit(executor: Executor, a: ReadAudit): Promise<string> {
  const id = `audit-${randomUUID()}`;
  await executor.write(q.appendReadAudit, {
    id,
    operation: a.operation,
    actor: actorLabel(a.viewer),
    role: a.viewer.role,
    keyId: a.viewer.keyId,
    inputDigest: digestOf(a.input),
    affectedIds: a.affectedIds,
    detailsJson: JSON.stringify(a.details),
    requestId: executor.requestId ?? null,
    clientRequestId: executor.clientRequestId ?? null,
  });
  return id;
}
