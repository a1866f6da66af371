import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { migration as asOfOverlap } from '../../src/graph/migrations/0009-figure-as-of-overlap.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { ConflictOriginsDocument, type ConflictOriginsQuery } from '../generated/graphql.js';
import { startTestApp, type TestApp, type Variables } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';

/**
 * Conflicts between figures of different as-of dates (issue #14, item 4): an undated figure is compared as
 * of its source's publication date, as-of dates by overlap; each conflict says which claims were so dated
 * and whether its sides come from one source or several; a superseded claim disagrees with nobody. Our own
 * sources and claims, with unique ids.
 */

const u = uniq();
const EVENT = `ev-t${u}`;
const NGO_TEXT = `The network ${u} estimates that about 132,000 people were still detained as of May 2022.`;
const SOHR_TEXT =
  `SOHR ${u}: 152,713 people are still held. Nearly 1,160 were released; later it said nearly 1,168 were released. ` +
  `A monitor counted 500 freed; another tally said 520 freed.`;
const JULY_TEXT = `In July ${u}, about 100,000 people remained detained.`;

const figure = (key: string, measure: string, value: number, source: string, quote: string, extra = {}) => ({
  id: `cl-t${u}-${key}`,
  subject: EVENT,
  summary: `${value} ${measure}`,
  figure: { measure, value, qualifier: 'approximately', unit: 'people', ...extra },
  source,
  quotes: [quote],
});

const setSupersedes = statement(
  'test.supersedes',
  `MATCH (newer:Claim {id: $newer}), (older:Claim {id: $older}) MERGE (newer)-[:SUPERSEDES]->(older)`,
);

/** The stored rule values of claims, and the same claims put back as the old rule stored them. */
const ruleValues = statement(
  'test.claimRuleValues',
  `MATCH (c:Claim) WHERE c.id IN $ids
   RETURN c.id AS id, c.conflictKey AS conflictKey, c.asOfEarliest AS asOfEarliest, c.asOfLatest AS asOfLatest,
          c.asOfFromSource AS asOfFromSource ORDER BY id`,
);
const toOldRule = statement(
  'test.claimsToOldRule',
  `MATCH (c:Claim) WHERE c.id IN $ids
   SET c.conflictKey = c.conflictKey + '|' + CASE WHEN c.asOfEarliest IS NULL AND c.asOfLatest IS NULL THEN ''
         ELSE coalesce(c.asOfEarliest, '') + '/' + coalesce(c.asOfLatest, '') END
   REMOVE c.asOfEarliest, c.asOfLatest, c.asOfFromSource`,
);

