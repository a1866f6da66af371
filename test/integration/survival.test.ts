import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/graph/database.js';
import { statement } from '../../src/graph/executor.js';
import { BODY_LIMITS, TEXT_LIMITS } from '../../src/limits.js';
import { createLogger } from '../../src/logger.js';
import { migrate } from '../../src/graph/migrate.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { startOwnApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';

/**
 * The service survives its readers (#13.1, .4, .13): a public 5 MB source cited by 40 claims of one event,
 * read by anonymous callers in the ways that killed the embedded Neo4j (its text copied out with every claim)
 * or the API (the same text a hundred times in one answer; answers nobody reads; huge unused variables).
 * On a Neo4j of this file's own with the default heap, so that a failure here cannot take the shared one down.
 */
const u = uniq();
const CLAIMS = 40;
const ids = { source: `src-big${u}`, other: `src-small${u}`, event: `ev-big${u}`, publisher: `ac-pub${u}` };

/** About 5 MB of text with one unique sentence per claim, an Arabic line and a character outside the BMP. */
function bigText(): string {
  const filler = 'The monitor recorded further testimony about detention conditions in the region. ';
  const parts: string[] = ['Report 😀 تقرير عن الإفراج. '];
  for (let i = 0; i < CLAIMS; i++) {
    parts.push(filler.repeat(1500), `Release marker ${i} was confirmed by a witness. `);
  }
  return parts.join('');
}
const TEXT = bigText();
const SMALL = `A short statement ${u} about the release.`;

function bundle() {
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-30T10:00:00Z',
    sources: [
      { id: ids.source, text: TEXT, sha256: sha256(TEXT), title: `Big report ${u}`, language: 'en' },
      { id: ids.other, text: SMALL, sha256: sha256(SMALL), title: `Small ${u}`, language: 'en' },
    ],
    actors: [{ id: ids.publisher, type: 'organization', name: `Monitor ${u}` }],
    events: [{ id: ids.event, type: 'release_batch', name: `Release ${u}` }],
    claims: Array.from({ length: CLAIMS }, (_, i) => ({
      id: `cl-big${u}-${i}`,
      subject: ids.event,
      summary: `Release ${i} confirmed`,
      source: ids.source,
      quotes: [`Release marker ${i} was confirmed`],
    })),
  };
}

