import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, badInput, ErrorCode, requireRole } from '../errors.js';
import type { Executor } from '../graph/executor.js';
import { findKey, hashKey, insertKey, revokeKey, type StoredKey } from '../graph/stores/keys.js';
import { actorLabel, ANONYMOUS, KEY_ROLES, type KeyRole, type Role, type Viewer } from '../model/access.js';
import { runMutation } from '../graph/mutation.js';

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 1_000;
/** Keys verified this recently are still looked up (revocation applies) while their address is throttled. */
const KNOWN_TTL_MS = 10 * 60_000;

/**
 * Key guessing is throttled per client address (README, "Who may do what"): each request carrying a key
 * that is not in the cache counts as an attempt before the key is looked up, and a verified key gives its
 * attempt back, so only failed attempts add up. Once FAILED_KEY_ATTEMPTS have failed within the window
 * (fixed, from the first failure), further keys from that address are answered 429 TOO_MANY_REQUESTS
 * with Retry-After until the window ends, without a database lookup. Not affected: requests without a
 * key, keys verified in the last 30 s (cached), and keys verified in the last 10 minutes (looked up again,
 * so a revoked one is refused): a guesser cannot hit those, and their owners keep working.
 */
export const FAILED_KEY_ATTEMPTS = 20;
export const FAILED_KEY_WINDOW_SECONDS = 60;

/**
 * Turns the request's credentials into a Viewer. Verified keys are cached for 30 s so that a request
 * does not pay a database round trip to authenticate; a revoked key stops working within that time.
 */
export class Authenticator {
  private readonly cache = new Map<string, { viewer: Viewer; expires: number }>();
  /** Hashes of keys verified lately, with when that stops counting. */
  private readonly known = new Map<string, number>();
  private readonly lookups = new Map<string, Promise<Viewer>>();
  /** Failed key attempts per client address (in memory: per process). */
  private readonly attempts = new RateLimiterMemory({
    keyPrefix: 'failed-keys',
    points: FAILED_KEY_ATTEMPTS,
    duration: FAILED_KEY_WINDOW_SECONDS,
  });

  /** Executor without a request's round-trip counter: authentication is not part of answering the query. */
  constructor(private readonly executor: Executor) {}

  /**
   * Reads `Authorization: Bearer <key>` or `x-api-key: <key>`. No credentials: anonymous. `client` is the
   * caller's address, which failed attempts are counted against.
   */
  async viewerFor(
    headers: Record<string, string | string[] | undefined>,
    client = 'unknown',
  ): Promise<Viewer> {
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
    client = throttleKey(client);
    const hash = hashKey(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.expires > Date.now()) return hit.viewer;
    // Requests with the same key while its lookup runs share it: one attempt, one database round trip (a
    // client firing 50 requests with a fresh key is one attempt, not 50).
    const pending = this.lookups.get(hash);
    if (pending) return pending;
    const lookup = this.lookUp(secret, hash, client);
    this.lookups.set(hash, lookup);
    lookup.then(
      () => this.lookups.delete(hash),
      () => this.lookups.delete(hash),
    );
    return lookup;
  }

  private async lookUp(secret: string, hash: string, client: string): Promise<Viewer> {
    const known = (this.known.get(hash) ?? 0) > Date.now();
    if (!known) {
      // Counted before the lookup, so that a burst of parallel guesses cannot all reach the database.
      try {
        await this.attempts.consume(client);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw tooManyAttempts(res.msBeforeNext);
        throw res;
      }
    }
    const key = await findKey(this.executor, secret).catch(async (err: unknown) => {
      // Not an answer about the key (the database is down, say): the attempt does not count.
      if (!known) await this.attempts.reward(client, 1);
      throw err;
    });
    // A wrong key is an error, not a silent downgrade to anonymous: the caller should know.
    if (!key) {
      this.known.delete(hash);
      throw unauthenticated('Unknown or revoked API key');
    }
    if (!known) await this.attempts.reward(client, 1);
    const viewer: Viewer = { role: key.role as Role, keyId: key.id, name: key.name };
    remember(this.cache, hash, { viewer, expires: Date.now() + CACHE_TTL_MS });
    remember(this.known, hash, Date.now() + KNOWN_TTL_MS);
    return viewer;
  }

  /** Forget cached keys (after a revocation in this process). */
  clear(): void {
    this.cache.clear();
  }
}

/** Sets a map entry, dropping the oldest first when the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

function tooManyAttempts(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(
    ErrorCode.TOO_MANY_REQUESTS,
    `Too many failed API key attempts from this address; try again in ${seconds} s`,
    {
      retryAfterSeconds: seconds,
      http: { status: 429, headers: new Map([['retry-after', String(seconds)]]) },
    },
  );
}

/**
 * The address failed attempts are counted under: an IPv4 address as is, an IPv6 address by its /64 (one
 * client commonly holds a whole /64, so counting single addresses would give it 2^64 budgets).
 */
export function throttleKey(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function unauthenticated(message: string): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });
}

/**
 * Control characters (Unicode Cc: C0, DEL, C1) and bidirectional formatting characters (embeddings and
 * overrides U+202A-U+202E, isolates U+2066-U+2069, marks U+200E, U+200F and U+061C), which would let a
 * name show as something else in an audit log or a terminal.
 */
const INVISIBLE_CONTROLS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

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
    if (INVISIBLE_CONTROLS.test(trimmed)) {
      // A key's name is shown as the actor of audit records: it must read as what it is.
      throw badInput('name may not contain control characters or bidirectional formatting characters', [
        'name',
      ]);
    }
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