describe('conflicts across as-of dates and sources', () => {
  let app: TestApp;
  const conflicts = async (vars: Variables) => {
    const res = await app.graphql(ConflictOriginsDocument, vars);
    expect(res.errors).toBeUndefined();
    return res.data!.conflicts as ConflictOriginsQuery['conflicts'];
  };

  beforeAll(async () => {
    app = await startTestApp();
    const bundle = fixtureBundle(u, SOHR_TEXT, [
      figure('ngo', 'people_detained', 132_000, `src-t${u}-ngo`, 'about 132,000 people were still detained', {
        asOf: { precision: 'month', value: '2022-05' },
      }),
      figure('sohr', 'people_detained', 152_713, `src-t${u}`, '152,713 people are still held'),
      figure('july', 'people_detained', 100_000, `src-t${u}-july`, 'about 100,000 people remained detained'),
      figure('1160', 'people_released', 1160, `src-t${u}`, 'Nearly 1,160 were released'),
      figure('1168', 'people_released', 1168, `src-t${u}`, 'nearly 1,168 were released'),
      figure('500', 'people_freed', 500, `src-t${u}`, 'A monitor counted 500 freed'),
      figure('520', 'people_freed', 520, `src-t${u}`, 'another tally said 520 freed'),
    ]);
    const [sohr] = bundle.sources as Record<string, unknown>[];
    sohr!.published = { precision: 'day', value: '2022-05-15' };
    const source = (id: string, text: string, published: Record<string, string>) => ({
      id,
      text,
      sha256: sha256(text),
      title: `Report ${id}`,
      language: 'en',
      published,
    });
    (bundle.sources as Record<string, unknown>[]).push(
      source(`src-t${u}-ngo`, NGO_TEXT, { precision: 'month', value: '2022-06' }),
      source(`src-t${u}-july`, JULY_TEXT, { precision: 'month', value: '2022-07' }),
    );
    await loadBundle(app.db.executor, writeBundle(bundle));
  });
  afterAll(() => app.close());

  it('an NGO\'s "132,000 as of May 2022" and SOHR\'s undated 152,713 in an article of 15 May 2022 conflict', async () => {
    const all = await conflicts({ subjectId: EVENT });
    const detained = all.edges.map((e) => e.node).find((n) => n.property === 'people_detained');
    expect(detained).toBeDefined();
    // SOHR's figure was compared as of its article's publication (so was July's, which agrees with neither).
    expect(detained!.implicitAsOf).toEqual([`cl-t${u}-july`, `cl-t${u}-sohr`]);
    expect(detained).toMatchObject({ internal: false, acrossSources: true });
    const conflictsOf = Object.fromEntries(detained!.claims.map((c) => [c.id, c.conflicts.map((o) => o.id)]));
    expect(conflictsOf).toEqual({
      [`cl-t${u}-july`]: [],
      [`cl-t${u}-ngo`]: [`cl-t${u}-sohr`],
      [`cl-t${u}-sohr`]: [`cl-t${u}-ngo`],
    });
  });

  it('says whether the sides come from one source or several, and filters by it', async () => {
    const all = await conflicts({ subjectId: EVENT });
    expect(all.totalCount).toBe(3);
    const byProperty = Object.fromEntries(
      all.edges.map((e) => [e.node.property, [e.node.internal, e.node.acrossSources]]),
    );
    expect(byProperty).toEqual({
      people_detained: [false, true],
      people_freed: [true, false],
      people_released: [true, false],
    });
    const internal = await conflicts({ subjectId: EVENT, origin: 'INTERNAL' });
    expect(internal.totalCount).toBe(2);
    expect(internal.edges.map((e) => e.node.property)).toEqual(['people_freed', 'people_released']);
    const across = await conflicts({ subjectId: EVENT, origin: 'ACROSS_SOURCES' });
    expect(across.totalCount).toBe(1);
    expect(across.edges.map((e) => e.node.property)).toEqual(['people_detained']);
    // The whole-graph listing applies the same filter (another statement: the index walk).
    const everywhere = await app.graphql(
      `{ conflicts(origin: ACROSS_SOURCES, first: 100) { edges { node { subject { id } property } } } }`,
    );
    expect(everywhere.errors).toBeUndefined();
    const mine = (
      everywhere.data as { conflicts: { edges: { node: { subject: { id: string }; property: string } }[] } }
    ).conflicts.edges
      .filter((e) => e.node.subject.id === EVENT)
      .map((e) => e.node.property);
    expect(mine).toEqual(['people_detained']);
  });

  it('a claim superseded by a newer one the caller may see disagrees with nobody', async () => {
    const before = await conflicts({ subjectId: EVENT, origin: 'INTERNAL' });
    expect(before.edges.map((e) => e.node.property)).toContain('people_freed');
    await app.db.executor.write(setSupersedes, { newer: `cl-t${u}-520`, older: `cl-t${u}-500` });
    const after = await conflicts({ subjectId: EVENT });
    expect(after.edges.map((e) => e.node.property)).not.toContain('people_freed');
    expect(after.totalCount).toBe(2);
    const claim = await app.graphql(`{ node(id: "cl-t${u}-520") { ... on Claim { conflicts { id } } } }`);
    expect(claim.data).toEqual({ node: { conflicts: [] } });
  });

  it('migration 0009 gives claims stored under the old rule what the writers store now', async () => {
    const ids = ['ngo', 'sohr', 'july', '1160'].map((k) => `cl-t${u}-${k}`);
    const written = await app.db.executor.read(ruleValues, { ids });
    expect(written.find((r) => r.id === `cl-t${u}-ngo`)).toMatchObject({
      asOfEarliest: '2022-05-01',
      asOfLatest: '2022-05-31',
      asOfFromSource: false,
    });
    await app.db.executor.write(toOldRule, { ids });
    const old = await app.db.executor.read(ruleValues, { ids });
    expect(old.map((r) => r.conflictKey)).not.toEqual(written.map((r) => r.conflictKey));
    for (const [i, cypher] of asOfOverlap.statements.entries()) {
      await app.db.executor.schema(statement(`test.migration0009.${i}`, cypher));
    }
    expect(await app.db.executor.read(ruleValues, { ids })).toEqual(written);
  });
});
