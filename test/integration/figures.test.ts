import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { claimsWithSummary, countOf, newWorld, type Key, type World } from '../helpers/writes.js';

/**
 * Figures as issue #15 wants them, through the API against the real Neo4j: a share tied to its whole and
 * a figure to an event's period (shareOfClaimId, duringId, the figure's own sensitivity), a duration
 * without anchored dates (P4Y), subgroups that can be queried (sex, age group, category), figures found by
 * search (numbers as written, words), and events found by words of their name.
 */

type Json = Record<string, unknown>;

const RECORD = `mutation($input: RecordClaimInput!) {
  recordClaim(input: $input) {
    id
    figure { id sensitivity duration sex ageGroup category subgroup shareOf { id value } during { id } conflicts { id } }
  }
}`;

describe('figures: shares, periods, durations, subgroups, search', () => {
  let app: TestApp;
  let analyst: Key;
  let admin: Key;
  let viewer: Key;
  let w: World;

  beforeAll(async () => {
    app = await startTestApp();
    analyst = await keyHeaders(app.db, 'analyst');
    admin = await keyHeaders(app.db, 'admin');
    viewer = await keyHeaders(app.db, 'viewer');
    w = await newWorld(app, analyst);
  });
  afterAll(() => app.close());

  async function gql(query: string, variables: Json, key: Key | null) {
    return app.graphql(query, variables, key?.headers ?? {});
  }

  async function record(figure: Json, key: Key = analyst, more: Json = {}) {
    const summary = `Figure ${uniq()}`;
    const input = {
      subjectId: w.eventId,
      summary,
      sourceId: w.sourceId,
      excerpts: [{ quote: 'Nearly 1,168 detainees were released.' }],
      figure: { measure: 'people_released', unit: 'people', ...figure },
      ...more,
    };
    const res = await gql(RECORD, { input }, key);
    return { res, summary };
  }

  async function recordOk(figure: Json, key: Key = analyst, more: Json = {}) {
    const { res } = await record(figure, key, more);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return (res.data as { recordClaim: { id: string; figure: Json } }).recordClaim;
  }

  /** Refused with the code at the path, and nothing written. */
  async function refused(figure: Json, code: string, path: (string | number)[], key: Key = analyst) {
    const { res, summary } = await record(figure, key);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe(code);
    expect(res.errors?.[0]?.extensions?.inputPath).toEqual(path);
    expect(await countOf(app.db.executor, claimsWithSummary, { summary })).toBe(0);
  }

  it('ties a share to its whole and a figure to an event, with duration, subgroup parts and its own sensitivity', async () => {
    const whole = await recordOk({ value: 1168, qualifier: 'approximately', text: 'Nearly 1,168' });
    const part = await recordOk({
      value: 40,
      subgroup: 'women',
      sex: 'female',
      ageGroup: 'adult',
      category: 'army_defectors',
      duration: 'P4Y',
      shareOfClaimId: whole.id,
      duringId: w.eventId,
      sensitivity: 'restricted',
    });
    expect(part.figure).toMatchObject({
      sensitivity: 'restricted',
      duration: 'P4Y',
      sex: 'female',
      ageGroup: 'adult',
      category: 'army_defectors',
      subgroup: 'women',
      shareOf: { id: (whole.figure as { id: string }).id, value: 1168 },
      during: { id: w.eventId },
    });
    // The figure is restricted though its claim is public: a claim whose object the caller may not see is
    // hidden with it (as after setSensitivity on the figure), for a viewer exactly like a missing one.
    const asViewer = await gql(
      `{ node(id: "${part.id}") { id ... on Claim { figure { id } } } }`,
      {},
      viewer,
    );
    expect(asViewer.data).toEqual({ node: null });
  });

  it('refuses a whole that is missing, hidden, not a figure, retracted or in another unit, with nothing written', async () => {
    await refused({ value: 1, shareOfClaimId: 'cl-nope' }, 'NOT_FOUND', [
      'input',
      'figure',
      'shareOfClaimId',
    ]);
    const secret = await recordOk({ value: 9 }, admin, { sensitivity: 'confidential' });
    await refused({ value: 1, shareOfClaimId: secret.id }, 'NOT_FOUND', [
      'input',
      'figure',
      'shareOfClaimId',
    ]);
    const statement = await gql(
      `mutation($input: RecordClaimInput!) { recordClaim(input: $input) { id } }`,
      {
        input: {
          subjectId: w.eventId,
          summary: 'A statement',
          sourceId: w.sourceId,
          excerpts: [{ quote: 'Nearly 1,168 again.' }],
        },
      },
      analyst,
    );
    const statementId = (statement.data as { recordClaim: { id: string } }).recordClaim.id;
    await refused({ value: 1, shareOfClaimId: statementId }, 'BAD_USER_INPUT', [
      'input',
      'figure',
      'shareOfClaimId',
    ]);
    const retracted = await recordOk({ value: 3 });
    await gql(`mutation { retractClaim(id: "${retracted.id}", reason: "wrong count") { id } }`, {}, analyst);
    await refused({ value: 1, shareOfClaimId: retracted.id }, 'BAD_USER_INPUT', [
      'input',
      'figure',
      'shareOfClaimId',
    ]);
    const whole = await recordOk({ value: 100 });
    await refused({ value: 1, unit: 'days', shareOfClaimId: whole.id }, 'BAD_USER_INPUT', [
      'input',
      'figure',
      'shareOfClaimId',
    ]);
    // In percent of the whole: allowed.
    await recordOk({ value: 40, unit: 'percent', shareOfClaimId: whole.id });
  });

  it('refuses a during that is missing or not an event, a bad duration or category, a looser sensitivity', async () => {
    await refused({ value: 1, duringId: 'ev-nope' }, 'NOT_FOUND', ['input', 'figure', 'duringId']);
    await refused({ value: 1, duringId: w.actorId }, 'BAD_USER_INPUT', ['input', 'figure', 'duringId']);
    for (const duration of ['P', '4Y', 'PT', 'P1YT'])
      await refused({ value: 1, duration }, 'BAD_USER_INPUT', ['input', 'figure', 'duration']);
    await refused({ value: 1, category: 'Army defectors' }, 'BAD_USER_INPUT', [
      'input',
      'figure',
      'category',
    ]);
    const { res, summary } = await record({ value: 1, sensitivity: 'public' }, analyst, {
      sensitivity: 'restricted',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.inputPath).toEqual(['input', 'figure', 'sensitivity']);
    expect(await countOf(app.db.executor, claimsWithSummary, { summary })).toBe(0);
    // Confidential needs an admin key, for a figure as for a claim.
    const conf = await record({ value: 1, sensitivity: 'confidential' });
    expect(conf.res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('compares figures only with the same duration and subgroup parts', async () => {
    const measure = `people_hanged_${uniq().replace(/-/g, '')}`;
    const overFour = await recordOk({ measure, value: 120, duration: 'P4Y' });
    const overall = await recordOk({ measure, value: 300 });
    const overFourAgain = await recordOk({ measure, value: 150, duration: 'P4Y' });
    const women = await recordOk({ measure, value: 10, sex: 'female' });
    const ids = (f: Json) => (f.conflicts as { id: string }[]).map((c) => c.id);
    expect(ids(overFourAgain.figure)).toEqual([overFour.id]);
    expect(ids(overall.figure)).toEqual([]);
    expect(ids(women.figure)).toEqual([]);
  });

  it('filters statistics by sex, age group and category, and groups them apart', async () => {
    const measure = `people_held_${uniq().replace(/-/g, '')}`;
    await recordOk({ measure, value: 40, sex: 'female', category: 'army_defectors' });
    await recordOk({ measure, value: 60, sex: 'male', category: 'army_defectors' });
    await recordOk({ measure, value: 5, ageGroup: 'child' });
    const stats = async (filter: string) => {
      const res = await gql(
        `{ statistics(filter: { measures: ["${measure}"] ${filter} }) { sex ageGroup category figures { figure { value } } } }`,
        {},
        viewer,
      );
      expect(res.errors).toBeUndefined();
      return (res.data as { statistics: Json[] }).statistics;
    };
    expect(await stats('sexes: [female]')).toEqual([
      { sex: 'female', ageGroup: null, category: 'army_defectors', figures: [{ figure: { value: 40 } }] },
    ]);
    expect((await stats('categories: ["army_defectors"]')).map((g) => g.sex)).toEqual(['female', 'male']);
    expect(await stats('ageGroups: [child]')).toHaveLength(1);
    expect(await stats('')).toHaveLength(3);
  });

  it('finds figures by their number as written or as digits, and by their words, never a hidden one', async () => {
    const category = `cat_${uniq().replace(/-/g, '')}`;
    const token = category.slice(4);
    const shown = await recordOk({ value: 105000, qualifier: 'more_than', text: 'Nearly 1,168', category });
    const hidden = await recordOk({ value: 105000, category }, analyst, { sensitivity: 'restricted' });
    const search = async (query: string, key: Key | null) => {
      const res = await gql(
        `query($q: String!) { search(query: $q, kinds: [FIGURE], first: 100) { totalCount edges { node { kind matched node { id } } } } }`,
        { q: query },
        key,
      );
      expect(res.errors).toBeUndefined();
      const edges = (res.data as { search: { edges: { node: { kind: string; node: { id: string } } }[] } })
        .search.edges;
      return edges.map((e) => e.node.node.id);
    };
    const shownId = shown.figure.id as string;
    const hiddenId = hidden.figure.id as string;
    expect(await search(token, null)).toEqual([shownId]);
    expect(await search(token, viewer)).toEqual([shownId]);
    expect((await search(token, analyst)).sort()).toEqual([hiddenId, shownId].sort());
    for (const q of [`105,000 ${token}`, `105000 ${token}`]) {
      const found = await search(q, viewer);
      expect(found).toContain(shownId);
      expect(found).not.toContain(hiddenId);
    }
    expect(await search('1,168', viewer)).toContain(shownId);
    expect(await search('1168', viewer)).toContain(shownId);
  });

  it('lists events whose name or an alias contains words, case-insensitive', async () => {
    const u = uniq();
    const create = async (name: string, aliases: Json[] = []) =>
      (
        (
          await gql(
            `mutation($input: CreateEntityInput!) { createEntity(input: $input) { id } }`,
            { input: { kind: 'EVENT', type: 'amnesty_decree', name, aliases } },
            analyst,
          )
        ).data as { createEntity: { id: string } }
      ).createEntity.id;
    const decree = await create(`General amnesty ${u} decree`);
    const batch = await create(`Release batch ${u}`, [{ value: `Amnesty ${u} releases`, lang: 'en' }]);
    await create(`Other ${u}`);
    const names = async (words: string) => {
      const res = await gql(
        `query($w: String) { events(filter: { nameContains: $w }, first: 100) { totalCount edges { node { id } } } }`,
        { w: words },
        viewer,
      );
      expect(res.errors).toBeUndefined();
      const c = (res.data as { events: { totalCount: number; edges: { node: { id: string } }[] } }).events;
      return c.edges.map((e) => e.node.id).sort();
    };
    expect(await names(`AMNESTY ${u}`)).toEqual([decree, batch].sort());
    expect(await names(`${u} decree`)).toEqual([decree]);
    const timeline = await gql(
      `{ timeline(filter: { nameContains: "amnesty ${u}" }) { entries { event { id } } } }`,
      {},
      viewer,
    );
    expect(timeline.errors).toBeUndefined();
  });
});
