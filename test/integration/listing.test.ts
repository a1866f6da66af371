import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/services/import.js';
import {
  ActorsPlacesSourcesDocument,
  EventIdPageDocument,
  FilteredTimelineDocument,
  ListEventsDocument,
  NodesInOrderDocument,
  SourceTimelineDocument,
  WholeTimelineDocument,
  type EventIdPageQuery,
  type ListEventsQuery,
} from '../generated/graphql.js';
import { startTestApp, type GraphQLResponse, type TestApp, type TypedDocument } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { expectRefused } from '../helpers/refusals.js';

/** Anything listed: its nodes' ids in order. */
type Listed = { edges: { node: { id: string } }[] };

/** A source of its own with events whose dates test the fuzzy-date window semantics. */
function datedFixture(
  u: string,
  extraEvents: { id: string; name: string; date?: object }[] = [],
): Record<string, unknown> {
  const text = `Fixture ${u}: releases in late April 2022, a decree on 30 April 2022, arrests since March 2011.`;
  const doc: Record<string, unknown> = fixtureBundle(u, text);
  const events: Record<string, unknown>[] = [
    {
      id: `ev-t${u}-late-april`,
      type: 'release_batch',
      name: `A late April ${u}`,
      date: { precision: 'month', value: '2022-04', qualifier: 'approximate', text: 'late April' },
    },
    {
      id: `ev-t${u}-day`,
      type: 'amnesty_decree',
      name: `B decree ${u}`,
      date: { precision: 'day', value: '2022-04-30' },
    },
    {
      id: `ev-t${u}-since`,
      type: 'arrest_detention',
      name: `C since ${u}`,
      date: { precision: 'month', value: '2011-03', qualifier: 'after' },
    },
    { id: `ev-t${u}-undated`, type: 'other', name: `D undated ${u}` },
    ...extraEvents.map((e) => ({ type: 'other', ...e })),
  ];
  doc.events = events;
  doc.claims = events.map((e) => ({
    id: `cl-${String(e.id).slice(3)}`,
    subject: e.id,
    summary: `About ${String(e.name)}`,
    source: `src-t${u}`,
    quotes: [`Fixture ${u}`],
  }));
  // One quote cited by several claims is one excerpt.
  return doc;
}

