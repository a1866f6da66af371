import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor, Row, Statement } from '../../src/graph/executor.js';
import * as q from '../../src/graph/queries/explore.js';
import { PATH_FAN_OUT, PATH_LEVEL_BUDGET } from '../../src/graph/stores/explore.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import * as before from '../helpers/explore-before.js';

/**
 * Hub-aware walks (issue #17): neighbourhoods and paths read at most a capped number of neighbours per node
 * and per level, say `truncated` when a cap cut the walk, and answer as before wherever no cap was reached.
 */

interface NeighborhoodData {
  neighborhood: {
    center: string;
    truncated: boolean;
    nodes: { id: string; distance: number }[];
    edges: { id: string; source: string; target: string }[];
  };
}
interface PathSearchData {
  pathSearch: {
    truncated: boolean;
    paths: { length: number; nodes: { id: string }[]; hops: { id: string }[] }[];
  };
}

const NEIGHBORHOOD = `
  query N($id: ID!, $depth: Int, $limit: Int) {
    neighborhood(id: $id, depth: $depth, limit: $limit) {
      center truncated nodes { id distance } edges { id source target }
    }
  }`;
const PATH_SEARCH = `
  query P($from: ID!, $to: ID!, $maxLength: Int, $first: Int) {
    pathSearch(from: $from, to: $to, maxLength: $maxLength, first: $first) {
      truncated paths { length nodes { id } hops { id } }
    }
  }`;

function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toBeUndefined();
  expect(res.extensions?.roundTrips).toBe(1);
  return res.data!;
}

/** More events than a path search lets one node give. */
const HUB_EVENTS = PATH_FAN_OUT + 10;

/**
 * A security branch involved in HUB_EVENTS arrests, each arrest in a town of its own; a confidential branch
 * involved in the first and third; a public officer linked to the second by a confidential claim only.
 */
