import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { statement } from '../../src/graph/executor.js';
import { migrate } from '../../src/graph/migrate.js';
import { excerptId } from '../../src/model/ids.js';
import { sha256 } from '../../src/model/text.js';
import { projectRoot } from '../../src/paths.js';
import { startTestApp, testConfig, testDatabase, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * Faults, on a Neo4j of this file's own (a temp folder, like health.test.ts), so that killing it does not
 * disturb the other test files:
 *  1. Neo4j is killed with SIGKILL under a write load: requests fail promptly with DATABASE_UNAVAILABLE,
 *     the API recovers by itself once Neo4j is back on the same folder and port, every acknowledged
 *     write survived, every unacknowledged one is wholly there or wholly absent, and retrying it with
 *     its idempotencyKey yields exactly one record.
 *  2. `kg import` is killed with SIGKILL in the middle of its write transaction: nothing of the bundle is
 *     left, and a rerun loads all of it.
 * Only loopback traffic. Timings are printed as [faults] lines.
 */

const NEO4J_OPTS = { heap: '512m', pagecache: '64m' } as const;
const KG = path.join(projectRoot, 'src/cli/kg.ts');

// Load shape: after one warm-up write of each kind, CLIENTS concurrent clients write until Neo4j is killed,
// once KILL_AFTER_ACKS writes were acknowledged or KILL_AFTER_MS passed (so the load lasts at most
// ~KILL_AFTER_MS plus the failures); then each client sends one more request, started after the kill.
const CLIENTS = 4;
const KILL_AFTER_ACKS = 24;
const KILL_AFTER_MS = 8_000;
const MAX_REQUESTS = 1_000;
/** A request taking longer than this counts as hung (the assertion is stricter: 10 s). */
const HANG_MS = 20_000;
const PROMPT_MS = 10_000;

const CREATE = `mutation($input: CreateEntityInput!, $key: String) {
  createEntity(input: $input, idempotencyKey: $key) { id name }
}`;
const INGEST = `mutation($input: IngestSourceInput!, $key: String) {
  ingestSource(input: $input, idempotencyKey: $key) { created source { id } }
}`;

type Kind = 'createEntity' | 'ingestSource';

interface Attempt {
  kind: Kind;
  idempotencyKey: string;
  /** The entity's unique name, or the source's unique text. */
  marker: string;
  variables: Record<string, unknown>;
  /** Milliseconds since the test began. */
  startedAt: number;
  ms: number;
  httpStatus: number;
  acked: boolean;
  id?: string;
  code?: string;
  message?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const entitiesByName = statement(
  'test.faults.entitiesByName',
  `UNWIND $names AS name
   OPTIONAL MATCH (n:Entity {name: name})
   RETURN name AS marker, collect(n.id) AS ids`,
);
const sourcesByHash = statement(
  'test.faults.sourcesByHash',
  `UNWIND $hashes AS h
   OPTIONAL MATCH (s:Source {sha256: h})
   RETURN h AS marker, collect(s.id) AS ids`,
);
/** Audit records of this key's writes, each affected id with whether it exists. */
const auditOfKey = statement(
  'test.faults.auditOfKey',
  `MATCH (a:AuditRecord {keyId: $keyId}) WHERE a.operation IN ['createEntity', 'ingestSource']
   UNWIND a.affectedIds AS id
   OPTIONAL MATCH (n {id: id})
   RETURN a.id AS auditId, a.operation AS operation, id, n IS NOT NULL AS exists`,
);
const idempotencyOfKey = statement(
  'test.faults.idempotencyOfKey',
  `MATCH (i:IdempotencyKey) WHERE i.key STARTS WITH $prefix
   RETURN i.key AS key, i.operation AS operation, i.resultJson AS resultJson`,
);
/** What the graph holds of a bundle: its records by label and id, its load record and its audit record. */
const bundleTraces = statement(
  'test.faults.bundleTraces',
  `CALL () { MATCH (s:Source) WHERE s.id = $sourceId OR s.sha256 = $textSha256 RETURN count(s) AS sources }
   CALL () { UNWIND $entityIds AS id MATCH (n:Entity {id: id}) RETURN count(n) AS entities }
   CALL () { UNWIND $excerptIds AS id MATCH (e:Excerpt {id: id}) RETURN count(e) AS excerpts }
   CALL () { UNWIND $claimIds AS id MATCH (c:Claim {id: id}) RETURN count(c) AS claims }
   CALL () {
     MATCH (:Claim)-[:SUPPORTED_BY]->(:Excerpt)-[:IN_SOURCE]->(s:Source {id: $sourceId})
     RETURN count(*) AS evidence
   }
   CALL () { OPTIONAL MATCH (b:BundleLoad {sha256: $sha256}) RETURN count(b) AS loads }
   CALL () {
     OPTIONAL MATCH (a:AuditRecord {operation: 'loadBundle'}) WHERE $sourceId IN a.affectedIds
     RETURN count(a) AS audits
   }
   RETURN sources, entities, excerpts, claims, evidence, loads, audits`,
);

/** What the graph holds for each attempt, and for this key's audit records and idempotency keys. */
interface GraphState {
  idsOf: Map<string, string[]>;
  auditsOf: Map<string, number>;
  /** Audit records whose affected ids include one that does not exist. */
  danglingAudits: string[];
  auditCount: Record<Kind, number>;
  idempotency: Map<string, { operation: string; resultJson: string | null }>;
}

describe('faults', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-faults-'));
  let neo4j: EmbeddedNeo4j;
  let config: Config;
  let app: TestApp;
  let key: Awaited<ReturnType<typeof keyHeaders>>;
  /** A key the API has not seen (nor cached) before Neo4j is killed. */
  let unseenKey: Awaited<ReturnType<typeof keyHeaders>>;
  /** Processes and folders this file started or made, ended and removed in afterAll. */
  const children: ChildProcess[] = [];
  const tempDirs = [dataDir];

  const startNeo4j = (boltPort?: number) =>
    startEmbeddedNeo4j({ dataDir, boltPort, password: config.neo4j.password, ...NEO4J_OPTS });

  beforeAll(async () => {
    config = testConfig();
    neo4j = await startNeo4j();
    config = testConfig({ NEO4J_URI: neo4j.uri, NEO4J_PASSWORD: config.neo4j.password ?? '' });
    const db = testDatabase(neo4j.uri, config);
    await migrate(db.executor);
    app = await startTestApp({ config, db });
    key = await keyHeaders(db, 'analyst');
    unseenKey = await keyHeaders(db, 'analyst');
  });

  afterAll(async () => {
    for (const child of children) if (!hasExited(child)) child.kill('SIGKILL');
    await app?.close();
    await app?.db.close();
    await neo4j?.stop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Neo4j is up for the next test even when an earlier one failed while it was down. */
  async function ensureNeo4j() {
    if (hasExited(neo4j.process)) neo4j = await startNeo4j(neo4j.port);
  }

  async function post(query: string, variables: Record<string, unknown>, headers = key.headers) {
    const started = performance.now();
    try {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const body = (await res.json()) as {
        data?: Record<string, Record<string, unknown> | null> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      return { status: res.status, body, ms: performance.now() - started };
    } catch (err) {
      const e = err as Error;
      const code = e.name === 'TimeoutError' ? 'HUNG' : 'HTTP_FAILED';
      return {
        status: 0,
        body: { errors: [{ message: e.message, extensions: { code } }] },
        ms: performance.now() - started,
      };
    }
  }

  function newAttempt(kind: Kind, tag: string): Omit<Attempt, 'startedAt' | 'ms' | 'httpStatus' | 'acked'> {
    const idempotencyKey = `faults-${tag}`;
    if (kind === 'createEntity') {
      const marker = `Fault test actor ${tag}`;
      return {
        kind,
        idempotencyKey,
        marker,
        variables: { input: { kind: 'ACTOR', type: 'organization', name: marker }, key: idempotencyKey },
      };
    }
    const marker = `Fault test report ${tag}: a witness saw the convoy leave the prison at dawn.`;
    return {
      kind,
      idempotencyKey,
      marker,
      variables: {
        input: { text: marker, title: `Fault report ${tag}`, language: 'en' },
        key: idempotencyKey,
      },
    };
  }

  async function send(a: ReturnType<typeof newAttempt>, t0: number): Promise<Attempt> {
    const startedAt = performance.now() - t0;
    const r = await post(a.kind === 'createEntity' ? CREATE : INGEST, a.variables);
    const payload = r.body.data?.[a.kind];
    const id =
      a.kind === 'createEntity'
        ? (payload?.id as string | undefined)
        : ((payload?.source as { id?: string } | undefined)?.id ?? undefined);
    const acked = r.status === 200 && !r.body.errors?.length && typeof id === 'string';
    const error = r.body.errors?.[0];
    return {
      ...a,
      startedAt,
      ms: Math.round(r.ms),
      httpStatus: r.status,
      acked,
      ...(acked ? { id } : { code: error?.extensions?.code ?? 'NONE', message: error?.message }),
    };
  }

  async function graphState(ledger: Attempt[]): Promise<GraphState> {
    const ex = app.db.executor;
    const entityRows = await ex.read(entitiesByName, {
      names: ledger.filter((a) => a.kind === 'createEntity').map((a) => a.marker),
    });
    const sourceRows = await ex.read(sourcesByHash, {
      hashes: ledger.filter((a) => a.kind === 'ingestSource').map((a) => sha256(a.marker)),
    });
    const idsOf = new Map<string, string[]>();
    for (const r of entityRows) idsOf.set(String(r.marker), r.ids as string[]);
    const byHash = new Map(sourceRows.map((r) => [String(r.marker), r.ids as string[]]));
    for (const a of ledger) if (a.kind === 'ingestSource') idsOf.set(a.marker, byHash.get(sha256(a.marker))!);

    const auditsOf = new Map<string, number>();
    const danglingAudits = new Set<string>();
    const audits: Record<Kind, Set<string>> = { createEntity: new Set(), ingestSource: new Set() };
    for (const r of await ex.read(auditOfKey, { keyId: key.keyId })) {
      const id = String(r.id);
      auditsOf.set(id, (auditsOf.get(id) ?? 0) + 1);
      audits[r.operation as Kind].add(String(r.auditId));
      if (!r.exists) danglingAudits.add(String(r.auditId));
    }
    const idempotency = new Map<string, { operation: string; resultJson: string | null }>();
    for (const r of await ex.read(idempotencyOfKey, { prefix: `${key.keyId}:` })) {
      idempotency.set(String(r.key).slice(`${key.keyId}:`.length), {
        operation: String(r.operation),
        resultJson: (r.resultJson as string | null) ?? null,
      });
    }
    return {
      idsOf,
      auditsOf,
      danglingAudits: [...danglingAudits],
      auditCount: { createEntity: audits.createEntity.size, ingestSource: audits.ingestSource.size },
      idempotency,
    };
  }

  /**
   * Whether the graph holds the attempt wholly (record, audit record, idempotency key with its result)
   * or not at all; anything else is a partial write.
   */
  function holding(state: GraphState, a: Attempt): 'whole' | 'absent' | string {
    const ids = state.idsOf.get(a.marker) ?? [];
    const idem = state.idempotency.get(a.idempotencyKey);
    if (ids.length === 0) {
      if (idem) return `idempotency key ${a.idempotencyKey} stored without its record`;
      if (a.kind === 'ingestSource' && state.auditsOf.has(`src-${sha256(a.marker).slice(0, 16)}`))
        return 'audit record without its source';
      return 'absent';
    }
    if (ids.length > 1) return `${ids.length} records`;
    const id = ids[0]!;
    if (state.auditsOf.get(id) !== 1) return `${state.auditsOf.get(id) ?? 0} audit records for ${id}`;
    if (!idem?.resultJson) return `no idempotency result for ${id}`;
    const stored = (JSON.parse(idem.resultJson) as { id?: string }).id;
    if (stored !== id) return `idempotency result ${stored} is not ${id}`;
    return 'whole';
  }

  async function health() {
    const started = performance.now();
    const res = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(HANG_MS) });
    await res.arrayBuffer();
    return { status: res.status, ms: Math.round(performance.now() - started) };
  }

  it('survives kill -9 of Neo4j under write load: prompt errors, self-recovery, no lost or partial writes', async () => {
    const run = uniq();
    const ledger: Attempt[] = [];
    let killAt: number | undefined;
    let unseenKeyProbe: Awaited<ReturnType<typeof post>> | undefined;
    const t0 = performance.now();

    // Cypher planning of the first statements is slow on a cold Neo4j; not part of the load.
    for (const kind of ['createEntity', 'ingestSource'] as const) {
      ledger.push(await send(newAttempt(kind, `${run}-warm-${kind}`), t0));
    }
    expect(ledger.every((a) => a.acked)).toBe(true);
    const loadStart = performance.now() - t0;

    const client = async (c: number) => {
      for (let i = 0; killAt === undefined && ledger.length < MAX_REQUESTS; i++) {
        const kind: Kind = (c + i) % 2 === 0 ? 'createEntity' : 'ingestSource';
        ledger.push(await send(newAttempt(kind, `${run}-${c}-${i}`), t0));
      }
    };
    const killer = async () => {
      while (
        ledger.filter((a) => a.acked).length < KILL_AFTER_ACKS &&
        performance.now() - t0 - loadStart < KILL_AFTER_MS
      ) {
        await sleep(10);
      }
      process.kill(neo4j.pid, 'SIGKILL');
      killAt = performance.now() - t0;
      await exited(neo4j.process);
      // Requests that start with the database gone (while those in flight at the kill are failing), and
      // one whose key must be checked in the database (it is not in the API's key cache).
      const probe = post('{ node(id: "ev-none") { id } }', {}, unseenKey.headers);
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          const kind: Kind = c % 2 === 0 ? 'createEntity' : 'ingestSource';
          ledger.push(await send(newAttempt(kind, `${run}-k${c}`), t0));
        }),
      );
      unseenKeyProbe = await probe;
    };
    await Promise.all([killer(), ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
    const loadEnd = performance.now() - t0;
    const down = await health();

    const acked = ledger.filter((a) => a.acked);
    const failed = ledger.filter((a) => !a.acked);
    const afterKill = ledger.filter((a) => a.startedAt >= killAt!);
    const codes = Object.fromEntries(
      [...new Set(failed.map((a) => `${a.code}/${a.httpStatus}`))].map((c) => [
        c,
        failed.filter((a) => `${a.code}/${a.httpStatus}` === c).length,
      ]),
    );
    const failMs = failed.map((a) => a.ms).sort((x, y) => x - y);
    const ackMs = acked.map((a) => a.ms).sort((x, y) => x - y);
    console.log(
      `[faults] load ${Math.round(loadStart)}-${Math.round(loadEnd)} ms, kill at ${Math.round(killAt!)} ms: ` +
        `${ledger.length} requests, ${acked.length} acknowledged (median ${ackMs[Math.floor(ackMs.length / 2)]} ms), ` +
        `${failed.length} failed ${JSON.stringify(codes)}; ` +
        `failure latency min ${failMs[0]} / median ${failMs[Math.floor(failMs.length / 2)]} / max ${failMs.at(-1)} ms; ` +
        `healthz after kill ${down.status} in ${down.ms} ms; a key not cached: ` +
        `${unseenKeyProbe?.body.errors?.[0]?.extensions?.code}/${unseenKeyProbe?.status} in ` +
        `${Math.round(unseenKeyProbe?.ms ?? 0)} ms`,
    );

    expect(acked.length).toBeGreaterThanOrEqual(4);
    expect(afterKill.length).toBeGreaterThanOrEqual(CLIENTS);
    // Everything started after the kill fails; every failure is DATABASE_UNAVAILABLE, promptly, never a
    // hang, an internal error or a broken HTTP exchange.
    for (const a of afterKill) expect(a.acked, `${a.idempotencyKey} acknowledged after the kill`).toBe(false);
    for (const a of failed) {
      expect({ key: a.idempotencyKey, code: a.code, message: a.message }).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
      });
      expect(a.httpStatus, a.idempotencyKey).not.toBe(500);
      expect(a.httpStatus, a.idempotencyKey).toBeGreaterThan(0);
    }
    for (const a of ledger) expect(a.ms, `${a.idempotencyKey} took ${a.ms} ms`).toBeLessThan(PROMPT_MS);
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(PROMPT_MS);
    // Authentication needs the database for a key it has not cached: the same code, as promptly. (Its
    // HTTP status is Apollo's for a failed context, 500, as the error carries no HTTP status.)
    expect(unseenKeyProbe!.body.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(unseenKeyProbe!.ms).toBeLessThan(PROMPT_MS);

    // Same folder, same port; the API is not restarted and must reconnect by itself.
    const restartStarted = performance.now();
    neo4j = await startNeo4j(neo4j.port);
    const restartMs = Math.round(performance.now() - restartStarted);
    const recoverStarted = performance.now();
    let up = await health();
    while (up.status !== 200 && performance.now() - recoverStarted < 30_000) {
      await sleep(250);
      up = await health();
    }
    const recoveryMs = Math.round(performance.now() - recoverStarted);
    const healthyAfterKill = Math.round(performance.now() - t0 - killAt!);
    expect(up.status).toBe(200);

    // Every acknowledged write is there, wholly; every other one is wholly there or wholly absent.
    const state = await graphState(ledger);
    expect(state.danglingAudits).toEqual([]);
    const outcomes = new Map(ledger.map((a) => [a.idempotencyKey, holding(state, a)]));
    for (const a of acked) {
      expect(outcomes.get(a.idempotencyKey), a.idempotencyKey).toBe('whole');
      expect(state.idsOf.get(a.marker), a.idempotencyKey).toEqual([a.id]);
    }
    for (const a of failed)
      expect(['whole', 'absent'], a.idempotencyKey).toContain(outcomes.get(a.idempotencyKey));
    const whole = (kind: Kind) =>
      ledger.filter((a) => a.kind === kind && outcomes.get(a.idempotencyKey) === 'whole');
    // No audit record of this key without its write, none for a write nobody sent.
    expect(state.auditCount.createEntity).toBe(whole('createEntity').length);
    expect(state.auditCount.ingestSource).toBe(whole('ingestSource').length);
    expect(state.idempotency.size).toBe(whole('createEntity').length + whole('ingestSource').length);
    const committedUnacked = failed.filter((a) => outcomes.get(a.idempotencyKey) === 'whole');

    // A retry of each unacknowledged write with its idempotencyKey gives exactly one record: the first
    // one when it had committed.
    const retried: Attempt[] = [];
    const queue = [...failed];
    const retryStarted = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let a = queue.shift(); a; a = queue.shift()) {
          const { kind, idempotencyKey, marker, variables } = a;
          retried.push(await send({ kind, idempotencyKey, marker, variables }, t0));
        }
      }),
    );
    const retryMs = Math.round(performance.now() - retryStarted);
    for (const r of retried) {
      expect({ key: r.idempotencyKey, acked: r.acked, code: r.code, message: r.message }).toMatchObject({
        acked: true,
      });
    }
    const after = await graphState(ledger);
    expect(after.danglingAudits).toEqual([]);
    for (const a of ledger) {
      expect(holding(after, a), a.idempotencyKey).toBe('whole');
      expect(after.idsOf.get(a.marker), a.idempotencyKey).toHaveLength(1);
    }
    for (const r of retried) expect(after.idsOf.get(r.marker), r.idempotencyKey).toEqual([r.id]);
    for (const a of committedUnacked) {
      expect(after.idsOf.get(a.marker), a.idempotencyKey).toEqual(state.idsOf.get(a.marker));
    }
    expect(after.auditCount.createEntity).toBe(ledger.filter((a) => a.kind === 'createEntity').length);
    expect(after.auditCount.ingestSource).toBe(ledger.filter((a) => a.kind === 'ingestSource').length);

    console.log(
      `[faults] Neo4j restarted (recovery of the killed store) in ${restartMs} ms; API healthy ${recoveryMs} ms ` +
        `after that (${healthyAfterKill} ms after the kill); ` +
        `${acked.length} acknowledged all present; ${failed.length} unacknowledged: ` +
        `${committedUnacked.length} wholly committed, ${failed.length - committedUnacked.length} wholly absent; ` +
        `${retried.length} retried with their idempotencyKey in ${retryMs} ms, one record each`,
    );
  }, 120_000);

  it('leaves nothing of an import killed mid-transaction; a rerun loads all of it', async () => {
    await ensureNeo4j();
    const u = uniq();
    const CLAIMS = 3_000;
    const sourceId = `src-t${u}`;
    const sentences = Array.from(
      { length: CLAIMS },
      (_, i) => `Item ${String(i).padStart(6, '0')} of ${u} records a detention at checkpoint ${i % 97}.`,
    );
    const text = sentences.join(' ');
    const doc = fixtureBundle(
      u,
      text,
      sentences.map((s, i) => ({
        id: `cl-t${u}-${i}`,
        subject: `ev-t${u}`,
        summary: `Detention ${i} at a checkpoint.`,
        source: sourceId,
        quotes: [s],
      })),
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-faults-bundle-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(doc));
    const fileSha = sha256(JSON.stringify(doc));
    // Every id the bundle writes (the text is ASCII: code-point offsets are string offsets).
    const excerptIds: string[] = [];
    for (let i = 0, at = 0; i < sentences.length; at += sentences[i]!.length + 1, i++) {
      excerptIds.push(excerptId(sourceId, at, at + sentences[i]!.length));
    }
    const claimIds = sentences.map((_, i) => `cl-t${u}-${i}`);
    const entityIds = [`ac-t${u}`, `pl-t${u}`, `ev-t${u}`];
    const traces = async () => {
      const [row] = await app.db.executor.read(bundleTraces, {
        sha256: fileSha,
        sourceId,
        textSha256: sha256(text),
        entityIds,
        excerptIds,
        claimIds,
      });
      return row;
    };
    const nothing = { sources: 0, entities: 0, excerpts: 0, claims: 0, evidence: 0, loads: 0, audits: 0 };
    const everything = {
      sources: 1,
      entities: entityIds.length,
      excerpts: CLAIMS,
      claims: CLAIMS,
      evidence: CLAIMS,
      loads: 1,
      audits: 1,
    };

    const kg = (args: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', KG, ...args], {
        cwd: projectRoot,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: '',
          NEO4J_URI: neo4j.uri,
          NEO4J_PASSWORD: config.neo4j.password ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
      const done = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
        child.once('close', (code, signal) => resolve({ code, signal, output })),
      );
      return { child, done };
    };

    /** The import's write transaction as Neo4j lists it, if it is open. */
    const importTx = async () => {
      const session = app.db.driver.session({ database: config.neo4j.database });
      try {
        const res = await session.run(
          `SHOW TRANSACTIONS YIELD transactionId, metaData, currentQuery, elapsedTime
           WHERE metaData.operation = 'import.write'
           RETURN transactionId, currentQuery, elapsedTime.milliseconds AS ms`,
        );
        const r = res.records[0];
        return r
          ? { id: String(r.get('transactionId')), query: String(r.get('currentQuery') ?? '') }
          : undefined;
      } finally {
        await session.close();
      }
    };

    const started = performance.now();
    const first = kg(['import', file, '--format', 'bundle']);
    let finished = false;
    void first.done.then(() => (finished = true));
    // Killed once the transaction has written the entities and the source and is writing excerpts or
    // claims: a kill in the middle, not before the first write nor after the commit.
    let seen: { id: string; query: string } | undefined;
    let txSeenAt: number | undefined;
    while (!finished && performance.now() - started < 60_000) {
      const tx = await importTx();
      if (tx && txSeenAt === undefined) txSeenAt = performance.now() - started;
      if (tx && /MERGE \((e:Excerpt|c:Claim) \{id: r\.id\}\)/.test(tx.query)) {
        seen = tx;
        break;
      }
      await sleep(20);
    }
    expect(finished, 'the import finished before it could be killed').toBe(false);
    expect(seen, 'the import transaction was never seen writing').toBeDefined();
    process.kill(first.child.pid!, 'SIGKILL');
    const killedAt = performance.now() - started;
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    // Neo4j notices the dropped connection and rolls the transaction back.
    while ((await importTx()) && performance.now() - started - killedAt < 30_000) await sleep(100);
    const rolledBackMs = Math.round(performance.now() - started - killedAt);
    expect(await importTx()).toBeUndefined();
    expect(await traces()).toEqual(nothing);

    const rerunStarted = performance.now();
    const rerun = await kg(['import', file, '--format', 'bundle']).done;
    const rerunMs = Math.round(performance.now() - rerunStarted);
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.output).toContain(`${CLAIMS.toLocaleString('en-US')} claims`);
    expect(await traces()).toEqual(everything);

    console.log(
      `[faults] import of ${CLAIMS} claims: transaction seen at ${Math.round(txSeenAt!)} ms, killed at ` +
        `${Math.round(killedAt)} ms while writing ${seen!.query.includes('Claim') ? 'claims' : 'excerpts'}; ` +
        `rolled back within ${rolledBackMs} ms, ` +
        `nothing left; the rerun wrote all of it in ${rerunMs} ms`,
    );
  }, 120_000);
});