describe('listings and the timeline', () => {
  let app: TestApp;
  const u = uniq();
  const source = `src-t${u}`;
  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(datedFixture(u)));
  });
  afterAll(() => app.close());

  const events = async (variables: Record<string, unknown>) => {
    const res = await app.graphql(ListEventsDocument, variables);
    expect(res.errors).toBeUndefined();
    return res.data!.events;
  };
  const ids = (c: Listed) => c.edges.map((e) => e.node.id);

  it('filters the sample by type, place (including everything inside it), actor and role', async () => {
    expect(
      ids(await events({ filter: { types: ['amnesty_decree'], sourceId: 'src-sohr-amnesty-2022' } })),
    ).toEqual(['ev-amnesty-decree-2022']);
    // The defectors' releases happened in governorates, which lie inside Syria.
    const inSyria = ids(await events({ filter: { placeId: 'pl-syria' }, first: 100 }));
    expect(inSyria).toEqual(expect.arrayContaining(['ev-defector-releases-2022', 'ev-amnesty-decree-2022']));
    const inDaraa = ids(await events({ filter: { placeId: 'pl-daraa' }, first: 100 }));
    expect(inDaraa).toContain('ev-defector-releases-2022');
    expect(inDaraa).not.toContain('ev-amnesty-decree-2022');
    expect(ids(await events({ filter: { actorId: 'ac-syrian-president', role: 'issuer' } }))).toEqual([
      'ev-amnesty-decree-2022',
    ]);
    expect(ids(await events({ filter: { actorId: 'ac-syrian-president', role: 'victim' } }))).toEqual([]);
  });

  it('orders by date with keyset cursors, undated last, and counts only when asked', async () => {
    const all = await events({ filter: { sourceId: source } });
    expect(ids(all)).toEqual([`ev-t${u}-since`, `ev-t${u}-late-april`, `ev-t${u}-day`, `ev-t${u}-undated`]);
    expect(all.totalCount).toBe(4);
    const p1 = await events({ filter: { sourceId: source }, first: 2 });
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await events({ filter: { sourceId: source }, first: 2, after: p1.pageInfo.endCursor });
    expect([...ids(p1), ...ids(p2)]).toEqual(ids(all));
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const desc = await events({ filter: { sourceId: source }, orderBy: 'DATE_DESC' });
    expect(ids(desc)[0]).toBe(`ev-t${u}-day`);
  });

  it('pages through every event by date from the date index, in the timeline order, undated last', async () => {
    // Unfiltered DATE_ASC reads the event_date index from the cursor on: walk the whole store in pages
    // (dated and undated, this fixture's and every other test's) and compare with the generic order.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 400; i++) {
      const res: GraphQLResponse<EventIdPageQuery> = await app.graphql(EventIdPageDocument, { after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.events.edges.map((e) => e.node.id));
      if (!res.data!.events.pageInfo.hasNextPage) break;
      after = res.data!.events.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    // The same order as the timeline, which sorts every event by the same key without the index.
    const timeline = await app.graphql(WholeTimelineDocument);
    expect(timeline.errors).toBeUndefined();
    const generic = timeline.data!.timeline.entries.map((e) => e.event.id);
    // Other files add events while this one pages: compare the order of the events both reads saw.
    const inSeen = new Set(seen);
    const inBoth = new Set(generic.filter((id) => inSeen.has(id)));
    expect(inBoth.size).toBeGreaterThan(generic.length / 2);
    expect(seen.filter((id) => inBoth.has(id))).toEqual(generic.filter((id) => inBoth.has(id)));
    expect(seen).toEqual(expect.arrayContaining([`ev-t${u}-since`, `ev-t${u}-day`, `ev-t${u}-undated`]));
    expect(seen.indexOf(`ev-t${u}-undated`)).toBeGreaterThan(seen.indexOf(`ev-t${u}-day`));
  });

  it('matches fuzzy dates honestly: late April is certain in April, uncertain on 29 April, absent in May', async () => {
    const match = async (from: string, to: string) =>
      Object.fromEntries(
        (await events({ filter: { sourceId: source, from, to } })).edges.map((e) => [e.node.id, e.dateMatch]),
      );
    expect(await match('2022-04', '2022-04')).toEqual({
      [`ev-t${u}-late-april`]: 'certain',
      [`ev-t${u}-day`]: 'certain',
      // "since March 2011" has no end: it may or may not reach April 2022.
      [`ev-t${u}-since`]: 'uncertain',
    });
    expect(await match('2022-04-29', '2022-04-29')).toEqual({
      [`ev-t${u}-late-april`]: 'uncertain',
      [`ev-t${u}-since`]: 'uncertain',
    });
    expect(await match('2022-05', '2022-05')).toEqual({ [`ev-t${u}-since`]: 'uncertain' });
    expect(await match('2010', '2010')).toEqual({});
  });

  it('keeps cursors stable while events are inserted concurrently', async () => {
    const v = uniq();
    const vsource = `src-t${v}`;
    await loadBundle(app.db.executor, writeBundle(datedFixture(v)));
    const original = [`ev-t${v}-since`, `ev-t${v}-late-april`, `ev-t${v}-day`, `ev-t${v}-undated`];
    const seen: string[] = [];
    let after: string | null = null;
    let page = 0;
    for (;;) {
      const [conn]: [ListEventsQuery['events'], unknown] = await Promise.all([
        events({ filter: { sourceId: vsource }, first: 1, after }),
        // Each page, another event of the same source arrives, sorting before the cursor (2000) or after it.
        loadBundle(
          app.db.executor,
          writeBundle({
            ...datedFixture(v, [
              {
                id: `ev-t${v}-new${page}`,
                name: `New ${page}`,
                date: { precision: 'year', value: page % 2 ? '2030' : '2000' },
              },
            ]),
          }),
        ),
      ]);
      seen.push(...ids(conn));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
      page += 1;
    }
    // Every original event exactly once, in order; no duplicates at all.
    expect(seen.filter((id) => original.includes(id))).toEqual(original);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lists actors, places inside a place, and sources', async () => {
    const res = await app.graphql(ActorsPlacesSourcesDocument);
    expect(res.errors).toBeUndefined();
    // By name: "SOHR activists" sorts before "Syrian Observatory ..." (matched by its alias SOHR).
    // Other tests add actors named like SOHR: look at the sample's own.
    expect(ids(res.data!.actors).filter((id) => id.startsWith('ac-sohr'))).toEqual([
      'ac-sohr-activists',
      'ac-sohr',
    ]);
    expect(ids(res.data!.places).sort()).toEqual([
      'pl-aleppo',
      'pl-daraa',
      'pl-homs',
      'pl-quneitra',
      'pl-rif-dimashq',
    ]);
    expect(res.data!.places.totalCount).toBe(5);
    expect(res.data!.sources.edges[0]!.node).toMatchObject({
      title: 'Al-Assad’s pardon | Releasing detainees shrinks',
      publisher: { name: 'Syrian Observatory for Human Rights' },
    });
  });

  it('puts events on a timeline in date order, uncertain dates as ranges', async () => {
    const res = await app.graphql(SourceTimelineDocument, { sourceId: source });
    const entries = res.data!.timeline.entries;
    expect(entries.map((e) => e.event.id)).toEqual([
      `ev-t${u}-since`,
      `ev-t${u}-late-april`,
      `ev-t${u}-day`,
      `ev-t${u}-undated`,
    ]);
    expect(entries[1]).toMatchObject({
      earliest: '2022-04-01',
      latest: '2022-04-30',
      precision: 'month',
      uncertain: true,
    });
    expect(entries[2]).toMatchObject({
      earliest: '2022-04-30',
      latest: '2022-04-30',
      precision: 'day',
      uncertain: false,
    });
    expect(entries[0]).toMatchObject({ earliest: '2011-03-01', latest: null, uncertain: true });
    expect(entries[3]).toMatchObject({ earliest: null, latest: null, precision: 'unknown', uncertain: true });
    expect(res.data!.timeline.truncated).toBe(false);
    const cut = await app.graphql(SourceTimelineDocument, { sourceId: source, first: 2 });
    expect(cut.data!.timeline).toMatchObject({
      truncated: true,
      entries: [expect.anything(), expect.anything()],
    });
  });

  it('returns nodes in the order asked, null for unknown ids', async () => {
    const res = await app.graphql(NodesInOrderDocument, { ids: ['pl-daraa', 'ev-nothing-here', 'ac-sohr'] });
    expect(res.data!.nodes).toEqual([{ id: 'pl-daraa' }, null, { id: 'ac-sohr' }]);
  });

  it.each([
    [{ first: 101 }, 'LIMIT_EXCEEDED', ['first']],
    [{ first: 0 }, 'BAD_USER_INPUT', ['first']],
    [{ after: 'not-a-cursor' }, 'BAD_USER_INPUT', ['after']],
    [{ filter: { from: '2022-13' } }, 'BAD_USER_INPUT', ['filter', 'from']],
    [{ filter: { from: '2022-05', to: '2022-04' } }, 'BAD_USER_INPUT', ['filter', 'from']],
  ])('refuses %j (%s at %j) before any database work', async (variables, code, path) => {
    expectRefused(await app.graphql(ListEventsDocument, variables), code, path, { beforeDatabase: true });
  });

  // Year 0000 and impossible days are refused with the bound's path, on both listings of events.
  it.each([
    ['events', 'from', '0000'],
    ['events', 'to', '0000'],
    ['events', 'from', '0000-01'],
    ['events', 'to', '0000-02-29'],
    ['events', 'from', '2023-02-29'],
    ['events', 'to', '1900-02-29'],
    ['timeline', 'from', '0000'],
    ['timeline', 'to', '0000-12'],
    ['timeline', 'from', '2100-02-29'],
  ])('%s refuses filter.%s %j (BAD_USER_INPUT) before any database work', async (field, side, value) => {
    const doc: TypedDocument<unknown> = field === 'events' ? ListEventsDocument : FilteredTimelineDocument;
    const res = await app.graphql(doc, { filter: { [side]: value } });
    expectRefused(res, 'BAD_USER_INPUT', ['filter', side], { beforeDatabase: true });
  });

  it('reads the first years of the calendar: filter.from 0001 is a date like any other', async () => {
    const res = await app.graphql(ListEventsDocument, { filter: { from: '0001', to: '0001-12-31' } });
    // The database is shared and kept between runs: what matters is an answer, not an error.
    expect(res.errors).toBeUndefined();
    expect(Array.isArray(res.data!.events.edges)).toBe(true);
  });
});
