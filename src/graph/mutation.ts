import { createHash, randomUUID } from 'node:crypto';
import { actorLabel, type Viewer } from '../model/access.js';
import { AppError, ErrorCode } from '../errors.js';
import type { Executor, Tx } from './executor.js';
import * as q from './queries/audit.js';

/**
 * The one way the API changes the graph: one write transaction that does the work, appends an audit
 * record and (when the caller gave an idempotency key) remembers the result — all of it or none of it.
 */

export interface Change {
  id: string;
  /** Changed properties before (null: the record did not exist). */
  before: Record<string, unknown> | null;
  /** Changed properties after (null: the record no longer exists). */
  after: Record<string, unknown> | null;
}

export interface MutationOutcome<R> {
  /** What the mutation returns; must be JSON-serialisable (ids, flags), re-read by the caller. */
  result: R;
  affectedIds: string[];
  changes: Change[];
  /** The work found nothing to change and wrote nothing: no audit record is appended. */
  wroteNothing?: boolean;
}

export interface MutationRequest {
  operation: string;
  viewer: Viewer;
  /** The mutation's input, digested (sha256 of canonical JSON) into the audit record. */
  input: unknown;
  idempotencyKey?: string | null;
  /** The server's request id; the executor's when absent. */
  requestId?: string;
}

/** JSON with object keys sorted at every level, so that equal inputs digest equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function digestOf(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

export async function runMutation<R>(
  executor: Executor,
  req: MutationRequest,
  work: (tx: Tx) => Promise<MutationOutcome<R>>,
): Promise<{ result: R; auditId: string | null; replayed: boolean }> {
  const inputDigest = digestOf(req.input);
  if (req.idempotencyKey !== undefined && req.idempotencyKey !== null) {
    if (!/^[\w.:-]{8,128}$/.test(req.idempotencyKey)) {
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        'idempotencyKey must be 8 to 128 letters, digits, or . : _ -',
        {
          inputPath: ['idempotencyKey'],
        },
      );
    }
  }
  return executor.writeTx(req.operation, async (tx) => {
    if (req.idempotencyKey) {
      // Scoped by caller so that two analysts cannot collide on (or probe) each other's keys.
      const key = `${req.viewer.keyId ?? 'anonymous'}:${req.idempotencyKey}`;
      const [row] = await tx.run(q.claimIdempotencyKey, { key, operation: req.operation, inputDigest });
      if (!row!.fresh) {
        if (row!.operation !== req.operation || row!.inputDigest !== inputDigest) {
          throw new AppError(
            ErrorCode.CONFLICT,
            'This idempotencyKey was used before with a different request',
            {
              inputPath: ['idempotencyKey'],
            },
          );
        }
        // The first request committed (the key and its result are written in one transaction).
        return { result: JSON.parse(String(row!.resultJson)) as R, auditId: null, replayed: true };
      }
      const out = await work(tx);
      await tx.run(q.storeIdempotentResult, { key, resultJson: JSON.stringify(out.result) });
      const auditId = await audit(tx, executor, req, inputDigest, out);
      return { result: out.result, auditId, replayed: false };
    }
    const out = await work(tx);
    const auditId = await audit(tx, executor, req, inputDigest, out);
    return { result: out.result, auditId, replayed: false };
  });
}

async function audit<R>(
  tx: Tx,
  executor: Executor,
  req: MutationRequest,
  inputDigest: string,
  out: MutationOutcome<R>,
): Promise<string | null> {
  if (out.wroteNothing) return null;
  const id = `audit-${randomUUID()}`;
  await tx.run(q.appendAudit, {
    id,
    operation: req.operation,
    actor: actorLabel(req.viewer),
    role: req.viewer.role,
    keyId: req.viewer.keyId,
    inputDigest,
    affectedIds: [...new Set(out.affectedIds)],
    changesJson: JSON.stringify(out.changes),
    // The server's own id, which its logs carry; what the client sent goes beside it, never instead.
    requestId: req.requestId ?? executor.requestId ?? null,
    clientRequestId: executor.clientRequestId ?? null,
  });
  return id;
}
