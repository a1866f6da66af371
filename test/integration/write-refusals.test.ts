import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/model/text.js';
import { CreateEntityDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { digest, uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused } from '../helpers/refusals.js';
import { BAD_REQUESTS, NEVER, OVERSIZE_SHA, WRITES } from '../helpers/write-refusal-cases.js';
import {
  auditsOf,
  claimsWithSummary,
  countOf,
  entitiesNamed,
  newScene,
  sourcesWithHash,
  type Key,
  type Scene,
} from '../helpers/writes.js';

/**
 * The write API's refusals, one row each (the tables are in test/helpers/write-refusal-cases.ts): callers
 * who may not write, and bad requests. Each is refused with its code and the path of the offending input,
 * and writes nothing: no record changes, no audit record, none of the records it asked for. Refusals that
 * need no database (roles, input wrong on its face) run no statement at all; the rest are marked
 * needsDatabase.
 */

describe('write API refusals', () => {
  let app: TestApp;
  let setup: Key;
  let s: Scene;
  let before: string;

  beforeAll(async () => {
    app = await startTestApp();
    setup = await keyHeaders(app.db, 'analyst');
    s = await newScene(app, setup);
    before = await digest(app.db.executor, ids());
  });
  afterAll(() => app.close());

  const ids = () => [s.actorId, s.eventId, s.placeId, s.sourceId, s.claim];

  /** The scene as it was, no audit record of the key, and none of the records the refused requests asked for. */
  async function expectNothingWritten(key: Key) {
    const x = app.db.executor;
    expect(await digest(x, ids())).toBe(before);
    expect(await auditsOf(x, key.keyId)).toEqual([]);
    expect(await countOf(x, sourcesWithHash, { sha: sha256(NEVER.stored(s)) })).toBe(0);
    expect(await countOf(x, sourcesWithHash, { sha: sha256(NEVER.source(s)) })).toBe(0);
    expect(await countOf(x, sourcesWithHash, { sha: OVERSIZE_SHA })).toBe(0);
    expect(await countOf(x, entitiesNamed, { name: NEVER.created(s) })).toBe(0);
    expect(await countOf(x, claimsWithSummary, { summary: NEVER.recorded })).toBe(0);
    expect(await countOf(x, claimsWithSummary, { summary: NEVER.claim })).toBe(0);
  }

  describe('who may write', () => {
    let viewer: Key;
    beforeAll(async () => {
      viewer = await keyHeaders(app.db, 'viewer');
    });

    const callers = [
      { caller: 'anonymous callers', code: 'UNAUTHENTICATED' },
      { caller: 'viewers', code: 'FORBIDDEN' },
    ];
    it.each(WRITES.flatMap((w) => callers.map((c) => ({ ...w, ...c }))))(
      'refuses $op to $caller ($code) before the database, writing nothing',
      async ({ doc, vars, caller, code }) => {
        const headers = caller === 'viewers' ? viewer.headers : {};
        expectRefused(await app.graphql(doc, vars(s), headers), code, undefined, { beforeDatabase: true });
        await expectNothingWritten(viewer);
      },
    );
  });

  describe('bad requests', () => {
    let analyst: Key;
    beforeAll(async () => {
      analyst = await keyHeaders(app.db, 'analyst');
    });

    it.each(BAD_REQUESTS)(
      'refuses $name with $code at its input path, writing nothing',
      async ({ doc, vars, code, path, extra, needsDatabase }) => {
        const res = await app.graphql(doc, vars(s), analyst.headers);
        expectRefused(res, code, path, { extensions: extra?.(s), beforeDatabase: !needsDatabase });
        await expectNothingWritten(analyst);
      },
    );

    it.each([
      ['year 0000', 'date', { value: '0000', precision: 'year' }],
      ['a month of year 0000', 'date', { value: '0000-06', precision: 'month' }],
      ['a day of year 0000', 'date', { value: '0000-01-01', precision: 'day' }],
      [
        'a bound in year 0000',
        'date',
        { value: '2020', precision: 'year', qualifier: 'approximate', earliest: '0000-12-31' },
      ],
      ['29 February of a common year', 'endDate', { value: '2100-02-29', precision: 'day' }],
    ])('refuses a date with %s (BAD_USER_INPUT at its path), writing nothing', async (_case, field, date) => {
      const key = await keyHeaders(app.db, 'analyst');
      const name = `Dated ${uniq()}`;
      const input = {
        kind: 'EVENT',
        type: 'other',
        name,
        ...(field === 'date' ? { date } : { date: { value: '2000', precision: 'year' }, endDate: date }),
      };
      const res = await app.graphql(CreateEntityDocument, { input }, key.headers);
      expectRefused(res, 'BAD_USER_INPUT', ['input', field], { beforeDatabase: true });
      expect(await countOf(app.db.executor, entitiesNamed, { name })).toBe(0);
      expect(await auditsOf(app.db.executor, key.keyId)).toEqual([]);
    });
  });
});
