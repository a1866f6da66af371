import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';

/**
 * search, neighborhood and paths against the real Neo4j and the sample graph (SOHR article on the 2022
 * amnesty), asked through GraphQL. Every root field must answer in one database round trip.
 */

interface Hit {
  score: number;
  kind: string;
  matched: string;
  node: { id: string; name?: string; exact?: string; source?: { id: string } };
}
interface SearchData {
  search: {
    edges: { cursor: string; node: Hit }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount?: number;
  };
}
interface Edge {
  id: string;
  source: string;
  target: string;
  type: string;
  role: string | null;
  label: string;
  claims: { id: string; excerpts: { exact: string }[] }[];
}
interface GNode {
  id: string;
  kind: string;
  label: string;
  type: string | null;
  distance: number;
  node: { id: string; name?: string };
}
interface NeighborhoodData {
  neighborhood: { center: string; nodes: GNode[]; edges: Edge[]; truncated: boolean };
}
interface PathsData {
  paths: { length: number; nodes: { id: string }[]; hops: Edge[] }[];
}

const SEARCH = `
  query Search($query: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
    search(query: $query, kinds: $kinds, first: $first, after: $after) {
      edges { cursor node { score kind matched node {
        id
        ... on Place { name }
        ... on Actor { name }
        ... on Event { name }
        ... on Excerpt { exact source { id } }
      } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const NEIGHBORHOOD = `
  query N($id: ID!, $depth: Int, $limit: Int, $kinds: [GraphNodeKind!]) {
    neighborhood(id: $id, depth: $depth, limit: $limit, kinds: $kinds) {
      center truncated
      nodes { id kind label type distance node { id ... on Entity { name } } }
      edges { id source target type role label claims { id excerpts { exact } } }
    }
  }`;

const PATHS = `
  query P($from: ID!, $to: ID!, $maxLength: Int, $first: Int) {
    paths(from: $from, to: $to, maxLength: $maxLength, first: $first) {
      length
      nodes { id }
      hops { id source target type role label claims { id excerpts { exact } } }
    }
  }`;

const IRANIANS = 'ac-iranian-prison-supervisors';
const DEATHS = 'fg-f15-deaths-105000';
const DECREE = 'ev-amnesty-decree-2022';

function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toBeUndefined();
  expect(res.extensions?.roundTrips).toBe(1);
  return res.data!;
}

function refused(res: GraphQLResponse<unknown>, code: string, inputPath?: string[]) {
  expect(res.errors?.[0]?.extensions?.code).toBe(code);
  if (inputPath) expect(res.errors?.[0]?.extensions?.inputPath).toEqual(inputPath);
  // Refused before any database work.
  expect(res.extensions?.roundTrips).toBe(0);
}

describe('search, neighborhood and paths', () => {
  let app: TestApp;
  const u = uniq();

  beforeAll(async () => {
    app = await startTestApp();
    // Two entities no relationship joins: there is no path between them.
    await loadBundle(app.db.executor, writeBundle(fixtureBundle(u, `Text of test source ${u}.`)));
  });
  afterAll(() => app.close());

  const search = async (variables: Record<string, unknown>) =>
    ok(await app.graphql<SearchData>(SEARCH, variables)).search;
  const ids = (s: SearchData['search']) => s.edges.map((e) => e.node.node.id);

  describe('search', () => {
    it('finds Rif Dimashq first by its English and its Arabic alias, naming the alias that matched', async () => {
      for (const query of ['Rural Damascus', 'ريف دمشق']) {
        // Places only: other tests' sources quote these names too.
        const s = await search({ query, kinds: ['PLACE'] });
        expect(s.edges[0]?.node, query).toMatchObject({
          kind: 'PLACE',
          matched: query,
          node: { id: 'pl-rif-dimashq', name: 'Rif Dimashq' },
        });
        expect(s.edges[0]!.node.score).toBeGreaterThan(0);
      }
    });

    it('finds Arabic excerpt text through the Arabic analyzer (letter variants normalised)', async () => {
      const v = uniq();
      // "أفرج" with hamza; the query writes it with a bare alef, as many users type it.
      const text = `أفرج النظام عن معتقلين في بلدة ${v}`;
      await loadBundle(
        app.db.executor,
        writeBundle(
          fixtureBundle(v, text, [
            {
              id: `cl-t${v}`,
              subject: `ev-t${v}`,
              summary: 'Releases in Daraa',
              source: `src-t${v}`,
              quotes: [text],
            },
          ]),
        ),
      );
      const s = await search({ query: `افرج ${v}`, kinds: ['EXCERPT'] });
      expect(s.edges[0]?.node).toMatchObject({ kind: 'EXCERPT', matched: text });
    });

    it('finds Daraa by its Arabic name', async () => {
      // Places only: other tests' sources may mention Daraa in their text.
      const s = await search({ query: 'درعا', kinds: ['PLACE'] });
      expect(s.edges[0]?.node).toMatchObject({ kind: 'PLACE', matched: 'درعا', node: { id: 'pl-daraa' } });
    });

    it('tolerates a typo when a word ends with ~, and only then', async () => {
      expect(ids(await search({ query: 'Dimashk~' }))).toContain('pl-rif-dimashq');
      const places = await search({ query: 'Dimashk~', kinds: ['PLACE'] });
      expect(places.edges[0]?.node).toMatchObject({ node: { id: 'pl-rif-dimashq' }, matched: 'Rif Dimashq' });
      expect(ids(await search({ query: 'Dimashk' }))).not.toContain('pl-rif-dimashq');
    });

    it('finds excerpts by their words, with their source, in one round trip', async () => {
      const s = await search({ query: 'defectors' });
      const excerpts = s.edges.map((e) => e.node).filter((h) => h.kind === 'EXCERPT');
      expect(excerpts.length).toBeGreaterThan(0);
      for (const h of excerpts) {
        expect(h.node.exact).toMatch(/defectors/i);
        expect(h.matched).toBe(h.node.exact);
        expect(h.node.source!.id).toMatch(/^src-/);
      }
      // Other test files record reports about defectors too: the sample's excerpt is among the hits.
      expect(excerpts.map((h) => h.node.source!.id)).toContain('src-sohr-amnesty-2022');
    });

    it('ranks by score, best first', async () => {
      const scores = (await search({ query: 'released detainees' })).edges.map((e) => e.node.score);
      expect(scores.length).toBeGreaterThan(2);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('filters by kind', async () => {
      const all = await search({ query: 'defectors' });
      // The sample's actor, event and excerpt; figures of other test files' reports (army_defectors) too.
      expect([...new Set(all.edges.map((e) => e.node.kind))].sort()).toEqual(
        expect.arrayContaining(['ACTOR', 'EVENT', 'EXCERPT']),
      );
      expect(all.edges.every((e) => ['ACTOR', 'EVENT', 'EXCERPT', 'FIGURE'].includes(e.node.kind))).toBe(
        true,
      );
      const actors = await search({ query: 'defectors', kinds: ['ACTOR'] });
      expect(actors.edges.length).toBeGreaterThan(0);
      expect(actors.edges.every((e) => e.node.kind === 'ACTOR')).toBe(true);
      expect(ids(actors)).toContain('ac-released-army-defectors');
      const sources = await search({ query: 'pardon', kinds: ['SOURCE'] });
      expect(sources.edges.map((e) => [e.node.kind, e.node.node.id, e.node.matched])).toEqual([
        ['SOURCE', 'src-sohr-amnesty-2022', 'Al-Assad’s pardon | Releasing detainees shrinks'],
      ]);
    });

    it('pages with keyset cursors: two pages of 2 are the first 4, in order, without overlap', async () => {
      const query = 'released';
      const four = await search({ query, first: 4 });
      expect(four.edges).toHaveLength(4);
      const page1 = await search({ query, first: 2 });
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = await search({ query, first: 2, after: page1.pageInfo.endCursor });
      expect([...ids(page1), ...ids(page2)]).toEqual(ids(four));
      expect(new Set([...ids(page1), ...ids(page2)]).size).toBe(4);
    });

    it('counts all hits when totalCount is asked, in the same round trip', async () => {
      const res = ok(
        await app.graphql<SearchData>(
          `{ search(query: "defectors", first: 1) { totalCount pageInfo { hasNextPage } edges { cursor } } }`,
        ),
      );
      const all = await search({ query: 'defectors', first: 100 });
      expect(all.pageInfo.hasNextPage).toBe(false);
      expect(res.search.totalCount).toBe(all.edges.length);
      expect(res.search.totalCount).toBeGreaterThan(1);
      expect(res.search.pageInfo.hasNextPage).toBe(true);
    });

    it('escapes Lucene syntax in the query instead of failing', async () => {
      for (const query of ['defectors) AND (', 'army-defectors "', 'a:b/c* ?', '~']) {
        const res = await app.graphql<SearchData>(SEARCH, { query });
        expect(res.errors, query).toBeUndefined();
      }
      expect(ids(await search({ query: '"army defectors' }))).toContain('ac-released-army-defectors');
    });

    it('refuses a blank query, an oversized page and a foreign cursor before any database work', async () => {
      refused(await app.graphql(SEARCH, { query: '  ' }), 'BAD_USER_INPUT', ['query']);
      refused(await app.graphql(SEARCH, { query: 'Daraa', first: 1000 }), 'LIMIT_EXCEEDED', ['first']);
      refused(await app.graphql(SEARCH, { query: 'Daraa', after: 'nonsense' }), 'BAD_USER_INPUT', ['after']);
      refused(await app.graphql(SEARCH, { query: 'Daraa', kinds: [] }), 'BAD_USER_INPUT', ['kinds']);
    });
  });

  describe('neighborhood', () => {
    const neighborhood = async (variables: Record<string, unknown>) =>
      ok(await app.graphql<NeighborhoodData>(NEIGHBORHOOD, variables)).neighborhood;

    it('of the decree at depth 1: issuer, country and beneficiaries, every edge with its quoted claims', async () => {
      const n = await neighborhood({ id: DECREE });
      expect(n.center).toBe(DECREE);
      expect(n.truncated).toBe(false);
      expect(n.nodes[0]).toMatchObject({ id: DECREE, kind: 'EVENT', distance: 0, type: 'amnesty_decree' });
      expect(n.nodes[0]!.node.name).toBe(n.nodes[0]!.label);
      const nodeIds = n.nodes.map((x) => x.id);
      expect(nodeIds).toEqual(
        expect.arrayContaining([
          'ac-syrian-president',
          'pl-syria',
          'ac-criminal-case-detainees',
          'ac-terrorism-case-detainees',
        ]),
      );
      expect(n.nodes.slice(1).every((x) => x.distance === 1)).toBe(true);
      expect(n.edges).toContainEqual(
        expect.objectContaining({
          source: 'ac-syrian-president',
          target: DECREE,
          type: 'INVOLVED_IN',
          role: 'issuer',
          label: 'INVOLVED_IN (issuer)',
        }),
      );
      const beneficiaries = n.edges
        .filter((e) => e.role === 'beneficiary' && e.target === DECREE)
        .map((e) => e.source);
      expect(beneficiaries.sort()).toEqual(['ac-criminal-case-detainees', 'ac-terrorism-case-detainees']);
      for (const e of n.edges) {
        expect(nodeIds).toContain(e.source);
        expect(nodeIds).toContain(e.target);
        expect(e.claims.length, e.id).toBeGreaterThan(0);
        for (const c of e.claims) expect(c.excerpts[0]?.exact, c.id).toBeTruthy();
      }
      expect(new Set(n.edges.map((e) => e.id)).size).toBe(n.edges.length);
    });

    it('labels figures by measure, value and qualifier, backed by their claim', async () => {
      const n = await neighborhood({ id: 'ev-amnesty-releases-2022' });
      expect(n.nodes).toContainEqual(
        expect.objectContaining({
          id: 'fg-f4-released-1168',
          kind: 'FIGURE',
          type: 'people_released',
          label: 'people_released: 1,168 (approximately)',
          distance: 1,
        }),
      );
      const figureOf = n.edges.find((e) => e.source === 'fg-f4-released-1168');
      expect(figureOf).toMatchObject({ type: 'FIGURE_OF', target: 'ev-amnesty-releases-2022' });
      expect(figureOf!.claims.map((c) => c.id)).toEqual(['cl-f4-released-1168']);
      expect(figureOf!.claims[0]!.excerpts[0]!.exact).toContain('1,168');
    });

    it('walks figure links from a figure: its subject, the event it covers and the figure it is a share of', async () => {
      const n = await neighborhood({ id: 'fg-f16-share-of-deaths' });
      expect(n.nodes[0]).toMatchObject({
        id: 'fg-f16-share-of-deaths',
        kind: 'FIGURE',
        label: 'share_of_deaths_in_custody: 83% (more than)',
      });
      const own = n.edges.filter((e) => e.source === 'fg-f16-share-of-deaths');
      expect(own.map((e) => [e.type, e.target]).sort()).toEqual([
        ['DURING', 'ev-iranian-supervision-of-prisons'],
        ['FIGURE_OF', 'ev-deaths-in-regime-prisons'],
        ['SHARE_OF', DEATHS],
      ]);
      for (const e of own) expect(e.claims.map((c) => c.id)).toEqual(['cl-f16-share-of-deaths']);
      // Both figures are at most one hop away, so the edge between them is shown too.
      expect(n.edges).toContainEqual(
        expect.objectContaining({ source: DEATHS, type: 'FIGURE_OF', target: 'ev-deaths-in-regime-prisons' }),
      );
    });

    it('answers nested claim details and records in the same single round trip', async () => {
      const res = await app.graphql<{
        neighborhood: {
          nodes: { node: { id: string } }[];
          edges: { claims: { subject: { id: string }; sources: { title: string }[] }[] }[];
        };
      }>(
        `{ neighborhood(id: "${DECREE}") {
            nodes { node { id ... on Figure { value measure } ... on Actor { aliases { value } } } }
            edges { claims { summary status subject { id name } object { id }
              sources { title publisher { name } } attribution { hop agent { name } } conflicts { id }
              excerpts { exact start source { id } } } } } }`,
      );
      const n = ok(res).neighborhood;
      expect(n.edges.length).toBeGreaterThan(0);
      for (const e of n.edges) {
        expect(e.claims.length).toBeGreaterThan(0);
        for (const c of e.claims) expect(c.sources.map((x) => x.title)).toHaveLength(1);
      }
    });

    it('goes further with depth, nearest first', async () => {
      const n = await neighborhood({ id: DECREE, depth: 2 });
      const distances = n.nodes.map((x) => x.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(n.nodes.find((x) => x.id === 'pl-daraa')?.distance).toBe(2);
      expect(n.nodes.length).toBeGreaterThan((await neighborhood({ id: DECREE })).nodes.length);
    });

    it('caps the nodes at limit and says it cut some off', async () => {
      const n = await neighborhood({ id: DECREE, limit: 3 });
      expect(n.truncated).toBe(true);
      expect(n.nodes).toHaveLength(3);
      expect(n.nodes[0]!.id).toBe(DECREE);
      const kept = new Set(n.nodes.map((x) => x.id));
      for (const e of n.edges) expect(kept.has(e.source) && kept.has(e.target)).toBe(true);
    });

    it('keeps only the kinds asked for, and always the centre', async () => {
      const n = await neighborhood({ id: DECREE, depth: 2, kinds: ['PLACE'] });
      expect(n.nodes[0]!.id).toBe(DECREE);
      expect(n.nodes.slice(1).map((x) => x.kind)).toEqual(n.nodes.slice(1).map(() => 'PLACE'));
      expect(n.nodes.map((x) => x.id)).toEqual(expect.arrayContaining(['pl-syria', 'pl-daraa']));
    });

    it('refuses depth over 3 and limit over 500, and says when the id does not exist', async () => {
      refused(await app.graphql(NEIGHBORHOOD, { id: DECREE, depth: 4 }), 'LIMIT_EXCEEDED', ['depth']);
      refused(await app.graphql(NEIGHBORHOOD, { id: DECREE, depth: 0 }), 'BAD_USER_INPUT', ['depth']);
      refused(await app.graphql(NEIGHBORHOOD, { id: DECREE, limit: 501 }), 'LIMIT_EXCEEDED', ['limit']);
      const res = await app.graphql(NEIGHBORHOOD, { id: `ev-missing-${u}` });
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('paths', () => {
    const paths = async (variables: Record<string, unknown>) =>
      ok(await app.graphql<PathsData>(PATHS, variables)).paths;

    it('links the Iranian supervisors to the 105,000 deaths through the 83% share, with quoted claims', async () => {
      const found = await paths({ from: IRANIANS, to: DEATHS });
      expect(found.length).toBeGreaterThan(0);
      const [p] = found;
      expect(p!.length).toBe(3);
      expect(p!.nodes.map((n) => n.id)).toEqual([
        IRANIANS,
        'ev-iranian-supervision-of-prisons',
        'fg-f16-share-of-deaths',
        DEATHS,
      ]);
      expect(p!.hops.map((h) => [h.type, h.source, h.target])).toEqual([
        ['INVOLVED_IN', IRANIANS, 'ev-iranian-supervision-of-prisons'],
        ['DURING', 'fg-f16-share-of-deaths', 'ev-iranian-supervision-of-prisons'],
        ['SHARE_OF', 'fg-f16-share-of-deaths', DEATHS],
      ]);
      expect(p!.hops[0]!.label).toBe('INVOLVED_IN (supervisor)');
      for (const h of p!.hops) {
        expect(h.claims.length, h.id).toBeGreaterThan(0);
        for (const c of h.claims) expect(c.excerpts[0]?.exact, c.id).toBeTruthy();
      }
      expect(p!.hops[2]!.claims.map((c) => c.id)).toEqual(['cl-f16-share-of-deaths']);
    });

    it('answers nested claim details along the hops in one round trip', async () => {
      const res = await app.graphql<PathsData>(
        `{ paths(from: "${IRANIANS}", to: "${DEATHS}", first: 1) {
            length nodes { id ... on Figure { value } ... on Entity { name } }
            hops { claims { subject { id } figure { value measure } sources { title }
              attribution { agent { name } } excerpts { exact source { id } } } } } }`,
      );
      const [p] = ok(res).paths;
      expect(p!.length).toBe(3);
      expect(p!.hops.every((h) => h.claims.length > 0 && h.claims[0]!.excerpts.length > 0)).toBe(true);
    });

    it('gives the record itself as a path of length 0', async () => {
      expect(await paths({ from: 'pl-daraa', to: 'pl-daraa' })).toEqual([
        { length: 0, nodes: [{ id: 'pl-daraa' }], hops: [] },
      ]);
    });

    it('returns the shortest first, at most first, without repeated nodes', async () => {
      const found = await paths({ from: 'ac-syrian-president', to: 'pl-daraa', first: 4 });
      expect(found.length).toBeGreaterThan(1);
      expect(found.length).toBeLessThanOrEqual(4);
      const lengths = found.map((p) => p.length);
      expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
      for (const p of found) {
        expect(p.nodes).toHaveLength(p.length + 1);
        expect(new Set(p.nodes.map((n) => n.id)).size).toBe(p.nodes.length);
        expect(p.nodes[0]!.id).toBe('ac-syrian-president');
        expect(p.nodes.at(-1)!.id).toBe('pl-daraa');
      }
    });

    it('is empty when no path is short enough or none exists', async () => {
      expect(await paths({ from: IRANIANS, to: DEATHS, maxLength: 2 })).toEqual([]);
      expect(await paths({ from: `ac-t${u}`, to: `pl-t${u}` })).toEqual([]);
    });

    it('refuses maxLength over 6 and first over 10, and unknown ids', async () => {
      refused(await app.graphql(PATHS, { from: IRANIANS, to: DEATHS, maxLength: 7 }), 'LIMIT_EXCEEDED', [
        'maxLength',
      ]);
      refused(await app.graphql(PATHS, { from: IRANIANS, to: DEATHS, first: 11 }), 'LIMIT_EXCEEDED', [
        'first',
      ]);
      const res = await app.graphql(PATHS, { from: IRANIANS, to: `fg-missing-${u}` });
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.errors?.[0]?.extensions?.id).toBe(`fg-missing-${u}`);
    });
  });
});
