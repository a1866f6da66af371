import { AppError, ErrorCode } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { findKey, hashKey, insertKey, revokeKey, type StoredKey } from '../graph/stores/key-store.js';
import {
  actorLabel,
  ANONYMOUS,
  KEY_ROLES,
  requireRole,
  type KeyRole,
  type Role,
  type Viewer,
} from '../auth/roles.js';
import { runMutation } from '../graph/mutation.js';
import { badInput } from '../errors.js';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 1_000;

/**
 * Turns the request's credentials into a Viewer. Verified keys are cached for 30 s so that a request
 * does not pay a database round trip to authenticate; a revoked key stops working within that time.
 */
export class Authenticator {
  private readonly cache = new Map<string, { viewer: Viewer; expires: number }>();

  /** Executor without a request's round-trip counter: authentication is not part of answering the query. */
  constructor(private readonly executor: Executor) {}

  /** Reads `Authorization: Bearer <key>` or `x-api-key: <key>`. No credentials: anonymous. */
  async viewerFor(headers: Record<string, string | string[] | undefined>): Promise<Viewer> {
    const auth = headers.authorization;
    const apiKey = headers['x-api-key'];
    let secret: string | undefined;
    if (typeof auth === 'string' && auth.trim()) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!m) throw unauthenticated('The Authorization header must be "Bearer <API key>"');
      secret = m[1];
    } else if (typeof apiKey === 'string' && apiKey.trim()) {
      secret = apiKey.trim();
    }
    if (!secret) return ANONYMOUS;
    const hash = hashKey(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.expires > Date.now()) return hit.viewer;
    const key = await findKey(this.executor, secret);
    // A wrong key is an error, not a silent downgrade to anonymous: the caller should know.
    if (!key) throw unauthenticated('Unknown or revoked API key');
    const viewer: Viewer = { role: key.role as Role, keyId: key.id, name: key.name };
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { viewer, expires: Date.now() + CACHE_TTL_MS });
    return viewer;
  }

  /** Forget cached keys (after a revocation in this process). */
  clear(): void {
    this.cache.clear();
  }
}

function unauthenticated(message: string): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}

/** Key management for admins (and the CLI, which acts as admin on the machine that holds the data). */
export class KeyService {
  constructor(
    private readonly executor: Executor,
    private readonly viewer: Viewer,
    private readonly onRevoke: () => void = () => {},
  ) {}

  async create(role: string, name: string): Promise<StoredKey & { role: KeyRole; secret: string }> {
    requireRole(this.viewer, 'admin', 'Creating API keys');
    if (!(KEY_ROLES as readonly string[]).includes(role)) {
      throw badInput(`role must be one of ${KEY_ROLES.join(', ')}`, ['role']);
    }
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw badInput('name must be 1 to 200 characters', ['name']);
    const { result } = await runMutation(
      this.executor,
      { operation: 'createApiKey', viewer: this.viewer, input: { role, name: trimmed } },
      async (tx) => {
        const key = await insertKey(tx, role, trimmed, actorLabel(this.viewer));
        // The audit record keeps who made which key for whom, never the secret.
        return {
          result: key,
          affectedIds: [key.id],
          changes: [{ id: key.id, before: null, after: { role, name: trimmed } }],
        };
      },
    );
    return { ...result, role: role as KeyRole };
  }

  async revoke(id: string): Promise<boolean> {
    requireRole(this.viewer, 'admin', 'Revoking API keys');
    await runMutation(
      this.executor,
      { operation: 'revokeApiKey', viewer: this.viewer, input: { id } },
      async (tx) => {
        if (!(await revokeKey(tx, id, actorLabel(this.viewer)))) {
          throw new AppError(ErrorCode.NOT_FOUND, `No active API key ${JSON.stringify(id)}`, { id });
        }
        return {
          result: true,
          affectedIds: [id],
          changes: [{ id, before: { revoked: false }, after: { revoked: true } }],
        };
      },
    );
    this.onRevoke();
    return true;
  }
}
