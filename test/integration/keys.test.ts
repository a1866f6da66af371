import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import {
  Authenticator,
  FAILED_KEY_ATTEMPTS,
  FAILED_KEY_WINDOW_SECONDS,
  KeyService,
} from '../../src/services/keys.js';
import { startTestApp, testConfig, testDatabase, type TestApp } from '../helpers/app.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused } from '../helpers/refusals.js';

describe('API keys and roles', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('treats callers without a key as anonymous, who read public records only', async () => {
    const res = await app.graphql<{ viewer: unknown }>('{ viewer { role keyId clearance } }');
    expect(res.data!.viewer).toEqual({ role: 'anonymous', keyId: null, clearance: ['public'] });
  });

  it('recognises a key by Bearer header or x-api-key, with its role and clearance', async () => {
    const analyst = await keyHeaders(app.db, 'analyst');
    const a = await app.graphql<{ viewer: unknown }>(
      '{ viewer { role keyId name clearance } }',
      undefined,
      analyst.headers,
    );
    expect(a.data!.viewer).toEqual({
      role: 'analyst',
      keyId: analyst.keyId,
      name: analyst.name,
      clearance: ['public', 'restricted'],
    });
    const b = await app.graphql<{ viewer: { role: string } }>('{ viewer { role } }', undefined, {
      'x-api-key': analyst.secret,
    });
    expect(b.data!.viewer.role).toBe('analyst');
  });

  it('refuses an unknown key with 401 instead of downgrading to anonymous', async () => {
    const res = await app.graphql('{ viewer { role } }', undefined, {
      authorization: 'Bearer hrkg_not-a-real-key',
    });
    expectRefused(res, 'UNAUTHENTICATED', undefined, { status: 401 });
  });

  it('stores only the hash of a key', async () => {
    const k = await keyHeaders(app.db, 'viewer');
    const rows = await app.db.executor.read(
      statement('test.keyProps', 'MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p'),
      { id: k.keyId },
    );
    expect(JSON.stringify(rows[0]!.p)).not.toContain(k.secret);
    expect((rows[0]!.p as { hash: string }).hash).toMatch(/^[0-9a-f]{64}$/);
  });

  const CREATE_KEY = `mutation($name: String!) { createApiKey(role: viewer, name: $name) { id name } }`;
  const keysNamed = statement('test.keysNamed', 'MATCH (k:ApiKey) WHERE k.name = $name RETURN count(k) AS n');

  it.each([
    ['anonymous callers', null, 'UNAUTHENTICATED'],
    ['analysts', 'analyst', 'FORBIDDEN'],
  ] as const)('refuses to create keys for %s (%s) before the database', async (_who, role, code) => {
    const headers = role ? (await keyHeaders(app.db, role)).headers : {};
    const name = `refused-${randomUUID()}`;
    const res = await app.graphql(CREATE_KEY, { name }, headers);
    expectRefused(res, code, undefined, { beforeDatabase: true });
    const [row] = await app.db.executor.read(keysNamed, { name });
    expect(row!.n).toBe(0);
  });

  it('lets admins create and revoke keys, audited', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const create = `mutation($role: KeyRole!, $name: String!) { createApiKey(role: $role, name: $name) { id role name secret } }`;
    const made = await app.graphql<{ createApiKey: { id: string; secret: string } }>(
      create,
      { role: 'viewer', name: 'reader' },
      admin.headers,
    );
    expect(made.errors).toBeUndefined();
    const newKey = made.data!.createApiKey;
    const who = await app.graphql<{ viewer: { role: string } }>('{ viewer { role } }', undefined, {
      authorization: `Bearer ${newKey.secret}`,
    });
    expect(who.data!.viewer.role).toBe('viewer');

    const revoked = await app.graphql(
      `mutation { revokeApiKey(id: "${newKey.id}") }`,
      undefined,
      admin.headers,
    );
    expect(revoked.data).toEqual({ revokeApiKey: true });
    const after = await app.graphql('{ viewer { role } }', undefined, {
      authorization: `Bearer ${newKey.secret}`,
    });
    expect(after.status).toBe(401);

    const audit = await app.db.executor.read(
      statement(
        'test.keyAudit',
        'MATCH (a:AuditRecord) WHERE $id IN a.affectedIds RETURN a.operation AS op, a.actor AS actor, a.changesJson AS changes ORDER BY a.at',
      ),
      { id: newKey.id },
    );
    expect(audit.map((a) => a.op)).toEqual(['createApiKey', 'revokeApiKey']);
    expect(String(audit[0]!.actor)).toContain(admin.name);
    expect(JSON.stringify(audit)).not.toContain(newKey.secret);
  });

  it('refuses an invalid role name with BAD_USER_INPUT', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const res = await app.graphql(
      `mutation { createApiKey(role: admin, name: "   ") { id } }`,
      undefined,
      admin.headers,
    );
    expectRefused(res, 'BAD_USER_INPUT', ['name'], { beforeDatabase: true });
  });

  it.each([
    ['NUL', 'ops\u0000team'],
    ['an escape sequence', 'ops \u001b[31mteam'],
    ['a newline', 'ops\nteam'],
    ['DEL', 'ops\u007fteam'],
    ['a C1 control', 'ops\u0085team'],
    ['a right-to-left override', 'ops \u202eadmin'],
    ['a left-to-right embedding', 'ops \u202ateam'],
    ['a first-strong isolate', 'ops \u2068team\u2069'],
    ['a right-to-left mark', 'ops\u200fteam'],
    ['an Arabic letter mark', 'ops\u061cteam'],
  ])('refuses a key name with %s (BAD_USER_INPUT), creating nothing', async (_case, name) => {
    const admin = await keyHeaders(app.db, 'admin');
    const res = await app.graphql(CREATE_KEY, { name }, admin.headers);
    expectRefused(res, 'BAD_USER_INPUT', ['name'], { beforeDatabase: true });
    const [row] = await app.db.executor.read(keysNamed, { name: name.trim() });
    expect(row!.n).toBe(0);
  });

  it('takes key names in any script, with joiners and emoji', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const name = `مرصد ${randomUUID().slice(0, 8)} 👩\u200d💻`;
    const res = await app.graphql<{ createApiKey: { name: string } }>(CREATE_KEY, { name }, admin.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.createApiKey.name).toBe(name);
  });

  it("audits with the server's own request id, the client's x-request-id beside it", async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const res = await app.graphql<{ createApiKey: { id: string } }>(
      CREATE_KEY,
      { name: 'traced' },
      { ...admin.headers, 'x-request-id': 'case-42.trace' },
    );
    expect(res.errors).toBeUndefined();
    const serverId = res.headers.get('x-request-id');
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-client-request-id')).toBe('case-42.trace');
    const log = await app.graphql<{
      auditLog: { edges: { node: { requestId: string; clientRequestId: string | null } }[] };
    }>(
      `query($id: ID!) { auditLog(filter: { affectedId: $id }) { edges { node { requestId clientRequestId } } } }`,
      { id: res.data!.createApiKey.id },
      admin.headers,
    );
    expect(log.data!.auditLog.edges.map((e) => e.node)).toEqual([
      { requestId: serverId, clientRequestId: 'case-42.trace' },
    ]);

    // An id the server would not keep (spaces, too long) is left out, not trimmed into one.
    const odd = await app.graphql<{ createApiKey: { id: string } }>(
      CREATE_KEY,
      { name: 'traced' },
      { ...admin.headers, 'x-request-id': 'a b' },
    );
    expect(odd.headers.get('x-client-request-id')).toBeNull();
    const oddLog = await app.graphql<{
      auditLog: { edges: { node: { requestId: string; clientRequestId: string | null } }[] };
    }>(
      `query($id: ID!) { auditLog(filter: { affectedId: $id }) { edges { node { requestId clientRequestId } } } }`,
      { id: odd.data!.createApiKey.id },
      admin.headers,
    );
    expect(oddLog.data!.auditLog.edges.map((e) => e.node)).toEqual([
      { requestId: odd.headers.get('x-request-id'), clientRequestId: null },
    ]);
  });
});