describe('the service survives its readers', () => {
  let db: Database;
  let app: TestApp;
  let analyst: Record<string, string>;

  beforeAll(async () => {
    app = await startOwnApp(
      { NEO4J_HEAP: '768m', NEO4J_PAGECACHE: '64m', WRITE_TIMEOUT_MS: '1000' },
      async (own) => {
        const logger = createLogger('silent', 'test');
        await migrate(own.executor, logger);
        await loadBundle(own.executor, writeBundle(bundle()));
      },
    );
    db = app.db;
    analyst = (await keyHeaders(db, 'analyst')).headers;
  }, 240_000);
  afterAll(() => app?.close());

  it('answers concurrent claim reads of an event citing a 5 MB source without copying the text', async () => {
    const pid = db.embedded!.pid;
    const claims = `{ node(id: "${ids.event}") { ... on Event { claims { id sources { id title length } } } } }`;
    const provenance = `{ provenance(id: "${ids.source}", first: 500) { claims { id } sources { id } } }`;
    const stats = `{ statistics { measure } conflicts(first: 100) { edges { node { property } } } }`;
    const timed = async (name: string, q: string) => {
      const started = performance.now();
      const res = await app.graphql(q);
      return { name, ms: Math.round(performance.now() - started), bytes: JSON.stringify(res).length, res };
    };
    // One of each alone first (also warms the query plans), then all at once.
    const alone = [
      await timed('node.claims', claims),
      await timed('provenance', provenance),
      await timed('statistics+conflicts', stats),
    ];
    console.log(`[survival] alone: ${alone.map((r) => `${r.name} ${r.ms} ms`).join('; ')}`);
    const runs = await Promise.all([
      ...Array.from({ length: 4 }, () => timed('node.claims', claims)),
      ...Array.from({ length: 10 }, () => timed('provenance', provenance)),
      timed('statistics+conflicts', stats),
    ]);
    console.log(
      `[survival] ${runs.length} concurrent reads on a 5 MB source cited ${CLAIMS} times: ` +
        runs.map((r) => `${r.name} ${r.ms} ms ${r.bytes} B`).join('; '),
    );
    const answers = runs.map((r) => r.res);
    for (const a of answers) expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
    const first = answers[0]!.data as { node: { claims: { id: string; sources: { length: number }[] }[] } };
    expect(first.node.claims).toHaveLength(CLAIMS);
    expect(first.node.claims[0]!.sources[0]!.length).toBe([...TEXT].length);
    // Nobody restarted Neo4j behind the answers.
    expect(db.embedded!.pid).toBe(pid);
    expect(db.embedded!.restarts).toBe(0);
  });

  it('reads texts within a per-request budget (one longer text alone); slices by code point', async () => {
    const whole = await app.graphql<{ node: { text: string } }>(
      `{ node(id: "${ids.source}") { ... on Source { text } } }`,
    );
    expect(whole.data?.node.text).toBe(TEXT);

    // The long text read whole, no other text in the same request: the other field is refused alone.
    const two = await app.graphql<{ a: { text: string } | null; b: { text: string } | null }>(
      `{ a: node(id: "${ids.source}") { ... on Source { text } } b: node(id: "${ids.other}") { ... on Source { text } } }`,
    );
    expect(two.errors?.map((e) => e.extensions?.code)).toEqual(['LIMIT_EXCEEDED']);
    expect([two.data?.a?.text, two.data?.b?.text].filter(Boolean)).toHaveLength(1);

    // Short texts may be read whole together.
    const short = await app.graphql<{ a: { text: string }; b: { text: string } }>(
      `{ a: node(id: "${ids.other}") { ... on Source { text } } b: node(id: "${ids.other}") { ... on Source { text } } }`,
    );
    expect(short.errors).toBeUndefined();
    expect(short.data).toEqual({ a: { text: SMALL }, b: { text: SMALL } });

    // Slices count code points: the emoji is one, as excerpt offsets count it.
    const slice = await app.graphql<{ node: { a: string; b: string } }>(
      `{ node(id: "${ids.source}") { ... on Source { a: text(start: 7, end: 9) b: text(start: 9, end: 14) } } }`,
    );
    expect(slice.errors).toBeUndefined();
    expect(slice.data?.node).toEqual({ a: '😀 ', b: 'تقرير' });
    const past = await app.graphql(
      `{ node(id: "${ids.source}") { ... on Source { text(start: 2000000000) } } }`,
    );
    expect(past.data).toEqual({ node: { text: '' } });

    // Every distinct range makes Neo4j load the whole 5 MB text: thirty one-character slices are refused
    // after the read budget (two of them), not run as thirty parallel 5 MB reads.
    const bites = Array.from({ length: 30 }, (_, i) => `t${i}: text(start: ${i}, end: ${i + 1})`).join(' ');
    const many = await app.graphql(`{ node(id: "${ids.source}") { ... on Source { ${bites} } } }`);
    expect(many.errors?.[0]?.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: TEXT_LIMITS.readCodePointsPerRequest,
    });

    const tooLong = await app.graphql(
      `{ node(id: "${ids.source}") { ... on Source { text(start: 0, end: ${TEXT_LIMITS.maxSliceCodePoints + 1}) } } }`,
    );
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    const backwards = await app.graphql(
      `{ node(id: "${ids.source}") { ... on Source { text(start: 9, end: 3) } } }`,
    );
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses an answer larger than the response limit instead of failing with a 500', async () => {
    // The review's request: one 5 MB source id twenty times, in five aliases (524 MB of JSON).
    const list = Array.from({ length: 20 }, () => `"${ids.source}"`).join(',');
    const five = Array.from(
      { length: 5 },
      (_, i) => `a${i}: nodes(ids: [${list}]) { ... on Source { text } }`,
    );
    const res = await app.graphql(`{ ${five.join(' ')} }`);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: app.config.maxResponseBytes,
    });
    // The service is fine for the next caller.
    expect((await app.graphql('{ viewer { role } }')).data).toEqual({ viewer: { role: 'anonymous' } });
  });

  it('drops a client that never reads its answer', async () => {
    const { port } = new URL(app.url);
    // About 30 MB of answer (under the response limit): more than the kernel's socket buffers hold.
    const list = Array.from({ length: 6 }, () => `"${ids.source}"`).join(',');
    const body = JSON.stringify({ query: `{ nodes(ids: [${list}]) { ... on Source { text } } }` });
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.pause(); // does not read: the kernel's buffers fill, then the server's writes stall
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    // Well past the write timeout (1 s here), the client starts reading: it gets what the kernel buffered,
    // then the end of a connection the server has dropped, not the 30 MB answer.
    await new Promise((r) => setTimeout(r, 8_000));
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    const ended = new Promise<string>((resolve) => {
      socket.once('close', () => resolve('closed'));
      socket.once('error', () => resolve('closed'));
    });
    socket.resume();
    const outcome = await Promise.race([
      ended,
      new Promise<string>((r) => setTimeout(() => r('open'), 20_000)),
    ]);
    expect(outcome, 'the server kept the connection of a client that does not read').toBe('closed');
    expect(received).toBeLessThan(6 * TEXT.length);
    socket.destroy();
  });

  it('keeps a slow client that keeps reading, however long the answer takes', async () => {
    const { port } = new URL(app.url);
    // The long text twice (about 10 MB), read in small bites with pauses: several times the write timeout.
    const body = JSON.stringify({
      query: `{ nodes(ids: ["${ids.source}", "${ids.source}"]) { ... on Source { text } } }`,
    });
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = 0;
    const started = Date.now();
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      socket.pause();
      setTimeout(() => socket.resume(), 15);
    });
    const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await done;
    const seconds = (Date.now() - started) / 1000;
    console.log(`[survival] slow reader took ${received} bytes in ${seconds.toFixed(1)} s`);
    expect(received).toBeGreaterThan(2 * Buffer.byteLength(TEXT));
    expect(seconds).toBeGreaterThan(app.config.writeTimeoutMs / 1000);
  });

  it('takes small bodies only from anonymous callers and viewers, source-sized ones from writers', async () => {
    const padding = 'x'.repeat(BODY_LIMITS.readerBytes + 1024);
    const send = (headers: Record<string, string>) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ viewer { role } }', variables: { padding } }),
      });
    const anonymous = await send({});
    expect(anonymous.status).toBe(413);
    const body = (await anonymous.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: BODY_LIMITS.readerBytes,
    });
    const viewer = await send((await keyHeaders(db, 'viewer')).headers);
    expect(viewer.status).toBe(413);
    const writer = await send(analyst);
    expect(writer.status).toBe(200);
    expect(await writer.json()).toMatchObject({ data: { viewer: { role: 'analyst' } } });
  });

  it('fails a statement over the memory limit at once with DATABASE_MEMORY_LIMIT, leaving Neo4j up', async () => {
    const greedy = statement('test.greedy', 'UNWIND range(1, 100000000) AS x RETURN size(collect(x)) AS n');
    const executor = db.executor.forRequest('greedy', ['public']);
    await expect(executor.read(greedy)).rejects.toMatchObject({
      extensions: { code: 'DATABASE_MEMORY_LIMIT' },
    });
    // Not retried by the driver: one round trip.
    expect(executor.roundTrips.count).toBe(1);
    expect((await db.executor.read(statement('test.one', 'RETURN 1 AS one')))[0]).toEqual({ one: 1 });
    expect(db.embedded!.restarts).toBe(0);
  });
});
