import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement, type Executor } from '../../src/graph/executor.js';
import * as q from '../../src/graph/queries/listing.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { profiled } from '../helpers/profile.js';

/**
 * An actor's events by date (listing.events.DATE_ASC*.by-actor-date and listing.timeline*.by-actor-date,
 * from the WITH_ACTOR rows) answer exactly what the unanchored statements answer with the same filter
 * (which test the actor on every event): same ids, order and keys, page after page, for every clearance,
 * role and window, and through the writes that change involvements, dates and actors.
 */
const order: q.EventOrder = 'DATE_ASC';
const NO_FILTER = {
  ...{ types: null, from: null, to: null, placeId: null, actorId: null, role: null },
  ...{ sourceId: null, nameContains: null, relationTypes: q.RELATION_TYPE_LIST },
};

function involvedFixture(u: string): Record<string, unknown> {
  const doc: Record<string, unknown> = fixtureBundle(u, `Fixture ${u}: what the unit did.`);
  const d = (value: string) => ({ precision: 'day', value });
  // [key, date, end date, role, how the involvement is known]
  const rows: [string, object | null, object | null, string, 'public' | 'restricted'][] = [
    ['day1', d('2012-01-01'), null, 'perpetrator', 'public'],
    ['day2', d('2012-03-15'), null, 'perpetrator', 'public'],
    ['day3', d('2012-03-15'), null, 'victim', 'public'],
    [
      'month',
      { precision: 'month', value: '2012-02', qualifier: 'approximate' },
      null,
      'perpetrator',
      'public',
    ],
    ['year11', { precision: 'year', value: '2011' }, null, 'perpetrator', 'public'],
    ['period', d('2011-11-20'), d('2012-01-10'), 'perpetrator', 'public'],
    ['long', d('1990-05-01'), d('2013-01-01'), 'victim', 'public'],
    ['undated', null, null, 'perpetrator', 'public'],
    ['undated2', null, null, 'victim', 'public'],
    ['secret', d('2012-02-02'), null, 'perpetrator', 'restricted'],
    ['late', d('2013-06-01'), null, 'perpetrator', 'public'],
  ];
  const claim = (id: string, subject: string, relation: object, sensitivity = 'public') => ({
    id,
    subject,
    summary: `${subject} ${JSON.stringify(relation)}`,
    relation,
    source: `src-t${u}`,
    quotes: [`Fixture ${u}`],
    sensitivity,
  });
  doc.actors = [
    ...(doc.actors as object[]),
    { id: `ac-unit${u}`, type: 'organization', name: `Unit ${u}` },
    { id: `ac-other${u}`, type: 'organization', name: `Other unit ${u}` },
  ];
  doc.events = [...rows, ['otheronly', d('2014-01-01'), null] as const].map(([k, date, endDate]) => ({
    id: `ev-${k}-${u}`,
    type: 'other',
    name: `${k} ${u}`,
    ...(date ? { date } : {}),
    ...(endDate ? { endDate } : {}),
    ...(k === 'late' ? { sensitivity: 'restricted' } : {}),
  }));
  doc.claims = [
    ...rows.map(([k, , , role, known]) =>
      claim(`cl-i${k}${u}`, `ac-unit${u}`, { type: 'INVOLVED_IN', object: `ev-${k}-${u}`, role }, known),
    ),
    claim(`cl-o${u}`, `ac-other${u}`, { type: 'INVOLVED_IN', object: `ev-day1-${u}`, role: 'perpetrator' }),
    claim(`cl-oo${u}`, `ac-other${u}`, {
      type: 'INVOLVED_IN',
      object: `ev-otheronly-${u}`,
      role: 'perpetrator',
    }),
  ];
  return doc;
}

type Page = { id: string; key: string }[];

