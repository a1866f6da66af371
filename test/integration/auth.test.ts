import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { keyHeaders } from '../helpers/keys.js';

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
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
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

  it('lets admins create and revoke keys, audited; others are refused', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const analyst = await keyHeaders(app.db, 'analyst');
    const create = `mutation($role: KeyRole!, $name: String!) { createApiKey(role: $role, name: $name) { id role name secret } }`;
    const anon = await app.graphql(create, { role: 'viewer', name: 'x' });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const denied = await app.graphql(create, { role: 'viewer', name: 'x' }, analyst.headers);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

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
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['name'] });
  });
});
