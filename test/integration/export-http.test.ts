import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRoute, ExportSlots } from '../../src/http/export-route.js';
import { requestLogger, ViewerGate } from '../../src/http/middleware.js';
import { createLogger } from '../../src/logger.js';
import { clearance } from '../../src/model/access.js';
import { sha256 } from '../../src/model/text.js';
import { deliverExport } from '../../src/services/export-delivery.js';
import { loadBundle } from '../../src/services/import.js';
import { Authenticator } from '../../src/services/keys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * GET /export/{format} through the real server and the run's Neo4j: authentication as /graphql, the key's
 * clearance, bundle for admins only, the audit records, the headers, the concurrency limit, and what a
 * client sees when an export breaks after its first byte. The fixture holds one public, one restricted
 * and one confidential release (each with an actor of the same sensitivity), told apart by marker words.
 */

const u = uniq();
const PUBLIC = `PUBLICHTTP${u}`;
const RESTRICTED = `RESTRICTEDHTTP${u}`;
const CONFIDENTIAL = `CONFIDENTIALHTTP${u}`;
const TEXT = `Report ${u}: security forces released detainees in Town ${u} on 15 June 2022. An officer supervised.`;

function fixture() {
  const level = (mark: string, sensitivity: string) => ({
    actor: { id: `ac-h${u}-${sensitivity}`, type: 'person', name: `Officer ${mark}`, sensitivity },
    event: {
      id: `ev-h${u}-${sensitivity}`,
      type: 'release_batch',
      name: `Release ${mark}`,
      date: { precision: 'day', value: '2022-06-15', qualifier: 'exact' },
      sensitivity,
    },
  });
  const levels = [
    level(PUBLIC, 'public'),
    level(RESTRICTED, 'restricted'),
    level(CONFIDENTIAL, 'confidential'),
  ];
  const claim = (id: string, subject: string, quote: string, extra: Record<string, unknown>) => ({
    id: `cl-h${u}-${id}`,
    subject,
    summary: `${id} ${u}`,
    source: `src-h${u}`,
    quotes: [quote],
    attributedTo: [`ac-h${u}-monitor`],
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'export-http test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: `src-h${u}`,
        text: TEXT,
        sha256: sha256(TEXT),
        title: `Report ${u}`,
        language: 'en',
        publisher: `ac-h${u}-monitor`,
      },
    ],
    actors: [
      { id: `ac-h${u}-monitor`, type: 'organization', name: `Monitor ${u}` },
      ...levels.map((l) => l.actor),
    ],
    places: [{ id: `pl-h${u}`, type: 'city', name: `Town ${u}` }],
    events: levels.map((l) => l.event),
    claims: levels.flatMap((l, i) => [
      claim(`sum${i}`, l.event.id, 'security forces released detainees', { summary: l.event.name }),
      claim(`occ${i}`, l.event.id, `in Town ${u}`, { relation: { type: 'OCCURRED_IN', object: `pl-h${u}` } }),
      claim(`perp${i}`, l.actor.id, 'An officer supervised', {
        relation: { type: 'INVOLVED_IN', object: l.event.id, role: 'perpetrator' },
      }),
    ]),
  };
}

interface ErrorBody {
  errors: { message: string; extensions: { code: string } & Record<string, unknown> }[];
}

interface AuditNode {
  id: string;
  operation: string;
  actor: string;
  role: string;
  keyId: string | null;
  affectedIds: string[];
  changes: string;
  details: string | null;
  requestId: string | null;
}