/**
 * Failed key attempts are throttled per client address (20 per 60 s); each app here is fresh, so its
 * counts start at zero.
 */
describe('throttling failed key attempts', () => {
  const randomKey = () => ({ authorization: `Bearer hrkg_${randomUUID()}` });
  const VIEWER = '{ viewer { role } }';
  /** Key lookups so far: the authenticator reads through the app's base executor, requests never do. */
  const lookups = (app: TestApp) => app.db.executor.roundTrips.count;

  it('lets 50 parallel requests with a fresh valid key through with one lookup', async () => {
    const app = await startTestApp();
    try {
      const { headers } = await keyHeaders(app.db, 'viewer');
      const before = lookups(app);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => app.graphql(VIEWER, undefined, headers)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
      expect(lookups(app) - before).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('lets 20 of 100 parallel random keys reach the database; the rest get 429 with Retry-After', async () => {
    const app = await startTestApp();
    try {
      const before = lookups(app);
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => app.graphql(VIEWER, undefined, randomKey())),
      );
      expect(lookups(app) - before).toBe(FAILED_KEY_ATTEMPTS);
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(FAILED_KEY_ATTEMPTS);
      expect(statuses.filter((s) => s === 429)).toHaveLength(100 - FAILED_KEY_ATTEMPTS);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(FAILED_KEY_WINDOW_SECONDS);
      expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBe(retryAfter);
      expect(refused.data ?? null).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('counts only failures; a blocked address keeps anonymous and recently verified keys, not new ones', async () => {
    const app = await startTestApp();
    try {
      const known = await keyHeaders(app.db, 'viewer');
      const other = await keyHeaders(app.db, 'analyst');
      const fail = async (n: number) => {
        for (let i = 0; i < n; i++)
          expect((await app.graphql(VIEWER, undefined, randomKey())).status).toBe(401);
      };
      await fail(FAILED_KEY_ATTEMPTS - 1);
      // A verified key in between gives its attempt back: one more failure is still allowed.
      const ok = await app.graphql<{ viewer: { role: string } }>(VIEWER, undefined, known.headers);
      expect(ok.data!.viewer.role).toBe('viewer');
      await fail(1);
      const before = lookups(app);
      const blocked = await app.graphql(VIEWER, undefined, randomKey());
      expect(blocked.status).toBe(429);
      // A new (uncached) key from the blocked address waits too: telling it apart needs the lookup.
      const fresh = await app.graphql(VIEWER, undefined, other.headers);
      expect(fresh.status).toBe(429);
      // X-Forwarded-For is not believed without TRUST_PROXY: another claimed address changes nothing.
      const spoofed = await app.graphql(VIEWER, undefined, {
        ...randomKey(),
        'x-forwarded-for': '203.0.113.9',
      });
      expect(spoofed.status).toBe(429);
      expect(lookups(app) - before).toBe(0);
      const cached = await app.graphql<{ viewer: { role: string } }>(VIEWER, undefined, known.headers);
      expect(cached.data!.viewer.role).toBe('viewer');
      const anonymous = await app.graphql<{ viewer: { role: string } }>(VIEWER);
      expect(anonymous.data!.viewer.role).toBe('anonymous');
    } finally {
      await app.close();
    }
  });

  it('still looks up keys verified lately while their address is throttled; revocation applies', async () => {
    const db = testDatabase();
    try {
      const auth = new Authenticator(db.executor);
      const k = await keyHeaders(db, 'viewer');
      const client = '192.0.2.10';
      const code = (c: string) => ({ extensions: { code: c } });
      expect((await auth.viewerFor(k.headers, client)).keyId).toBe(k.keyId);
      for (let i = 0; i < FAILED_KEY_ATTEMPTS; i++) {
        await expect(auth.viewerFor(randomKey(), client)).rejects.toMatchObject(code('UNAUTHENTICATED'));
      }
      await expect(auth.viewerFor(randomKey(), client)).rejects.toMatchObject(code('TOO_MANY_REQUESTS'));
      // Past the 30 s cache (cleared here), the key is looked up again rather than refused.
      auth.clear();
      expect((await auth.viewerFor(k.headers, client)).keyId).toBe(k.keyId);
      await new KeyService(db.executor, { role: 'admin', keyId: null, name: 'test' }).revoke(k.keyId);
      auth.clear();
      await expect(auth.viewerFor(k.headers, client)).rejects.toMatchObject(code('UNAUTHENTICATED'));
      await expect(auth.viewerFor(k.headers, client)).rejects.toMatchObject(code('TOO_MANY_REQUESTS'));
      // Other addresses are counted apart.
      await expect(auth.viewerFor(randomKey(), '192.0.2.11')).rejects.toMatchObject(code('UNAUTHENTICATED'));
    } finally {
      await db.close();
    }
  });

  it('counts per forwarded address when TRUST_PROXY names the proxy', async () => {
    const app = await startTestApp({ config: testConfig({ TRUST_PROXY: 'loopback' }) });
    try {
      const from = (ip: string) => ({ ...randomKey(), 'x-forwarded-for': ip });
      for (let i = 0; i < FAILED_KEY_ATTEMPTS; i++) {
        expect((await app.graphql(VIEWER, undefined, from('203.0.113.7'))).status).toBe(401);
      }
      expect((await app.graphql(VIEWER, undefined, from('203.0.113.7'))).status).toBe(429);
      expect((await app.graphql(VIEWER, undefined, from('198.51.100.4'))).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