function hubBundle(u: string, events = HUB_EVENTS) {
  const ev = (i: number) => `ev-h${u}-${String(i).padStart(3, '0')}`;
  const sentence = (i: number) => `Branch ${u} arrested people in case ${i}.`;
  const secret = (i: number) => `The secret branch ${u} took part in case ${i}.`;
  const lone = `Officer ${u} led case 2.`;
  const text = [
    ...Array.from({ length: events }, (_, i) => `${sentence(i)} Case ${i} was in town ${i}.`),
    secret(0),
    secret(2),
    lone,
  ].join(' ');
  const claim = (
    id: string,
    subject: string,
    relation: Record<string, unknown>,
    quote: string,
    extra = {},
  ) => ({
    id,
    subject,
    summary: quote,
    relation,
    source: `src-h${u}`,
    quotes: [quote],
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [{ id: `src-h${u}`, text, sha256: sha256(text), title: `Hub report ${u}`, language: 'en' }],
    actors: [
      { id: `ac-h${u}`, type: 'organization', name: `Branch ${u}` },
      { id: `ac-s${u}`, type: 'organization', name: `Secret branch ${u}`, sensitivity: 'confidential' },
      { id: `ac-o${u}`, type: 'person', name: `Officer ${u}` },
    ],
    places: Array.from({ length: events }, (_, i) => ({
      id: `pl-h${u}-${i}`,
      type: 'city',
      name: `Town ${u} ${i}`,
    })),
    events: Array.from({ length: events }, (_, i) => ({
      id: ev(i),
      type: 'arrest_detention',
      name: `Arrests ${u} ${i}`,
      date: { precision: 'day', value: '2022-05-01' },
    })),
    claims: [
      ...Array.from({ length: events }, (_, i) => [
        claim(
          `cl-h${u}-${i}`,
          `ac-h${u}`,
          { type: 'INVOLVED_IN', object: ev(i), role: 'perpetrator' },
          sentence(i),
        ),
        claim(
          `cl-p${u}-${i}`,
          ev(i),
          { type: 'OCCURRED_IN', object: `pl-h${u}-${i}` },
          `Case ${i} was in town ${i}.`,
        ),
      ]).flat(),
      claim(`cl-s${u}-0`, `ac-s${u}`, { type: 'INVOLVED_IN', object: ev(0), role: 'perpetrator' }, secret(0)),
      claim(`cl-s${u}-2`, `ac-s${u}`, { type: 'INVOLVED_IN', object: ev(2), role: 'perpetrator' }, secret(2)),
      claim(`cl-o${u}`, `ac-o${u}`, { type: 'INVOLVED_IN', object: ev(1), role: 'perpetrator' }, lone, {
        sensitivity: 'confidential',
      }),
    ],
  };
}

/** Caps as the store sets them. */
const neighborhoodCaps = (limit: number) => ({ fanOut: limit, levelBudget: 4 * limit });
const pathCaps = { fanOut: PATH_FAN_OUT, levelBudget: PATH_LEVEL_BUDGET };

async function one(executor: Executor, stmt: Statement, params: Record<string, unknown>): Promise<Row> {
  const [row] = await executor.read(stmt, params as never);
  return row!;
}

/** Total dbHits of a statement run with PROFILE, every clearance. */
async function dbHits(app: TestApp, stmt: Statement, params: Record<string, unknown>): Promise<number> {
  const session = app.db.driver.session();
  try {
    const visible = ['public', 'restricted', 'confidential'];
    const result = await session.executeRead((tx) =>
      tx.run(`PROFILE ${stmt.cypher}`, { ...params, visible }),
    );
    const sum = (p: { dbHits: number; children: unknown[] }): number =>
      p.dbHits + p.children.reduce<number>((acc, c) => acc + sum(c as typeof p), 0);
    return sum(result.summary.profile as unknown as { dbHits: number; children: unknown[] });
  } finally {
    await session.close();
  }
}

const nodeIds = (row: Row) => (row.nodes as { id: string }[]).map((n) => n.id);
const edgeIds = (row: Row) => (row.edges as { id: string }[]).map((e) => e.id);
const pathIds = (row: Row) =>
  (row.paths as { nodes: { id: string }[]; hops: { id: string }[] }[]).map((p) => [
    p.nodes.map((n) => n.id),
    p.hops.map((h) => h.id),
  ]);

describe('hub-aware neighbourhoods and paths', () => {
  let app: TestApp;
  const u = uniq();
  const hub = `ac-h${u}`;
  const ev = (i: number) => `ev-h${u}-${String(i).padStart(3, '0')}`;

  beforeAll(async () => {
    app = await startTestApp();
    await loadBundle(app.db.executor, writeBundle(hubBundle(u)));
  });
  afterAll(() => app.close());

  const neighborhood = async (variables: Record<string, unknown>) =>
    ok(await app.graphql<NeighborhoodData>(NEIGHBORHOOD, variables)).neighborhood;
  const pathSearch = async (variables: Record<string, unknown>) =>
    ok(await app.graphql<PathSearchData>(PATH_SEARCH, variables)).pathSearch;

  it('gives the same nodes, distances and edges as the full walk on the sample graph, not truncated', async () => {
    const centres = [
      'ev-amnesty-decree-2022',
      'ev-amnesty-releases-2022',
      'fg-f16-share-of-deaths',
      'ac-iranian-prison-supervisors',
      ev(4),
    ];
    let compared = 0;
    for (const id of centres) {
      for (const depth of [1, 2]) {
        for (const limit of [100]) {
          const params = { id, limit, labels: null, withClaims: true };
          const now = await one(app.db.executor, q.neighborhood(depth), {
            ...params,
            ...neighborhoodCaps(limit),
          });
          const was = await one(app.db.executor, before.neighborhood(depth), params);
          if (now.truncated === true) continue;
          compared++;
          expect(nodeIds(now), `${id} depth ${depth}`).toEqual(nodeIds(was));
          expect(now.distances, `${id} depth ${depth}`).toEqual(was.distances);
          expect(edgeIds(now), `${id} depth ${depth}`).toEqual(edgeIds(was));
          expect(was.truncated).toBe(false);
        }
      }
    }
    // The sample is small: most of these walks reach no cap.
    expect(compared).toBeGreaterThan(5);
  }, 300_000);

  it('gives the same paths as the full search on the sample graph, not truncated', async () => {
    const pairs = [
      ['ac-iranian-prison-supervisors', 'fg-f15-deaths-105000'],
      ['ac-syrian-president', 'pl-daraa'],
      ['ev-amnesty-decree-2022', 'ev-amnesty-releases-2022'],
      ['pl-daraa', 'pl-daraa'],
    ];
    let compared = 0;
    for (const [from, to] of pairs) {
      for (const maxLength of [2, 4]) {
        const params = { from, to, first: 1, withClaims: true };
        const now = await one(app.db.executor, q.paths(maxLength), { ...params, ...pathCaps });
        const was = await one(app.db.executor, before.paths(maxLength), params);
        if (now.truncated === true) continue;
        compared++;
        expect(pathIds(now), `${from} → ${to} ≤ ${maxLength}`).toEqual(pathIds(was));
      }
    }
    expect(compared).toBeGreaterThan(4);
  }, 300_000);

  it('caps a hub: a bounded neighbourhood that says truncated, the same on every call', async () => {
    const first = await neighborhood({ id: hub, limit: 10 });
    expect(first.truncated).toBe(true);
    expect(first.nodes).toHaveLength(10);
    expect(first.nodes[0]).toEqual({ id: hub, distance: 0 });
    expect(first.nodes.slice(1).every((n) => n.distance === 1)).toBe(true);
    for (let i = 0; i < 3; i++) expect(await neighborhood({ id: hub, limit: 10 })).toEqual(first);
    // Two hops from one of its events: the hub is crossed, capped, and the answer bounded by the limit.
    const far = await neighborhood({ id: ev(5), depth: 2, limit: 20 });
    expect(far.truncated).toBe(true);
    expect(far.nodes).toHaveLength(20);
    expect(far.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([ev(5), hub, `pl-h${u}-5`]));
    expect(await neighborhood({ id: ev(5), depth: 2, limit: 20 })).toEqual(far);
  });

  it('reads no more of a hub with twice the events (dbHits)', async () => {
    const v = uniq();
    await loadBundle(app.db.executor, writeBundle(hubBundle(v, 2 * HUB_EVENTS)));
    const params = (id: string) => ({
      id,
      limit: 10,
      labels: null,
      withClaims: false,
      ...neighborhoodCaps(10),
    });
    const small = await dbHits(app, q.neighborhood(2), params(hub));
    const big = await dbHits(app, q.neighborhood(2), params(`ac-h${v}`));
    expect(big).toBeLessThanOrEqual(small * 1.1);
    const pathParams = (w: string, n: number) => ({
      from: `ev-h${w}-000`,
      to: `ev-h${w}-${String(n - 1).padStart(3, '0')}`,
      first: 3,
      withClaims: false,
      ...pathCaps,
    });
    const shortPath = await dbHits(app, q.paths(4), pathParams(u, HUB_EVENTS));
    const longPath = await dbHits(app, q.paths(4), pathParams(v, 2 * HUB_EVENTS));
    expect(longPath).toBeLessThanOrEqual(shortPath * 1.1);
    // For the record (not asserted): the full walks before issue #17 on the same hubs.
    const plain = ({ fanOut: _f, levelBudget: _b, ...rest }: Record<string, unknown>) => rest;
    console.log(
      `[hubs] dbHits neighborhood depth 2 limit 10 from a hub of ${HUB_EVENTS} / ${2 * HUB_EVENTS} events: ` +
        `capped ${small} / ${big}, full ${await dbHits(app, before.neighborhood(2), plain(params(hub)))} / ` +
        `${await dbHits(app, before.neighborhood(2), plain(params(`ac-h${v}`)))}; paths ≤ 4 across it: ` +
        `capped ${shortPath} / ${longPath}, full ${await dbHits(app, before.paths(4), plain(pathParams(u, HUB_EVENTS)))} / ` +
        `${await dbHits(app, before.paths(4), plain(pathParams(v, 2 * HUB_EVENTS)))}`,
    );
  }, 300_000);

  it('a small neighbourhood is not truncated', async () => {
    const n = await neighborhood({ id: ev(7), depth: 1 });
    expect(n.truncated).toBe(false);
    expect(n.nodes.map((x) => x.id).sort()).toEqual([ev(7), hub, `pl-h${u}-7`].sort());
  });

  it('finds the shortest path across a hub and says the search was capped', async () => {
    const found = await pathSearch({ from: ev(0), to: ev(HUB_EVENTS - 1), maxLength: 4, first: 3 });
    expect(found.truncated).toBe(true);
    expect(found.paths[0]).toMatchObject({
      length: 2,
      nodes: [{ id: ev(0) }, { id: hub }, { id: ev(HUB_EVENTS - 1) }],
    });
    expect(await pathSearch({ from: ev(0), to: ev(HUB_EVENTS - 1), maxLength: 4, first: 3 })).toEqual(found);
    // paths (the list) answers the same paths.
    const list = ok(
      await app.graphql<{ paths: PathSearchData['pathSearch']['paths'] }>(
        `{ paths(from: "${ev(0)}", to: "${ev(HUB_EVENTS - 1)}", first: 3) { length nodes { id } hops { id } } }`,
      ),
    ).paths;
    expect(list).toEqual(found.paths);
  });

  it('a short path between small nodes is not truncated', async () => {
    const found = await pathSearch({ from: ev(3), to: `pl-h${u}-3`, maxLength: 1 });
    expect(found).toEqual({
      truncated: false,
      paths: [{ length: 1, nodes: [{ id: ev(3) }, { id: `pl-h${u}-3` }], hops: [expect.any(Object)] }],
    });
  });

  it('never crosses a hidden hub or a relationship backed only by a hidden claim', async () => {
    // As the store sees it (every clearance), the secret branch joins the first and third arrests.
    const all = await one(app.db.executor, q.paths(2), {
      from: ev(0),
      to: ev(2),
      first: 10,
      withClaims: false,
      ...pathCaps,
    });
    expect(pathIds(all).map(([ns]) => ns![1])).toEqual(expect.arrayContaining([hub, `ac-s${u}`]));
    // A public caller: only through the public branch, the secret one nowhere.
    const seen = await pathSearch({ from: ev(0), to: ev(2), maxLength: 2, first: 10 });
    expect(seen.paths.map((p) => p.nodes.map((n) => n.id))).toEqual([[ev(0), hub, ev(2)]]);
    const around = await neighborhood({ id: ev(0), depth: 2, limit: 500 });
    expect(around.nodes.map((n) => n.id)).not.toContain(`ac-s${u}`);
    // The officer is public, but the only claim linking them to the second arrest is confidential.
    expect((await pathSearch({ from: `ac-o${u}`, to: ev(1), maxLength: 4 })).paths).toEqual([]);
    const officer = await neighborhood({ id: `ac-o${u}`, depth: 3 });
    expect(officer).toMatchObject({ truncated: false, nodes: [{ id: `ac-o${u}`, distance: 0 }], edges: [] });
  });
});
