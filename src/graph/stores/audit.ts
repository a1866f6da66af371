import type { Executor, Row } from '../executor.js';
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