/** Every page (3 rows) of the filter, through the actor-and-date statement or the unanchored one. */
async function pages(executor: Executor, filter: Record<string, unknown>, anchorActor: boolean) {
  const out: Page[] = [];
  let afterKey: string | null = null;
  let afterId: string | null = null;
  for (let i = 0; i < 20; i++) {
    const [row]: Record<string, unknown>[] = await executor.read(
      q.eventsPage(order, { relations: false, claims: false, total: true }, anchorActor ? 'actor' : 'all'),
      {
        ...NO_FILTER,
        ...filter,
        afterKey,
        afterId,
        limit: 3,
        datedFrom: afterKey ?? '-999999999-01-01',
        keyFrom: afterKey ?? '',
      },
    );
    const rows: Page = (row!.rows as { key: string; node: { id: string } }[]).map((r) => ({
      id: r.node.id,
      key: r.key,
    }));
    out.push(rows);
    expect(row!.total).toBeTypeOf('number');
    if (rows.length < 3) break;
    afterKey = rows.at(-1)!.key;
    afterId = rows.at(-1)!.id;
  }
  return out;
}

/** The timeline (first `limit`), anchored on the actor's rows or not. */
async function timeline(
  executor: Executor,
  filter: Record<string, unknown>,
  anchorActor: boolean,
  limit = 50,
) {
  const rows = await executor.read(
    q.timeline({ relations: false, claims: false, total: false }, anchorActor ? 'actor' : 'all'),
    { ...NO_FILTER, ...filter, limit },
  );
  return rows.map((r) => [(r.node as { id: string }).id, r.lo, r.hi]);
}

