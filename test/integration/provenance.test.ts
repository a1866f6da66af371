import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../src/paths.js';
import { loadBundle } from '../../src/services/import.js';
import {
  ConflictEvidenceDocument,
  CountedConflictsDocument,
  EntityClaimIdsDocument,
  FullProvenanceDocument,
  PlaceRelationsDocument,
  ProvenanceIdDocument,
  ProvenanceLabelDocument,
  ProvenancePageDocument,
  StatisticsDocument,
  StatisticsPrimedDocument,
  StatisticsSourcesDocument,
  UncountedConflictsDocument,
  type CountedConflictsQuery,
  type StatisticsQuery,
  type UncountedConflictsQuery,
} from '../generated/graphql.js';
import { startTestApp, type GraphQLResponse, type TestApp, type Variables } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { expectRefused } from '../helpers/refusals.js';

/**
 * provenance, conflicts and statistics against the real Neo4j: the sample graph (read, never changed)
 * plus fixtures with unique ids for what the sample lacks (a retraction, several conflicts on one subject).
 */

const SOURCE_TEXT = readFileSync(path.join(dataDir, 'sohr-2022-amnesty-release-batches.txt'), 'utf8');
const SOURCE_ID = 'src-sohr-amnesty-2022';
const SOURCE_SHA = '9ff2442d6076d028f140b124f55c38c742e7efddf1b9750c393cb5bd0c563072';
const DECREE = 'ev-amnesty-decree-2022';
const RELEASES = 'ev-amnesty-releases-2022';

const FIXTURE_TEXT =
  'Monitors counted 500 released. Others counted 520 released. A third tally said 500 released too. ' +
  'Some said 10 detained; others said 12 detained.';

const figureClaim = (u: string, key: string, measure: string, value: number, quote: string, extra = {}) => ({
  id: `cl-t${u}-${key}`,
  subject: `ev-t${u}`,
  summary: `${value} ${measure}`,
  figure: { measure, value, qualifier: 'exact', unit: 'people' },
  source: `src-t${u}`,
  quotes: [quote],
  attributedTo: [`ac-t${u}`],
  ...extra,
});

const roundTrips = (res: GraphQLResponse<unknown>) => res.extensions?.roundTrips;

