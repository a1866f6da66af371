import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearance } from '../../src/model/access.js';
import { BundleError } from '../../src/io/bundle/resolve.js';
import { exportBundle } from '../../src/services/export.js';
import { loadBundle } from '../../src/services/import.js';
import { ClaimAttributionDocument, CreateEntityDocument, RecordClaimDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import {
  auditsOf,
  claimsWithSummary,
  countOf,
  cpStart,
  expectOk,
  newWorld,
  type Key,
} from '../helpers/writes.js';

/**
 * Attribution hops with detail (issue #15): who spoke, in what capacity, and the words of the source naming
 * them, through recordClaim and bundles alike; kept by the bundle export and protected on re-import.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hrkg-attribution-'));

describe('attribution hops', () => {
  let app: TestApp;
  let key: Key;
  beforeAll(async () => {
    app = await startTestApp();
    key = await keyHeaders(app.db, 'analyst');
  });
  afterAll(() => app.close());

  const hopsOf = async (id: string) => {
    const data = await expectOk(app, ClaimAttributionDocument, { id }, key);
    return (data.node as { attribution: unknown[] }).attribution;
  };

  async function fail(input: Record<string, unknown>) {
    const res = await app.graphql(RecordClaimDocument, { input }, key.headers);
    expect(res.data ?? null).toBeNull();
    return res.errors![0]!;
  }

  it('records each hop with its capacity and the words naming it, and reads them back', async () => {
    const w = await newWorld(app, key);
    const director = (
      await expectOk(
        app,
        CreateEntityDocument,
        { input: { kind: 'ACTOR', type: 'person', name: `Director ${w.u}` } },
        key,
      )
    ).createEntity.id;
    const summary = `Director ${w.u} said 1,160 left.`;
    const { recordClaim } = await expectOk(
      app,
      RecordClaimDocument,
      {
        input: {
          subjectId: w.eventId,
          summary,
          sourceId: w.sourceId,
          excerpts: [{ quote: 'Others said 1,160 left the prison' }],
          attribution: [
            { actorId: w.actorId, capacity: '  the monitor, as publisher  ' },
            {
              actorId: director,
              capacity: 'director of the monitor, speaking for it',
              excerpt: { quote: 'Others said' },
            },
          ],
        },
      },
      key,
    );
    const start = cpStart(w.text, 'Others said');
    expect(await hopsOf(recordClaim.id)).toEqual([
      { hop: 1, capacity: 'the monitor, as publisher', agent: { id: w.actorId }, excerpt: null },
      {
        hop: 2,
        capacity: 'director of the monitor, speaking for it',
        agent: { id: director },
        excerpt: {
          id: expect.stringMatching(/^ex-/),
          exact: 'Others said',
          start,
          end: start + 11,
          source: { id: w.sourceId },
        },
      },
    ]);
    // The audit records the hops with the claim, and the new excerpt.
    const audits = await auditsOf(app.db.executor, key.keyId);
    const last = audits[audits.length - 1]!;
    expect(last.operation).toBe('recordClaim');
    const changes = JSON.parse(String(last.changesJson)) as { id: string; after: Record<string, unknown> }[];
    const claim = changes.find((c) => c.id === recordClaim.id)!;
    expect(claim.after.attribution).toEqual([
      { capacity: 'the monitor, as publisher', excerptId: null },
      { capacity: 'director of the monitor, speaking for it', excerptId: expect.stringMatching(/^ex-/) },
    ]);
    expect(
      changes.some((c) => c.id.startsWith('ex-') && (c.after as { exact?: string }).exact === 'Others said'),
    ).toBe(true);

    // attributedTo keeps working: hops without detail.
    const plain = await expectOk(
      app,
      RecordClaimDocument,
      {
        input: {
          subjectId: w.eventId,
          summary: `${summary} (plain)`,
          sourceId: w.sourceId,
          excerpts: [{ quote: 'Others said 1,160 left the prison' }],
          attributedTo: [w.actorId],
        },
      },
      key,
    );
    expect(await hopsOf(plain.recordClaim.id)).toEqual([
      { hop: 1, capacity: null, agent: { id: w.actorId }, excerpt: null },
    ]);
  });

  it('refuses both lists, words not in the source, ambiguous or misplaced words, and writes nothing', async () => {
    const w = await newWorld(app, key);
    const summary = `Refused attribution ${w.u}`;
    const base = {
      subjectId: w.eventId,
      summary,
      sourceId: w.sourceId,
      excerpts: [{ quote: 'Others said 1,160 left the prison' }],
    };
    const both = await fail({ ...base, attributedTo: [w.actorId], attribution: [{ actorId: w.actorId }] });
    expect(both.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['input', 'attribution'] });
    expect(both.message).toMatch(/attribution or attributedTo, not both/);

    const missing = await fail({
      ...base,
      attribution: [{ actorId: w.actorId, excerpt: { quote: 'the director said' } }],
    });
    expect(missing.extensions).toMatchObject({
      code: 'QUOTE_NOT_FOUND',
      inputPath: ['input', 'attribution', 0, 'excerpt', 'quote'],
    });
    const ambiguous = await fail({
      ...base,
      attribution: [{ actorId: w.actorId, excerpt: { quote: 'Nearly 1,168' } }],
    });
    expect(ambiguous.extensions).toMatchObject({
      code: 'QUOTE_AMBIGUOUS',
      inputPath: ['input', 'attribution', 0, 'excerpt', 'quote'],
    });
    const start = cpStart(w.text, 'Others said');
    const mismatch = await fail({
      ...base,
      attribution: [
        { actorId: w.actorId, excerpt: { quote: 'Others said', start: start + 1, end: start + 12 } },
      ],
    });
    expect(mismatch.extensions).toMatchObject({
      code: 'EXCERPT_MISMATCH',
      inputPath: ['input', 'attribution', 0, 'excerpt'],
    });
    const notAnActor = await fail({ ...base, attribution: [{ actorId: w.eventId, capacity: 'x' }] });
    expect(notAnActor.extensions).toMatchObject({ inputPath: ['input', 'attribution', 0, 'actorId'] });
    const emptyCapacity = await fail({ ...base, attribution: [{ actorId: w.actorId, capacity: '  ' }] });
    expect(emptyCapacity.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      inputPath: ['input', 'attribution', 0, 'capacity'],
    });
    expect(await countOf(app.db.executor, claimsWithSummary, { summary })).toBe(0);
  });

  it('loads hops with detail from a bundle, exports them, and refuses a reload that changes them', async () => {
    const u = uniq();
    const text = `The monitor's director, speaking for it, told us 40 were released in Town ${u}.`;
    const bundle = fixtureBundle(u, text, [
      {
        id: `cl-t${u}-said`,
        subject: `ev-t${u}`,
        summary: '40 released, per the director',
        source: `src-t${u}`,
        quotes: ['40 were released'],
        attribution: [
          {
            actor: `ac-t${u}`,
            capacity: 'director of the monitor, speaking for it',
            quote: "The monitor's director",
          },
        ],
      },
    ]);
    await loadBundle(app.db.executor, writeBundle(bundle));
    const hops = await hopsOf(`cl-t${u}-said`);
    expect(hops).toEqual([
      {
        hop: 1,
        capacity: 'director of the monitor, speaking for it',
        agent: { id: `ac-t${u}` },
        excerpt: expect.objectContaining({ exact: "The monitor's director", start: 0, end: 22 }),
      },
    ]);

    // Both lists, or a hop's words in another source: refused by the bundle's checks.
    const problems = async (doc: Record<string, unknown>) => {
      try {
        await loadBundle(app.db.executor, writeBundle(doc));
      } catch (err) {
        if (err instanceof BundleError) return err.problems;
        throw err;
      }
      throw new Error('expected the bundle to be refused');
    };
    const claim = bundle.claims[0]!;
    expect(await problems(fixtureBundle(u, text, [{ ...claim, attributedTo: [`ac-t${u}`] }]))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/attribution or attributedTo/) }),
    ]);
    expect(
      await problems(
        fixtureBundle(u, text, [{ ...claim, attribution: [{ actor: `ac-t${u}`, quote: 'the director' }] }]),
      ),
    ).toEqual([expect.objectContaining({ path: 'claims[0].attribution[0].quote' })]);
    // Another capacity for the stored claim: evidence is never changed in place.
    const changed = await problems(
      fixtureBundle(u, text, [{ ...claim, attribution: [{ actor: `ac-t${u}`, capacity: 'spokesman' }] }]),
    );
    expect(changed).toEqual([
      expect.objectContaining({ path: 'claims[0]', message: expect.stringContaining('attribution') }),
    ]);
    expect(await hopsOf(`cl-t${u}-said`)).toEqual(hops);

    // The bundle export carries the hop's capacity and words; reloading it changes nothing.
    const file = path.join(tmp, `${u}.json`);
    const out = createWriteStream(file);
    // An analyst's export: the readable bundle only (a full one is a backup of the whole test store).
    await exportBundle(app.db.executor.forRequest('attribution-export', clearance('analyst')), out);
    out.end();
    await once(out, 'finish');
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { claims: Record<string, unknown>[] };
    const mine = exported.claims.find((c) => c.id === `cl-t${u}-said`)!;
    expect(mine.attribution).toEqual([
      {
        actor: `ac-t${u}`,
        capacity: 'director of the monitor, speaking for it',
        quote: { exact: "The monitor's director", start: 0, end: 22 },
      },
    ]);
    expect(mine.attributedTo).toBeUndefined();
    const again = fixtureBundle(u, text, [{ ...claim, attribution: mine.attribution }]);
    await loadBundle(app.db.executor, writeBundle(again));
    expect(await hopsOf(`cl-t${u}-said`)).toEqual(hops);
  });
});