describe("an actor's events by date", () => {
  let app: TestApp;
  const u = uniq();
  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(involvedFixture(u)));
  });
  afterAll(() => app.close());

  const filters = (actorId: string): Record<string, unknown>[] => [
    { actorId },
    { actorId, role: 'perpetrator' },
    { actorId, from: '2012-01-05', to: '2012-02-10' },
    { actorId, from: '2011-12-31' },
    { actorId, to: '2011-12-31', role: 'victim' },
  ];

  it('pages and timelines exactly as the generic statements do, for every filter and clearance', async () => {
    let compared = 0;
    for (const visible of [['public'], ['public', 'restricted']]) {
      const ex = app.db.executor.forRequest('t', visible);
      for (const actorId of [`ac-unit${u}`, `ac-other${u}`]) {
        for (const f of filters(actorId)) {
          const got = await pages(ex, f, true);
          expect(got, JSON.stringify({ visible, f })).toEqual(await pages(ex, f, false));
          compared += got.flat().length;
          for (const limit of [2, 50])
            expect(await timeline(ex, f, true, limit), JSON.stringify({ visible, f, limit })).toEqual(
              await timeline(ex, f, false, limit),
            );
        }
      }
    }
    expect(compared).toBeGreaterThan(30);
    // The generic statements read every event of the shared test store: minutes beside the other files.
  }, 600_000);

  it('leaves out an event whose only involvement of the actor is hidden, and a hidden event', async () => {
    const pub = app.db.executor.forRequest('t', ['public']);
    const ids = (await timeline(pub, { actorId: `ac-unit${u}` }, true)).map((r) => r[0]);
    expect(ids).not.toContain(`ev-secret-${u}`);
    expect(ids).not.toContain(`ev-late-${u}`);
    // Oldest first, undated last (in id order).
    expect(ids[0]).toBe(`ev-long-${u}`);
    expect(ids.slice(-2)).toEqual([`ev-undated-${u}`, `ev-undated2-${u}`]);
    const wide = app.db.executor.forRequest('t', ['public', 'restricted']);
    const all = (await timeline(wide, { actorId: `ac-unit${u}` }, true)).map((r) => r[0]);
    expect(all).toContain(`ev-secret-${u}`);
    expect(all).toContain(`ev-late-${u}`);
  });

  it('a row written twice, or left with an old key, takes one place on a page, in the right order', async () => {
    const rows = statement<{ actorId: string }>(
      'test.eventActors.twice',
      `MATCH (e:Event)-[r:WITH_ACTOR]->(a:Actor {id: $actorId})
       UNWIND [1, 2] AS copy
       CREATE (e)-[:WITH_ACTOR {actorId: r.actorId, key: CASE copy WHEN 1 THEN r.key ELSE '1999-01-01' END,
                                eventId: r.eventId, _test: true}]->(a)`,
    );
    const undo = statement('test.eventActors.untwice', 'MATCH ()-[r:WITH_ACTOR {_test: true}]->() DELETE r');
    await app.db.executor.write(rows, { actorId: `ac-unit${u}` });
    try {
      for (const f of filters(`ac-unit${u}`)) {
        expect(await pages(app.db.executor, f, true), JSON.stringify(f)).toEqual(
          await pages(app.db.executor, f, false),
        );
        expect(await timeline(app.db.executor, f, true)).toEqual(await timeline(app.db.executor, f, false));
      }
    } finally {
      await app.db.executor.write(undo);
    }
  });

  it('stays true through writes: an involvement recorded, a date amended, actors merged and unmerged', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const gql = async (doc: string, variables: Record<string, unknown>) => {
      const res = await app.graphql(doc, variables, admin.headers);
      expect(res.errors).toBeUndefined();
      return res.data as Record<string, Record<string, unknown>>;
    };
    const wide = app.db.executor.forRequest('t', ['public', 'restricted']);
    const same = async (step: string) => {
      for (const actorId of [`ac-unit${u}`, `ac-other${u}`])
        for (const f of [{ actorId }, { actorId, from: '2012-01-01', to: '2012-06-30' }]) {
          expect(await pages(wide, f, true), JSON.stringify({ step, f })).toEqual(
            await pages(wide, f, false),
          );
          expect(await timeline(wide, f, true), JSON.stringify({ step, f })).toEqual(
            await timeline(wide, f, false),
          );
        }
    };
    const ids = async (actorId: string) => (await timeline(wide, { actorId }, true)).map((r) => r[0]);
    // The other unit is recorded in a second event: it joins its timeline.
    await gql(`mutation($input: RecordClaimInput!) { recordClaim(input: $input) { id } }`, {
      input: {
        subjectId: `ac-other${u}`,
        summary: 'The other unit took part.',
        sourceId: `src-t${u}`,
        excerpts: [{ quote: `Fixture ${u}` }],
        relation: { type: 'INVOLVED_IN', objectId: `ev-day2-${u}`, role: 'perpetrator' },
      },
    });
    expect(await ids(`ac-other${u}`)).toEqual([`ev-day1-${u}`, `ev-day2-${u}`, `ev-otheronly-${u}`]);
    await same('involvement recorded');
    // A date amended: the event moves on both timelines.
    await gql(
      'mutation($id: ID!, $p: EntityPatch!) { updateEntity(id: $id, version: 1, patch: $p) { id } }',
      {
        id: `ev-day1-${u}`,
        p: { date: { value: '2013-02-01', precision: 'day' } },
      },
    );
    expect(await ids(`ac-other${u}`)).toEqual([`ev-day2-${u}`, `ev-day1-${u}`, `ev-otheronly-${u}`]);
    await same('date amended');
    // The other unit merged into the unit: the unit's timeline has the other's events; undone, its own.
    const merged = await gql(
      'mutation($k: ID!, $m: ID!) { mergeEntities(keepId: $k, mergeId: $m, note: "same unit") { merge { id } } }',
      { k: `ac-unit${u}`, m: `ac-other${u}` },
    );
    await same('merged');
    // The other's own event is now on the unit's timeline.
    expect(await ids(`ac-unit${u}`)).toContain(`ev-otheronly-${u}`);
    await gql('mutation($id: ID!) { unmergeEntities(mergeId: $id, note: "not the same") { id } }', {
      id: (merged.mergeEntities!.merge as { id: string }).id,
    });
    await same('unmerged');
    expect(await ids(`ac-other${u}`)).toEqual([`ev-day2-${u}`, `ev-day1-${u}`, `ev-otheronly-${u}`]);
    expect(await ids(`ac-unit${u}`)).not.toContain(`ev-otheronly-${u}`);
    // A file restating the unit and a stored event, adding an involvement, puts it on the timeline.
    const v = uniq();
    const more: Record<string, unknown> = fixtureBundle(v, `Fixture ${v}: the unit was there too.`);
    more.actors = [
      ...(more.actors as object[]),
      { id: `ac-unit${u}`, type: 'organization', name: `Unit ${u}` },
    ];
    more.events = [
      {
        id: `ev-otheronly-${u}`,
        type: 'other',
        name: `otheronly ${u}`,
        date: { precision: 'day', value: '2014-01-01' },
      },
    ];
    more.claims = [
      {
        id: `cl-more${v}`,
        subject: `ac-unit${u}`,
        summary: 'The unit took part too.',
        relation: { type: 'INVOLVED_IN', object: `ev-otheronly-${u}`, role: 'perpetrator' },
        source: `src-t${v}`,
        quotes: [`Fixture ${v}`],
      },
    ];
    await loadBundle(app.db.executor, writeBundle(more));
    expect(await ids(`ac-unit${u}`)).toContain(`ev-otheronly-${u}`);
    await same('involvement imported');
  }, 300_000);
});

