import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/services/import.js';
import * as q from '../../src/graph/queries/listing.js';
import { statement, type Executor } from '../../src/graph/executor.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { profiled } from '../helpers/profile.js';

/**
 * Events of a place in a date window, by date (listing.events.DATE_ASC*.by-place-date, from the IN_PLACE
 * rows) answer exactly what the unanchored by-date statement answers with the same filter (which tests
 * the place on every event): same ids, order, keys and totals, page after page, for every clearance.
 */
const embeds = { relations: false, claims: false, total: true };
const order: q.EventOrder = 'DATE_ASC';

function placedFixture(u: string): Record<string, unknown> {
  const text = `Fixture ${u}: events in the governorate and its towns.`;
  const doc: Record<string, unknown> = fixtureBundle(u, text);
  const gov = `pl-g${u}`;
  const places = [
    { id: gov, type: 'governorate', name: `Gov ${u}` },
    { id: `pl-a${u}`, type: 'city', name: `Town A ${u}` },
    { id: `pl-b${u}`, type: 'city', name: `Town B ${u}` },
    { id: `pl-h${u}`, type: 'city', name: `Hidden town ${u}`, sensitivity: 'restricted' },
    { id: `pl-o${u}`, type: 'city', name: `Elsewhere ${u}` },
  ];
  const d = (value: string, extra: object = {}) => ({ precision: 'day', value, ...extra });
  const dates: [string, object | null, object | null, string][] = [
    ['day1', d('2012-01-01'), null, 'a'],
    ['day2', d('2012-03-15'), null, 'b'],
    ['day3', d('2012-03-15'), null, 'a'],
    ['month', { precision: 'month', value: '2012-02', qualifier: 'approximate' }, null, 'b'],
    ['year11', { precision: 'year', value: '2011' }, null, 'a'],
    ['year12', { precision: 'year', value: '2012' }, null, 'b'],
    ['period', d('2011-11-20'), d('2012-01-10'), 'a'],
    ['period2', d('2011-12-20'), d('2012-02-20'), 'b'],
    ['period3', d('2011-10-01'), d('2011-12-31'), 'a'],
    ['long', d('1990-05-01'), d('2013-01-01'), 'b'],
    ['since', { precision: 'month', value: '2011-03', qualifier: 'after' }, null, 'a'],
    ['undated', null, null, 'b'],
    ['undated2', null, null, 'a'],
    ['hidden', d('2012-02-02'), null, 'h'],
    ['hidden2', d('2012-02-03'), null, 'a'],
    ['late', d('2013-06-01'), null, 'b'],
    ['other', d('2012-02-01'), null, 'o'],
  ];
  const events = dates.map(([k, date, endDate, town]) => ({
    id: `ev-${k}-${u}`,
    type: 'other',
    name: `${k} ${u}`,
    ...(date ? { date } : {}),
    ...(endDate ? { endDate } : {}),
    ...(k === 'hidden2' ? { sensitivity: 'restricted' } : {}),
    town,
  }));
  const claim = (id: string, subject: string, type: string, object: string) => ({
    id,
    subject,
    summary: `${subject} ${type} ${object}`,
    relation: { type, object },
    source: `src-t${u}`,
    quotes: [`Fixture ${u}`],
  });
  doc.places = [...(doc.places as object[]), ...places];
  doc.events = events.map(({ town: _t, ...e }) => e);
  doc.claims = [
    ...['a', 'b', 'h'].map((t) => claim(`cl-p${t}${u}`, `pl-${t}${u}`, 'PART_OF', gov)),
    ...events.map((e) => claim(`cl-${e.id}`, e.id, 'OCCURRED_IN', `pl-${e.town}${u}`)),
  ];
  return doc;
}

type Page = { rows: { id: string; key: string }[]; total: unknown };

