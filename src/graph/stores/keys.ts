import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Executor, Tx } from '../executor.js';
import * as q from '../queries/keys.js';

export interface StoredKey {
  id: string;
  role: string;
  name: string;
}

/** API keys are random 256-bit secrets; only their sha256 is stored, so a stolen database reveals none. */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newSecret(): string {
  return `hrkg_${randomBytes(32).toString('base64url')}`;
}

/** Creates a key inside the caller's transaction (so that it is audited with it). */
export async function insertKey(
  tx: Tx,
  role: string,
  name: string,
  createdBy: string,
): Promise<StoredKey & { secret: string }> {
  const secret = newSecret();
  const id = `key-${randomUUID()}`;
  await tx.run(q.createKey, { id, hash: hashKey(secret), role, name, createdBy });
  return { id, role, name, secret };
}

export async function findKey(executor: Executor, secret: string): Promise<StoredKey | null> {
  const [row] = await executor.read(q.findKeyByHash, { hash: hashKey(secret) });
  return row ? { id: String(row.id), role: String(row.role), name: String(row.name) } : null;
}

export async function revokeKey(tx: Tx, id: string, revokedBy: string): Promise<boolean> {
  return (await tx.run(q.revokeKey, { id, revokedBy })).length > 0;
}