/** `count` events of one unit, one an hour from June 2015 on (several a day: ties on the key). */
function busyUnit(u: string, v: string, first: number, count: number): Record<string, unknown> {
  const doc: Record<string, unknown> = fixtureBundle(v, `Fixture ${v}: a busy unit.`);
  const day = (n: number) => new Date(Date.UTC(2015, 5, 1) + n * 3_600_000).toISOString().slice(0, 10);
  doc.actors = [...(doc.actors as object[]), { id: `ac-busy${u}`, type: 'organization', name: `Busy ${u}` }];
  doc.events = Array.from({ length: count }, (_, i) => ({
    id: `ev-b${first + i}-${u}`,
    type: 'other',
    name: `Busy ${first + i} ${u}`,
    date: { precision: 'day', value: day(first + i) },
  }));
  doc.claims = (doc.events as { id: string }[]).map((e) => ({
    id: `cl-${e.id}`,
    subject: `ac-busy${u}`,
    summary: `Busy unit in ${e.id}`,
    relation: { type: 'INVOLVED_IN', object: e.id, role: 'perpetrator' },
    source: `src-t${v}`,
    quotes: [`Fixture ${v}`],
  }));
  return doc;
}

describe("the work for the first events of an actor's timeline", () => {
  let app: TestApp;
  const u = uniq();
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** Total dbHits of the timeline's first 5, as PROFILE reports them, with its ids. */
  async function firstFive(): Promise<{ dbHits: number; ids: string[] }> {
    const { dbHits, records } = await profiled(
      app,
      q.timeline({ relations: false, claims: false, total: false }, 'actor').cypher,
      { ...NO_FILTER, actorId: `ac-busy${u}`, limit: 5, visible: ['public'] },
    );
    return { dbHits, ids: records.map((r) => (r.get('node') as { id: string }).id) };
  }

  it('reads the first events from the index in order, not every event of the actor', async () => {
    await loadBundle(app.db.executor, writeBundle(busyUnit(u, uniq(), 0, 20)));
    const before = await firstFive();
    expect(before.ids).toEqual([0, 1, 10, 11, 12].map((i) => `ev-b${i}-${u}`));
    // 200 more events of the unit, later: none makes the first five.
    await loadBundle(app.db.executor, writeBundle(busyUnit(u, uniq(), 20, 200)));
    const after = await firstFive();
    expect(after.ids).toEqual(before.ids);
    // Sorting the actor's events would read all 220; reading in index order stops at the fifth.
    expect(after.dbHits).toBeLessThanOrEqual(1.1 * before.dbHits);
  });
});