/** Every page (3 rows) of the filter, through the place-and-date statement or the unanchored one. */
async function pages(executor: Executor, filter: Record<string, unknown>, anchorPlace: boolean) {
  const out: Page[] = [];
  let afterKey: string | null = null;
  let afterId: string | null = null;
  for (let i = 0; i < 20; i++) {
    const [row]: Record<string, unknown>[] = await executor.read(
      q.eventsPage(order, embeds, anchorPlace ? 'place' : 'all'),
      {
        ...{ types: null, from: null, to: null, placeId: null, actorId: null, role: null },
        ...{ sourceId: null, nameContains: null, relationTypes: q.RELATION_TYPE_LIST },
        ...filter,
        afterKey,
        afterId,
        limit: 3,
        datedFrom: afterKey ?? '-999999999-01-01',
        keyFrom: afterKey ?? '',
      },
    );
    const rows: { id: string; key: string }[] = (row!.rows as { key: string; node: { id: string } }[]).map(
      (r) => ({
        id: r.node.id,
        key: r.key,
      }),
    );
    out.push({ rows, total: row!.total });
    if (rows.length < 3) break;
    afterKey = rows.at(-1)!.key;
    afterId = rows.at(-1)!.id;
  }
  return out;
}

describe('events of a place in a date window', () => {
  let app: TestApp;
  const u = uniq();
  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(placedFixture(u)));
  });
  afterAll(() => app.close());

  const windows: Record<string, unknown>[] = [
    {},
    { from: '2012-01-01', to: '2012-06-30' },
    { from: '2012-01-05', to: '2012-02-10' },
    { from: '2011-12-31' },
    { to: '2011-12-31' },
    { from: '2012-02-15', to: '2012-02-15' },
  ];

  it('pages exactly as the generic statement does, for every window, place and clearance', async () => {
    let compared = 0;
    for (const visible of [['public'], ['public', 'restricted']]) {
      const ex = app.db.executor.forRequest('t', visible);
      for (const placeId of [`pl-g${u}`, `pl-h${u}`]) {
        for (const w of windows) {
          const filter = { placeId, ...w };
          const got = await pages(ex, filter, true);
          const want = await pages(ex, filter, false);
          expect(got, JSON.stringify({ visible, filter })).toEqual(want);
          compared += got.flatMap((p) => p.rows).length;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
  }, 600_000);

  it('a hidden town does not put its events under the governorate', async () => {
    const ex = app.db.executor.forRequest('t', ['public']);
    const all = (await pages(ex, { placeId: `pl-g${u}` }, true)).flatMap((p) => p.rows.map((r) => r.id));
    expect(all).not.toContain(`ev-hidden-${u}`);
    expect(all).not.toContain(`ev-hidden2-${u}`);
    expect(all).not.toContain(`ev-other-${u}`);
    expect(all.slice(0, 2)).toEqual([`ev-long-${u}`, `ev-year11-${u}`]);
    const wide = app.db.executor.forRequest('t', ['public', 'restricted']);
    const seen = (
      await pages(wide, { placeId: `pl-g${u}`, from: '2012-02-01', to: '2012-02-28' }, true)
    ).flatMap((p) => p.rows.map((r) => r.id));
    expect(seen).toContain(`ev-hidden-${u}`);
    expect(seen).toContain(`ev-period2-${u}`);
  });

  it('stays true through writes: a date amended, places linked, towns merged and unmerged', async () => {
    const admin = await keyHeaders(app.db, 'admin');
    const gql = async (doc: string, variables: Record<string, unknown>) => {
      const res = await app.graphql(doc, variables, admin.headers);
      expect(res.errors).toBeUndefined();
      return res.data as Record<string, Record<string, unknown>>;
    };
    const wide = app.db.executor.forRequest('t', ['public', 'restricted']);
    const same = async (step: string) => {
      for (const placeId of [`pl-g${u}`, `pl-b${u}`])
        for (const w of [{ from: '2012-01-01', to: '2012-06-30' }, { from: '2013-01-15' }]) {
          const filter = { placeId, ...w };
          const got = await pages(wide, filter, true);
          expect(got, JSON.stringify({ step, filter })).toEqual(await pages(wide, filter, false));
        }
    };
    const link = (subjectId: string, type: string, objectId: string) =>
      gql(`mutation($input: RecordClaimInput!) { recordClaim(input: $input) { id } }`, {
        input: {
          subjectId,
          summary: `${subjectId} ${type} ${objectId}`,
          sourceId: `src-t${u}`,
          excerpts: [{ quote: `Fixture ${u}` }],
          relation: { type, objectId },
        },
      });
    // An event's date amended: it moves in date order (and into the 2013 window).
    await gql(
      'mutation($id: ID!, $p: EntityPatch!) { updateEntity(id: $id, version: 1, patch: $p) { id } }',
      { id: `ev-day1-${u}`, p: { date: { value: '2013-02-01', precision: 'day' } } },
    );
    await same('date amended');
    // An event elsewhere gets a town of the governorate; a place elsewhere becomes part of it.
    await link(`ev-other-${u}`, 'OCCURRED_IN', `pl-b${u}`);
    await link(`pl-o${u}`, 'PART_OF', `pl-g${u}`);
    await same('linked');
    const ids = async (placeId: string) =>
      (await pages(wide, { placeId, from: '2012-01-01', to: '2012-06-30' }, true)).flatMap((p) =>
        p.rows.map((r) => r.id),
      );
    expect(await ids(`pl-b${u}`)).toContain(`ev-other-${u}`);
    // Town A merged into town B: B has A's events; undone, it has its own again.
    const merged = await gql(
      'mutation($k: ID!, $m: ID!) { mergeEntities(keepId: $k, mergeId: $m, note: "same town") { merge { id } } }',
      { k: `pl-b${u}`, m: `pl-a${u}` },
    );
    await same('merged');
    expect(await ids(`pl-b${u}`)).toContain(`ev-day3-${u}`);
    await gql('mutation($id: ID!) { unmergeEntities(mergeId: $id, note: "not the same") { id } }', {
      id: (merged.mergeEntities!.merge as { id: string }).id,
    });
    await same('unmerged');
    expect(await ids(`pl-b${u}`)).not.toContain(`ev-day3-${u}`);
  }, 600_000);

  it('a load restating place links the store holds leaves the place rows of the events below them as they were', async () => {
    // Every ACLED file restates its admin chain: rewriting the rows of every event below a governorate on
    // each load would make a small file cost as much as the governorate's events.
    const rows = statement<{ prefix: string }>(
      'test.eventPlaces.rows',
      `MATCH (e:Event)-[r:IN_PLACE]->() WHERE e.id ENDS WITH $prefix AND NOT e.id STARTS WITH 'ev-restated'
       RETURN elementId(r) AS id ORDER BY id`,
    );
    const before = (await app.db.executor.read(rows, { prefix: `-${u}` })).map((r) => r.id);
    expect(before.length).toBeGreaterThan(20);
    const v = uniq();
    const doc: Record<string, unknown> = fixtureBundle(
      v,
      `Fixture ${v}: the towns of the governorate again.`,
    );
    const restate = (id: string, subject: string, type: string, object: string) => ({
      id,
      subject,
      summary: `${subject} ${type} ${object}`,
      relation: { type, object },
      source: `src-t${v}`,
      quotes: [`Fixture ${v}`],
    });
    doc.places = [
      ...(doc.places as object[]),
      { id: `pl-g${u}`, type: 'governorate', name: `Gov ${u}` },
      { id: `pl-a${u}`, type: 'city', name: `Town A ${u}` },
      { id: `pl-b${u}`, type: 'city', name: `Town B ${u}` },
    ];
    doc.events = [{ id: `ev-restated-${u}`, type: 'other', name: `Restated ${v}` }];
    doc.claims = [
      restate(`cl-ra${v}`, `pl-a${u}`, 'PART_OF', `pl-g${u}`),
      restate(`cl-rb${v}`, `pl-b${u}`, 'PART_OF', `pl-g${u}`),
      restate(`cl-re${v}`, `ev-restated-${u}`, 'OCCURRED_IN', `pl-a${u}`),
    ];
    await loadBundle(app.db.executor, writeBundle(doc));
    expect((await app.db.executor.read(rows, { prefix: `-${u}` })).map((r) => r.id)).toEqual(before);
    // The new event is placed, under its town and the governorate.
    const ids = (await pages(app.db.executor, { placeId: `pl-g${u}` }, true)).flatMap((p) =>
      p.rows.map((r) => r.id),
    );
    expect(ids).toContain(`ev-restated-${u}`);
  });

  it('a row written twice (two refreshes racing) takes one place on a page, never two', async () => {
    // Every row of the governorate's events, twice more.
    const twice = statement<{ suffix: string; placeId: string }>(
      'test.eventPlaces.twice',
      `MATCH (e:Event)-[r:IN_PLACE]->(p:Place {id: $placeId}) WHERE e.id ENDS WITH $suffix
       UNWIND [1, 2] AS copy
       CREATE (e)-[:IN_PLACE {placeId: r.placeId, at: r.at, key: r.key, eventId: r.eventId, _test: true}]->(p)`,
    );
    const undo = statement('test.eventPlaces.untwice', 'MATCH ()-[r:IN_PLACE {_test: true}]->() DELETE r');
    await app.db.executor.write(twice, { suffix: `-${u}`, placeId: `pl-g${u}` });
    try {
      for (const w of [{}, { from: '2012-01-01', to: '2012-06-30' }, { from: '2011-12-31' }]) {
        const filter = { placeId: `pl-g${u}`, ...w };
        expect(await pages(app.db.executor, filter, true)).toEqual(
          await pages(app.db.executor, filter, false),
        );
      }
    } finally {
      await app.db.executor.write(undo);
    }
  });
});

/** `count` events in one town of a governorate, one a day from `first` (a day of June 2015 on). */
function crowdedTown(u: string, v: string, firstDay: number, count: number): Record<string, unknown> {
  const doc: Record<string, unknown> = fixtureBundle(v, `Fixture ${v}: a crowded town.`);
  doc.places = [
    ...(doc.places as object[]),
    { id: `pl-cg${u}`, type: 'governorate', name: `Crowded gov ${u}` },
    { id: `pl-ct${u}`, type: 'city', name: `Crowded town ${u}` },
  ];
  const day = (n: number) => new Date(Date.UTC(2015, 5, 1) + n * 3_600_000).toISOString().slice(0, 10);
  const events = Array.from({ length: count }, (_, i) => ({
    id: `ev-c${firstDay + i}-${u}`,
    type: 'other',
    name: `Crowded ${firstDay + i} ${u}`,
    // Several events a day (one an hour): ties on the key, ordered by id.
    date: { precision: 'day', value: day(firstDay + i) },
  }));
  const claim = (id: string, subject: string, type: string, object: string) => ({
    id,
    subject,
    summary: `${subject} ${type} ${object}`,
    relation: { type, object },
    source: `src-t${v}`,
    quotes: [`Fixture ${v}`],
  });
  doc.events = events;
  doc.claims = [
    claim(`cl-ct${v}`, `pl-ct${u}`, 'PART_OF', `pl-cg${u}`),
    ...events.map((e) => claim(`cl-${e.id}`, e.id, 'OCCURRED_IN', `pl-ct${u}`)),
  ];
  return doc;
}

describe('the work for a page of events of a place in a date window', () => {
  let app: TestApp;
  const u = uniq();
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** Total dbHits of the first page (5) of the governorate's June 2015, as PROFILE reports them. */
  async function firstPageWork(): Promise<{ dbHits: number; ids: string[] }> {
    const { dbHits, records } = await profiled(
      app,
      q.eventsPage(order, { relations: false, claims: false, total: false }, 'place').cypher,
      {
        ...{
          types: null,
          from: '2015-06-01',
          to: '2015-06-30',
          placeId: `pl-cg${u}`,
          actorId: null,
          role: null,
        },
        ...{ sourceId: null, nameContains: null, relationTypes: q.RELATION_TYPE_LIST },
        ...{ afterKey: null, afterId: null, limit: 5, datedFrom: '-999999999-01-01', keyFrom: '' },
        visible: ['public'],
      },
    );
    const rows = records[0]!.get('rows') as { node: { id: string } }[];
    return { dbHits, ids: rows.map((r) => r.node.id) };
  }

  it('reads the page from the index in order, not every event of the window', async () => {
    await loadBundle(app.db.executor, writeBundle(crowdedTown(u, uniq(), 0, 20)));
    const before = await firstPageWork();
    expect(before.ids).toEqual([0, 1, 10, 11, 12].map((i) => `ev-c${i}-${u}`));
    // 200 more events later in the same window (same days as others too): all match, none makes the page.
    await loadBundle(app.db.executor, writeBundle(crowdedTown(u, uniq(), 20, 200)));
    const after = await firstPageWork();
    expect(after.ids).toEqual(before.ids);
    // Sorting the window's events would read all 220; reading in index order stops at the page.
    expect(after.dbHits).toBeLessThanOrEqual(1.1 * before.dbHits);
  });
});
