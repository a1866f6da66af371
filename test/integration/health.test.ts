import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { startOwnApp, startTestApp, testConfig, testDatabase, type TestApp } from '../helpers/app.js';

async function health(app: TestApp) {
  const started = Date.now();
  const res = await fetch(`${app.url}/healthz`);
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as { status: string; version: string; database: Record<string, unknown> },
    ms: Date.now() - started,
  };
}

/**
 * A Neo4j of its own (not the run's shared one), so that stopping it does not disturb other test files.
 */
describe('health follows the database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-health-'));
  let neo4j: EmbeddedNeo4j;
  let app: TestApp;

  beforeAll(async () => {
    neo4j = await startEmbeddedNeo4j({ dataDir, heap: '512m', pagecache: '32m' });
    const config = testConfig({ NEO4J_URI: neo4j.uri });
    app = await startTestApp({ config, db: testDatabase(neo4j.uri, config) });
  });
  afterAll(async () => {
    await app?.close();
    await app?.db.close();
    await neo4j?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy, turns unhealthy promptly when Neo4j stops, and healthy again when it returns', async () => {
    expect((await health(app)).status).toBe(200);

    await neo4j.stop();
    const down = await health(app);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.ms).toBeLessThan(10_000);
    // Anyone may ask, so the answer names no Bolt URI and carries no driver error text.
    expect(down.body).toEqual({
      status: 'unavailable',
      version: expect.any(String),
      database: { status: 'down' },
    });
    expect(down.text).not.toMatch(/bolt:|127\.0\.0\.1|ECONNREFUSED|connect|error/i);
    expect(down.text).not.toContain(String(neo4j.port));

    // GraphQL says so with a stable code instead of hanging or leaking a driver error.
    const q = await app.graphql('{ serverInfo { database { status migrations } } }');
    expect(q.data).toMatchObject({ serverInfo: { database: { status: 'down', migrations: [] } } });

    // Same folder, same port: the API reconnects by itself, without a restart.
    neo4j = await startEmbeddedNeo4j({ dataDir, boltPort: neo4j.port, heap: '512m', pagecache: '32m' });
    let up = await health(app);
    for (let i = 0; i < 20 && up.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      up = await health(app);
    }
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ok');
  });
});

/**
 * The embedded Neo4j the API started itself is supervised: killed with SIGKILL (as the kernel's OOM killer or
 * a JVM OutOfMemoryError would end it), it is started again on the same port and the API answers again without
 * anyone restarting it.
 */
describe('the embedded Neo4j is restarted when it dies', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startOwnApp();
  });
  afterAll(() => app?.close());

  it('restarts after kill -9 of the JVM and the API answers again by itself', async () => {
    expect((await health(app)).status).toBe(200);
    const db = app.db;
    const supervisor = db.embedded!;
    const firstPid = supervisor.pid;

    process.kill(firstPid, 'SIGKILL');
    const killedAt = Date.now();
    // Down first (the kill is not hidden) ...
    let res = await health(app);
    for (let i = 0; i < 20 && res.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await health(app);
    }
    expect(res.status).toBe(503);
    // ... then up again, with a new process on the same URI.
    while (res.status !== 200 && Date.now() - killedAt < 120_000) {
      await new Promise((r) => setTimeout(r, 500));
      res = await health(app);
    }
    expect(res.status).toBe(200);
    expect(supervisor.restarts).toBe(1);
    expect(supervisor.pid).not.toBe(firstPid);
    expect(supervisor.uri).toBe(db.uri);
    const q = await app.graphql<{ serverInfo: { database: { status: string } } }>(
      '{ serverInfo { database { status } } }',
    );
    expect(q.data?.serverInfo.database.status).toBe('up');
    console.log(`[supervision] API healthy again ${Date.now() - killedAt} ms after kill -9 of Neo4j`);
  }, 180_000);
});