describe('evidence: provenance, conflicts, statistics', () => {
  let app: TestApp;
  // Fixture A: two conflicts on one event (people_detained 10/12; people_released 500/520, plus an agreeing 500).
  const a = uniq();
  // Fixture B: 500 vs 520, but the 520 is retracted: no conflict.
  const b = uniq();

  beforeAll(async () => {
    app = await startTestApp();
    const bundleA = fixtureBundle(a, `${FIXTURE_TEXT} ${a}`, [
      figureClaim(a, 'a', 'people_released', 500, 'Monitors counted 500 released'),
      figureClaim(a, 'b', 'people_released', 520, 'Others counted 520 released'),
      figureClaim(a, 'c', 'people_released', 500, 'A third tally said 500 released too'),
      figureClaim(a, 'd', 'people_detained', 10, 'Some said 10 detained'),
      figureClaim(a, 'e', 'people_detained', 12, 'others said 12 detained'),
    ]);
    const bundleB = fixtureBundle(b, `${FIXTURE_TEXT} ${b}`, [
      figureClaim(b, 'a', 'people_released', 500, 'Monitors counted 500 released'),
      figureClaim(b, 'b', 'people_released', 520, 'Others counted 520 released', { status: 'retracted' }),
    ]);
    await loadBundle(app.db.executor, writeBundle(bundleA));
    await loadBundle(app.db.executor, writeBundle(bundleB));
  });
  afterAll(() => app.close());

  describe('provenance', () => {
    const provenance = (id: string) => app.graphql(FullProvenanceDocument, { id });

    it('of an event: every claim it takes part in, with exact excerpts and the source once, in one round trip', async () => {
      const res = await provenance(DECREE);
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      const p = res.data!.provenance;
      expect(p).toMatchObject({
        id: DECREE,
        kind: 'Event',
        label: 'Presidential amnesty decree of 30 April 2022',
      });

      // The same claims the entity itself lists (another code path: the per-request loaders).
      const about = await app.graphql(EntityClaimIdsDocument, { id: DECREE });
      const entity = about.data!.node;
      const expected = entity && 'claims' in entity ? entity.claims.map((c) => c.id) : [];
      expect(expected.length).toBeGreaterThanOrEqual(4);
      // Those, and the claims in which the decree is the object (issue #14: who issued it, who benefits, the
      // releases under it), which the entity's own claims leave out.
      expect(p.claims.map((c) => c.id)).toEqual(expect.arrayContaining(expected));
      expect(p.claims.length).toBeGreaterThanOrEqual(expected.length + 4);
      expect(p.claims.map((c) => c.id)).toEqual(
        expect.arrayContaining(['cl-f3-decree-date-late-april', 'cl-f10-decree-date', 'cl-f10-decree-scope']),
      );

      const points = Array.from(SOURCE_TEXT);
      for (const c of p.claims.filter((c) => expected.includes(c.id))) {
        expect(c.subject).toEqual({ id: DECREE, name: p.label });
        expect(c.excerpts.length, c.id).toBeGreaterThan(0);
        expect(c.attribution.map((h) => h.agent.id)).toEqual(['ac-sohr']);
        for (const e of c.excerpts) {
          expect(e.source.id).toBe(SOURCE_ID);
          expect(points.slice(e.start, e.end).join(''), c.id).toBe(e.exact);
          expect(points.slice(e.start - e.prefix.length, e.start).join('')).toBe(e.prefix);
          expect(points.slice(e.end, e.end + e.suffix.length).join('')).toBe(e.suffix);
        }
      }
      expect(p.sources).toEqual([
        {
          id: SOURCE_ID,
          title: 'Al-Assad’s pardon | Releasing detainees shrinks',
          sha256: SOURCE_SHA,
          reliability: 'unknown',
          published: { value: '2022-05', precision: 'month' },
          publisher: { id: 'ac-sohr', name: 'Syrian Observatory for Human Rights' },
        },
      ]);
    });

    it('is one round trip for the documented selection', async () => {
      const res = await app.graphql(
        `{ provenance(id: "${DECREE}") { claims { summary excerpts { exact start end prefix suffix source { title } }
            attribution { hop agent { name } } subject { name } }
            sources { title sha256 published { value precision } publisher { name } } } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
    });

    it('of a figure: the claims asserting it, with the attribution chain', async () => {
      const res = await provenance('fg-f15-deaths-105000');
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      const p = res.data!.provenance;
      expect(p).toMatchObject({ kind: 'Figure', label: 'exceeded 105,000 people' });
      expect(p.claims.map((c) => c.id)).toEqual(['cl-f15-deaths-105000']);
      expect(p.claims[0]!.attribution).toEqual([
        { hop: 1, agent: { id: 'ac-sohr', name: 'Syrian Observatory for Human Rights' } },
        { hop: 2, agent: { id: 'ac-reliable-sources', name: 'Unnamed reliable sources' } },
      ]);
      expect(p.claims[0]!.excerpts[0]!.exact).toContain('exceeded 105,000 people');
      expect(p.sources.map((s) => s.sha256)).toEqual([SOURCE_SHA]);
    });

    it('of a claim: the claim itself', async () => {
      const res = await provenance('cl-f10-decree-date');
      const p = res.data!.provenance;
      expect(p).toMatchObject({
        id: 'cl-f10-decree-date',
        kind: 'Claim',
        label: 'The amnesty decree was issued on 30 April 2022.',
      });
      expect(p.claims.map((c) => c.id)).toEqual(['cl-f10-decree-date']);
      expect(p.claims[0]!.excerpts.map((e) => e.exact)).toEqual(
        expect.arrayContaining(['committed before April 30, 2022']),
      );
    });

    it('of a relationship: the claims listed on it', async () => {
      const rel = await app.graphql(PlaceRelationsDocument, { id: 'pl-rif-dimashq' });
      const place = rel.data!.node;
      const relations = place && 'relations' in place ? place.relations : [];
      expect(relations.length).toBeGreaterThanOrEqual(3);
      for (const r of relations) {
        const res = await provenance(r.id);
        expect(res.errors, r.id).toBeUndefined();
        expect(roundTrips(res)).toBe(1);
        const p = res.data!.provenance;
        expect(p.kind).toBe('Relation');
        expect(p.label).toMatch(new RegExp(`^${r.type}`));
        expect(p.claims.map((c) => c.id)).toEqual(r.claims.map((c) => c.id).sort());
        expect(p.sources.map((s) => s.id)).toEqual([SOURCE_ID]);
      }
      const partOf = relations.find((r) => r.type === 'PART_OF')!;
      expect((await provenance(partOf.id)).data!.provenance).toMatchObject({
        label: 'PART_OF: Rif Dimashq → Syria',
        claims: [{ id: 'cl-f17-rif-dimashq-in-syria' }],
      });
    });

    it('of a source: the claims whose excerpts are in it', async () => {
      const res = await provenance(`src-t${a}`);
      const p = res.data!.provenance;
      expect(p).toMatchObject({ kind: 'Source', label: `Test source ${a}` });
      expect(p.claims.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e'].map((k) => `cl-t${a}-${k}`));
      expect(p.sources).toMatchObject([{ id: `src-t${a}`, publisher: { id: `ac-t${a}` } }]);
    });

    it('without claims or sources asked for, still says what the record is', async () => {
      const res = await app.graphql(ProvenanceLabelDocument, { id: 'pl-syria' });
      expect(res.data!.provenance).toEqual({ id: 'pl-syria', kind: 'Place', label: 'Syria' });
      expect(roundTrips(res)).toBe(1);
    });

    it.each(['ev-no-such-event', 'rel-part_of-pl-nowhere-pl-syria', 'rel-x', 'fg-nothing'])(
      'refuses an unknown id, %s, with NOT_FOUND',
      async (id) => {
        expectRefused(await app.graphql(ProvenanceIdDocument, { id }), 'NOT_FOUND');
      },
    );
  });

  describe('provenance of a record with many claims, page by page', () => {
    const h = uniq();
    const TEXT = Array.from({ length: 130 }, (_, i) => `Witness ${i + 1} of ${h} saw it.`).join(' ');
    const ids = Array.from({ length: 130 }, (_, i) => `cl-t${h}-w${String(i + 1).padStart(3, '0')}`);
    beforeAll(async () => {
      await loadBundle(
        app.db.executor,
        writeBundle(
          fixtureBundle(
            h,
            TEXT,
            ids.map((id, i) => ({
              id,
              subject: `ev-t${h}`,
              summary: `Witness ${i + 1} saw it.`,
              source: `src-t${h}`,
              quotes: [`Witness ${i + 1} of ${h} saw`],
            })),
          ),
        ),
      );
    });
    const page = (after: string | null, first?: number) =>
      app.graphql(ProvenancePageDocument, { id: `ev-t${h}`, first, after });

    it('gives 100 claims by default, says how many there are, and pages through all of them once', async () => {
      const first = await page(null);
      expect(first.errors).toBeUndefined();
      expect(first.data!.provenance.totalClaims).toBe(130);
      expect(first.data!.provenance.claims).toHaveLength(100);
      expect(first.data!.provenance.pageInfo.hasNextPage).toBe(true);
      expect(first.data!.provenance.sources.map((s) => s.id)).toEqual([`src-t${h}`]);
      const seen = first.data!.provenance.claims.map((c) => c.id);
      let cursor = first.data!.provenance.pageInfo.endCursor;
      for (;;) {
        const next = await page(cursor, 7);
        expect(next.errors).toBeUndefined();
        expect(next.extensions?.roundTrips).toBe(1);
        seen.push(...next.data!.provenance.claims.map((c) => c.id));
        if (!next.data!.provenance.pageInfo.hasNextPage) break;
        cursor = next.data!.provenance.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids);
    });

    it('refuses a page size over 500 and a cursor it did not give, before reading', async () => {
      expectRefused(await page(null, 501), 'LIMIT_EXCEEDED', undefined, { beforeDatabase: true });
      expectRefused(await page('not-a-cursor'), 'BAD_USER_INPUT');
      // A well-formed cursor naming a claim that is not behind this record.
      const foreign = await page(Buffer.from(JSON.stringify(['cl-f2-released-1160'])).toString('base64url'));
      expectRefused(foreign, 'BAD_USER_INPUT');
    });
  });

  describe('conflicts', () => {
    const conflicts = (vars: Variables) => app.graphql(CountedConflictsDocument, vars);

    it('1,160 vs 1,168 released is the one conflict about the releases', async () => {
      const res = await conflicts({ subjectId: RELEASES });
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      const c = res.data!.conflicts;
      expect(c.totalCount).toBe(1);
      expect(c.pageInfo.hasNextPage).toBe(false);
      expect(c.edges.map((e) => e.node)).toEqual([
        {
          subject: { id: RELEASES, name: 'Releases of detainees in batches under the April 2022 amnesty' },
          property: 'people_released',
          claims: [
            { id: 'cl-f2-released-1160', status: 'asserted', figure: { value: 1160 } },
            { id: 'cl-f4-released-1168', status: 'asserted', figure: { value: 1168 } },
          ],
        },
      ]);
    });

    it('pages through every conflict in the graph the same with and without totalCount', async () => {
      // Without totalCount the page is found by walking the index in key order and stopping early;
      // with it, every group is checked. Both must give the same conflicts in the same order.
      const walk = async (counted: boolean) => {
        const keys: string[] = [];
        let after: string | null = null;
        for (let i = 0; i < 200; i++) {
          const vars: Variables = { first: 25, after };
          const res: GraphQLResponse<UncountedConflictsQuery> = counted
            ? await conflicts(vars)
            : await app.graphql(UncountedConflictsDocument, vars);
          expect(res.errors).toBeUndefined();
          expect(roundTrips(res)).toBe(1);
          keys.push(...res.data!.conflicts.edges.map((e) => `${e.node.subject.id}|${e.node.property}`));
          if (!res.data!.conflicts.pageInfo.hasNextPage) return keys;
          after = res.data!.conflicts.pageInfo.endCursor;
        }
        throw new Error('more than 200 pages of conflicts');
      };
      const [fast, counted] = [await walk(false), await walk(true)];
      expect(fast).toEqual(counted);
      expect(fast).toEqual(
        expect.arrayContaining([`${RELEASES}|people_released`, `ev-t${a}|people_released`]),
      );
      expect(fast).not.toContain(`ev-t${b}|people_released`);
    });

    it('is one round trip with the claims, their figures, excerpts and sources', async () => {
      const res = await app.graphql(ConflictEvidenceDocument, { subjectId: RELEASES });
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      const claims = res.data!.conflicts.edges[0]!.node.claims;
      expect(claims[0]!.excerpts[0]!.exact).toContain('Nearly 1,160 prisoners');
      expect(claims[1]!.sources).toEqual([{ title: 'Al-Assad’s pardon | Releasing detainees shrinks' }]);
    });

    it('"late April" and "30 April" agree: no conflict about the decree', async () => {
      const res = await conflicts({ subjectId: DECREE });
      expect(res.errors).toBeUndefined();
      expect(res.data!.conflicts).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
        totalCount: 0,
      });
    });

    it('lists agreeing claims side by side with the disagreeing ones, a page at a time', async () => {
      const first = await conflicts({ subjectId: `ev-t${a}`, first: 1 });
      expect(first.errors).toBeUndefined();
      const p1 = first.data!.conflicts;
      expect(p1.totalCount).toBe(2);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      expect(p1.edges.map((e) => [e.node.property, e.node.claims.map((c) => c.figure!.value)])).toEqual([
        ['people_detained', [10, 12]],
      ]);
      expect(p1.pageInfo.endCursor).toBe(p1.edges[0]!.cursor);

      const second = await conflicts({ subjectId: `ev-t${a}`, first: 1, after: p1.pageInfo.endCursor });
      const p2 = second.data!.conflicts;
      expect(p2.pageInfo.hasNextPage).toBe(false);
      expect(p2.totalCount).toBe(2);
      expect(p2.edges.map((e) => e.node)).toEqual([
        {
          subject: { id: `ev-t${a}`, name: `Release ${a}` },
          property: 'people_released',
          claims: [
            { id: `cl-t${a}-a`, status: 'asserted', figure: { value: 500 } },
            { id: `cl-t${a}-b`, status: 'asserted', figure: { value: 520 } },
            { id: `cl-t${a}-c`, status: 'asserted', figure: { value: 500 } },
          ],
        },
      ]);
    });

    it('a retracted claim disagrees with nobody', async () => {
      const res = await conflicts({ subjectId: `ev-t${b}` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.conflicts.edges).toEqual([]);
      expect(res.data!.conflicts.totalCount).toBe(0);
      // The same claims without the retraction do conflict (fixture A).
      expect((await conflicts({ subjectId: `ev-t${a}` })).data!.conflicts.totalCount).toBe(2);
    });

    it('without a subject, pages through every conflict once, in a stable order', async () => {
      const seen: string[] = [];
      const subjects: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (let i = 0; i < 1000; i++) {
        const res: GraphQLResponse<CountedConflictsQuery> = await conflicts({ first: 2, after });
        expect(res.errors).toBeUndefined();
        expect(roundTrips(res)).toBe(1);
        const page = res.data!.conflicts;
        if (i === 0) total = page.totalCount!;
        expect(page.edges.length).toBeLessThanOrEqual(2);
        for (const e of page.edges) {
          seen.push(`${e.node.subject.id}|${e.node.property}`);
          subjects.push(e.node.subject.id);
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(subjects).toEqual([...subjects].sort());
      expect(seen.length).toBeGreaterThanOrEqual(total);
      expect(seen).toEqual(
        expect.arrayContaining([
          `${RELEASES}|people_released`,
          `ev-t${a}|people_detained`,
          `ev-t${a}|people_released`,
        ]),
      );
      expect(seen.filter((s) => s.startsWith(`ev-t${b}|`))).toEqual([]);
      expect(seen.filter((s) => s.startsWith(`${DECREE}|`))).toEqual([]);
    });

    it('refuses first over 100 before any database work', async () => {
      const res = await conflicts({ first: 101 });
      expectRefused(res, 'LIMIT_EXCEEDED', ['first'], { beforeDatabase: true });
    });

    const base64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    it.each([
      ['garbage', 'garbage!!'],
      ['an object', base64url({ a: 1 })],
      ['numbers', base64url([1, 2])],
    ])('refuses a cursor it did not hand out (%s) before any database work', async (_case, after) => {
      const res = await conflicts({ after });
      expectRefused(res, 'BAD_USER_INPUT', ['after'], { beforeDatabase: true });
    });

    it('says NOT_FOUND for a subject that does not exist', async () => {
      expectRefused(await conflicts({ subjectId: 'ev-no-such-event' }), 'NOT_FOUND');
    });
  });

  describe('statistics', () => {
    const statistics = (filter: Variables) => app.graphql(StatisticsDocument, { filter });
    const summary = (groups: StatisticsQuery['statistics']) =>
      groups.map((g) => ({
        measure: g.measure,
        subject: g.subject.id,
        subgroup: g.subgroup,
        disputed: g.disputed,
        values: g.figures.map((f) => f.figure.value),
      }));

    it('release counts for the decree: the releases under it and the defectors’ releases within those', async () => {
      const res = await statistics({ subjectIds: [DECREE], measures: ['people_released'] });
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      expect(summary(res.data!.statistics)).toEqual([
        {
          measure: 'people_released',
          subject: 'ev-amnesty-releases-2022',
          subgroup: null,
          disputed: true,
          values: [1160, 1168],
        },
        {
          measure: 'people_released',
          subject: 'ev-defector-releases-2022',
          subgroup: 'regime army defectors',
          disputed: false,
          values: [27],
        },
      ]);
      const [releases] = res.data!.statistics;
      expect(releases!.unit).toBe('people');
      for (const v of releases!.figures) {
        expect(v.sources.map((s) => s.id)).toEqual([SOURCE_ID]);
        expect(v.asOf).toEqual({ value: '2022-05' });
        expect(v.periodStart).toBeNull();
      }
    });

    it('is one round trip with figures, their sources and the subject', async () => {
      const res = await app.graphql(StatisticsSourcesDocument, {
        filter: { subjectIds: [DECREE], measures: ['people_released'] },
      });
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      expect(res.data!.statistics.map((g) => g.subject.name)).toEqual([
        'Releases of detainees in batches under the April 2022 amnesty',
        'Releases of regime army defectors under the amnesty',
      ]);
      expect(res.data!.statistics[0]!.figures.map((f) => f.figure.qualifier)).toEqual([
        'approximately',
        'approximately',
      ]);
    });

    it('keeps subgroups apart: F13 total and women are two undisputed groups; "" is the whole population', async () => {
      const all = await statistics({ subjectIds: ['ev-arrests-since-2011'], measures: ['people_arrested'] });
      expect(summary(all.data!.statistics)).toEqual([
        {
          measure: 'people_arrested',
          subject: 'ev-arrests-since-2011',
          subgroup: null,
          disputed: false,
          values: [969854],
        },
        {
          measure: 'people_arrested',
          subject: 'ev-arrests-since-2011',
          subgroup: 'women',
          disputed: false,
          values: [155002],
        },
      ]);
      expect(all.data!.statistics[0]!.figures[0]!.periodStart).toEqual({ value: '2011-03' });
      const whole = await statistics({ subjectIds: ['ev-arrests-since-2011'], subgroup: '' });
      expect(summary(whole.data!.statistics).map((g) => [g.measure, g.subgroup, g.values])).toEqual([
        ['people_arrested', null, [969854]],
        ['people_still_detained', null, [152713]],
      ]);
      const women = await statistics({ subjectIds: ['ev-arrests-since-2011'], subgroup: 'women' });
      expect(summary(women.data!.statistics).map((g) => [g.measure, g.values])).toEqual([
        ['people_arrested', [155002]],
        ['people_still_detained', [41312]],
      ]);
    });

    it('filters by source, and leaves out figures whose claims are all retracted', async () => {
      const resA = await statistics({ sourceIds: [`src-t${a}`] });
      expect(summary(resA.data!.statistics)).toEqual([
        { measure: 'people_detained', subject: `ev-t${a}`, subgroup: null, disputed: true, values: [10, 12] },
        {
          measure: 'people_released',
          subject: `ev-t${a}`,
          subgroup: null,
          disputed: true,
          values: [500, 520, 500],
        },
      ]);
      const resB = await statistics({ sourceIds: [`src-t${b}`] });
      expect(summary(resB.data!.statistics)).toEqual([
        { measure: 'people_released', subject: `ev-t${b}`, subgroup: null, disputed: false, values: [500] },
      ]);
      const sample = await statistics({ sourceIds: [SOURCE_ID], measures: ['people_released'] });
      expect(summary(sample.data!.statistics).map((g) => g.subject)).toEqual([
        'ev-amnesty-releases-2022',
        'ev-defector-releases-2022',
      ]);
    });

    it('a figure of a subject not under the decree is not counted for it', async () => {
      const res = await statistics({ subjectIds: [DECREE] });
      const subjects = new Set(res.data!.statistics.map((g) => g.subject.id));
      expect([...subjects].sort()).toEqual([
        DECREE,
        'ev-amnesty-releases-2022',
        'ev-defector-releases-2022',
        'ev-reporting-obligation-2022',
      ]);
      expect(res.data!.statistics.find((g) => g.subject.id === DECREE)!.measure).toBe(
        'people_expected_to_be_released',
      );
    });

    it('primes figure claims and publishers when they are asked for', async () => {
      const res = await app.graphql(StatisticsPrimedDocument, {
        filter: { subjectIds: [RELEASES], measures: ['people_released'] },
      });
      expect(res.errors).toBeUndefined();
      expect(roundTrips(res)).toBe(1);
      const figures = res.data!.statistics[0]!.figures;
      expect(
        figures.map((f) => [f.figure.claims.map((c) => c.id), f.figure.conflicts.map((c) => c.id)]),
      ).toEqual([
        [['cl-f2-released-1160'], ['cl-f4-released-1168']],
        [['cl-f4-released-1168'], ['cl-f2-released-1160']],
      ]);
      expect(figures[0]!.sources).toEqual([{ publisher: { id: 'ac-sohr' } }]);
    });

    it('refuses a filter listing more than 100 values before any database work', async () => {
      const res = await statistics({ subjectIds: Array.from({ length: 101 }, (_, i) => `ev-${i}`) });
      expectRefused(res, 'LIMIT_EXCEEDED', ['filter', 'subjectIds'], { beforeDatabase: true });
    });
  });
});