describe('GET /export/{format}', () => {
  let app: TestApp;
  let viewer: Awaited<ReturnType<typeof keyHeaders>>;
  let analyst: Awaited<ReturnType<typeof keyHeaders>>;
  let admin: Awaited<ReturnType<typeof keyHeaders>>;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });

  /** The audit records made with a key, newest first (read as an admin, through GraphQL). */
  async function auditOf(keyId: string): Promise<AuditNode[]> {
    const res = await app.graphql<{ auditLog: { edges: { node: AuditNode }[] } }>(
      `query($f: AuditLogFilter) { auditLog(filter: $f, first: 100) { edges { node {
         id operation actor role keyId affectedIds changes details requestId } } } }`,
      { f: { actorKeyId: keyId } },
      admin.headers,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.auditLog.edges.map((e) => e.node);
  }

  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(fixture()));
    [viewer, analyst, admin] = await Promise.all([
      keyHeaders(app.db, 'viewer'),
      keyHeaders(app.db, 'analyst'),
      keyHeaders(app.db, 'admin'),
    ]);
  });
  afterAll(() => app.close());

  describe('refusals before the first byte: a status, a JSON body with a stable code, nothing recorded', () => {
    it('answers 401 UNAUTHENTICATED without a key, with a wrong key, and for any format', async () => {
      for (const [path, headers] of [
        ['/export/ftm', {}],
        ['/export/bundle', {}],
        ['/export/nonsense', {}],
        ['/export/ftm', { authorization: 'Bearer hrkg_not-a-key' }],
        ['/export/ftm', { authorization: 'Basic abc' }],
      ] as const) {
        const res = await get(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('content-disposition')).toBeNull();
        const body = (await res.json()) as ErrorBody;
        expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      }
    });

    it('answers 400 BAD_USER_INPUT for an unknown or missing format, naming the formats', async () => {
      for (const path of ['/export/pdf', '/export/FTM', '/export']) {
        const res = await get(path, viewer.headers);
        expect(res.status, path).toBe(400);
        const body = (await res.json()) as ErrorBody;
        expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
        expect(body.errors[0]!.message).toContain('bundle, ftm, acled, prov, graphml');
      }
    });

    it('answers 405 to other methods than GET', async () => {
      const res = await fetch(`${app.url}/export/ftm`, { method: 'POST', headers: analyst.headers });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    });

    it('refuses a bundle to analysts and viewers with 403 FORBIDDEN, and records nothing', async () => {
      const other = await keyHeaders(app.db, 'analyst');
      for (const key of [viewer, other]) {
        const res = await get('/export/bundle', key.headers);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-disposition')).toBeNull();
        const body = (await res.json()) as ErrorBody;
        expect(body.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRole: 'admin' });
      }
      expect(await auditOf(other.keyId)).toEqual([]);
    });
  });

  describe("the key's clearance", () => {
    const FORMATS = [
      ['ftm', 'application/x-ndjson; charset=utf-8', 'ftm.json'],
      ['acled', 'text/csv; charset=utf-8; header=present', 'acled.csv'],
      ['prov', 'application/json; charset=utf-8', 'prov.json'],
      ['graphml', 'application/xml; charset=utf-8', 'graphml'],
    ] as const;

    it.each(FORMATS)(
      '%s: an analyst gets public and restricted records, a viewer public ones, an admin all, with the headers',
      async (format, type, extension) => {
        const seen: Record<string, string> = {};
        for (const [role, key] of [
          ['viewer', viewer],
          ['analyst', analyst],
          ['admin', admin],
        ] as const) {
          const res = await get(`/export/${format}`, key.headers);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toBe(type);
          expect(res.headers.get('content-disposition')).toMatch(
            new RegExp(
              `^attachment; filename="hrkg-\\d{4}-\\d{2}-\\d{2}\\.${extension.replace('.', '\\.')}"$`,
            ),
          );
          // Streamed: no length announced, so a cut-off download cannot pass for a whole one.
          expect(res.headers.get('content-length')).toBeNull();
          expect(res.headers.get('cache-control')).toBe('no-store');
          seen[role] = await res.text();
          expect(res.headers.get('x-export-clearance')).toBe(
            { viewer: 'public', analyst: 'public,restricted', admin: 'public,restricted,confidential' }[role],
          );
        }
        expect(seen.viewer).toContain(PUBLIC);
        expect(seen.viewer).not.toContain(RESTRICTED);
        expect(seen.viewer).not.toContain(CONFIDENTIAL);
        expect(seen.analyst).toContain(PUBLIC);
        expect(seen.analyst).toContain(RESTRICTED);
        expect(seen.analyst).not.toContain(CONFIDENTIAL);
        expect(seen.admin).toContain(CONFIDENTIAL);
      },
    );

    it('the files parse: FtM lines and PROV as JSON, GraphML as XML, ACLED with its header', async () => {
      const ftm = await (await get('/export/ftm', analyst.headers)).text();
      const lines = ftm.split('\n').filter((l) => l);
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect(JSON.parse(l)).toHaveProperty('schema');
      const prov = (await (await get('/export/prov', analyst.headers)).json()) as Record<string, unknown>;
      expect(prov).toHaveProperty('entity');
      const graphml = await (await get('/export/graphml', analyst.headers)).text();
      expect(graphml).toMatch(/^<\?xml[^>]*\?>\s*<graphml[\s>]/);
      expect(graphml.trimEnd()).toMatch(/<\/graphml>$/);
      const acled = await (await get('/export/acled', analyst.headers)).text();
      expect(acled.split('\r\n')[0]).toMatch(/^event_id_cnty,/);
    });
  });

  describe('bundle', () => {
    it('gives an admin the backup: every record and the store section', async () => {
      let res = await get('/export/bundle', admin.headers);
      // A whole-store read meeting other test files' writes 5 times in a row is refused with CONFLICT.
      for (let i = 0; res.status === 409 && i < 3; i++) res = await get('/export/bundle', admin.headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/filename="hrkg-[\d-]+\.bundle\.json"$/);
      const doc = (await res.json()) as {
        format: string;
        actors: { name: string }[];
        store: { nodes: unknown[]; relationships: unknown[] };
      };
      expect(doc.format).toBe('hrkg-bundle/1');
      expect(doc.actors.map((a) => a.name)).toContain(`Officer ${CONFIDENTIAL}`);
      expect(doc.store.nodes.length).toBeGreaterThan(100);
      expect(doc.store.relationships.length).toBeGreaterThan(100);
    });
  });

  describe('audit', () => {
    it('records the export before its first byte and its outcome after its last, with format, clearance and counts', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const res = await get('/export/ftm', { ...key.headers, 'x-request-id': `case-${u}` });
      expect(res.status).toBe(200);
      const body = await res.text();
      const records = await auditOf(key.keyId);
      expect(records.map((r) => r.operation)).toEqual(['exportOutcome', 'export']);
      const [outcome, started] = records as [AuditNode, AuditNode];
      expect(started).toMatchObject({
        role: 'analyst',
        keyId: key.keyId,
        actor: `${key.name} (${key.keyId})`,
        affectedIds: [],
        changes: '[]',
        requestId: res.headers.get('x-request-id'),
      });
      const details = JSON.parse(started.details!) as {
        format: string;
        clearance: string[];
        counts: Record<string, number>;
      };
      expect(details.format).toBe('ftm');
      expect(details.clearance).toEqual(['public', 'restricted']);
      expect(details.counts.actors).toBeGreaterThan(3);
      expect(outcome.affectedIds).toEqual([started.id]);
      expect(JSON.parse(outcome.details!)).toMatchObject({
        format: 'ftm',
        outcome: 'complete',
        bytes: Buffer.byteLength(body),
        records: body.split('\n').filter((l) => l).length,
      });
      // The audit log finds exports by operation.
      const byOperation = await app.graphql<{ auditLog: { edges: { node: { id: string } }[] } }>(
        `{ auditLog(filter: { operation: "export" }, first: 100) { edges { node { id } } } }`,
        undefined,
        admin.headers,
      );
      expect(byOperation.data!.auditLog.edges.map((e) => e.node.id)).toContain(started.id);
    });
  });

  it('records a failed outcome, with the bytes that left, when the output breaks mid-export', async () => {
    const key = await keyHeaders(app.db, 'analyst');
    const who = { role: 'analyst' as const, keyId: key.keyId, name: key.name };
    let bytes = 0;
    // Takes the first 100 bytes, then fails as a dropped connection does.
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > 100 ? new Error('connection reset') : null);
      },
    });
    out.on('error', () => {});
    const executor = app.db.executor.forRequest(`failing-${u}`, clearance('analyst'));
    await expect(
      deliverExport(executor, who, 'prov', out, { sentBytes: () => bytes, flush: async () => {} }),
    ).rejects.toThrow();
    const [outcome, started] = (await auditOf(key.keyId)) as [AuditNode, AuditNode];
    expect(started.operation).toBe('export');
    expect(outcome.operation).toBe('exportOutcome');
    expect(outcome.affectedIds).toEqual([started.id]);
    expect(JSON.parse(outcome.details!)).toMatchObject({ format: 'prov', outcome: 'failed', bytes });
    expect(bytes).toBeGreaterThan(100);
  });

  describe('bounded: one export per key, two in all', () => {
    it('answers 429 TOO_MANY_REQUESTS with Retry-After while the key has an export running', async () => {
      const key = await keyHeaders(app.db, 'viewer');
      const running = app.server.exports.take(key.keyId);
      if (!('release' in running)) throw new Error('no slot free');
      try {
        const res = await get('/export/ftm', key.headers);
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('10');
        const body = (await res.json()) as ErrorBody;
        expect(body.errors[0]!.extensions).toMatchObject({
          code: 'TOO_MANY_REQUESTS',
          retryAfterSeconds: 10,
        });
        expect(body.errors[0]!.message).toMatch(/already running/);
        // Another key is not held up by it.
        const other = await get('/export/ftm', viewer.headers);
        expect(other.status).toBe(200);
        await other.text();
      } finally {
        running.release();
      }
      const after = await get('/export/ftm', key.headers);
      expect(after.status).toBe(200);
      await after.text();
      expect(app.server.exports.running).toBe(0);
    });

    it('answers 429 to every key while two exports are running', async () => {
      const held = ['other-a', 'other-b'].map((k) => app.server.exports.take(k));
      try {
        const res = await get('/export/graphml', analyst.headers);
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('10');
        expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/2 exports are running/);
      } finally {
        for (const h of held) if ('release' in h) h.release();
      }
    });

    it('gives the slot back when an export ends, whether it succeeded or was refused', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const [prov, bundle] = await Promise.all([
        get('/export/prov', key.headers),
        get('/export/bundle', key.headers),
      ]);
      expect([prov.status, bundle.status]).toEqual([200, 403]);
      await Promise.all([prov.text(), bundle.text()]);
      expect(app.server.exports.running).toBe(0);
      const again = await get('/export/acled', key.headers);
      expect(again.status).toBe(200);
      await again.text();
    });
  });

  describe('an export that breaks after its first byte', () => {
    let url: string;
    let server: http.Server;
    const slots = new ExportSlots();
    let stalled: { bytes: number; error: string | null } = { bytes: 0, error: null };

    /** Writes half an export and fails (or, for graphml, writes until the client stops reading). */
    const deliver: typeof deliverExport = async (_executor, _viewer, format, out, hooks) => {
      const write = (chunk: string) =>
        new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));
      if (format === 'ftm') {
        await write('{"id": "a", "schema": "Person", "properties": {}}\n');
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('the graph went away mid-export');
      }
      try {
        for (;;) await write('x'.repeat(64 * 1024));
      } catch (err) {
        stalled = { bytes: hooks.sentBytes(), error: (err as Error).message };
        throw err;
      }
    };

    beforeAll(async () => {
      const express_ = express();
      const logger = createLogger('silent', 'test');
      express_.use(requestLogger(logger));
      const gate = new ViewerGate(new Authenticator(app.db.executor), 1024);
      express_.all(
        '/export{/:format}',
        exportRoute({ db: app.db, gate, slots, writeTimeoutMs: 300, deliver }),
      );
      server = http.createServer(express_);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('is cut off: the client sees an incomplete transfer, never a complete-looking file', async () => {
      const res = await fetch(`${url}/export/ftm`, { headers: analyst.headers });
      // The status was sent with the first byte; what follows is the broken body.
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow(/terminated/);
    });

    it('drops a client that stops reading, so its export ends and frees its slot', async () => {
      stalled = { bytes: 0, error: null };
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get(`${url}/export/graphml`, { headers: analyst.headers }, resolve).on('error', reject);
      });
      expect(res.statusCode).toBe(200);
      // Not read: the server's writes stall, and after writeTimeoutMs (300 ms) it drops the connection.
      res.pause();
      res.on('error', () => {});
      await expect
        .poll(() => stalled.error, { timeout: 10_000 })
        .toMatch(/closed before the export finished/);
      expect(stalled.bytes).toBeGreaterThan(0);
      expect(slots.running).toBe(0);
      // A paused socket notices the close only when it reads again: the body then ends incomplete.
      const complete = new Promise<boolean>((resolve) => res.on('close', () => resolve(res.complete)));
      res.resume();
      expect(await complete).toBe(false);
    });
  });
});
