import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { RELATION_TYPES } from '../../src/model/graph-model.js';
import { dataDir } from '../../src/paths.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The sample graph (loaded by the test setup exactly as `npm start` loads it) holds every fact F1–F17 of
 * the SOHR article (../shared/DOMAIN.md), each with the source's exact words. Asked through GraphQL, as an
 * investigator would.
 */

const SOURCE_TEXT = readFileSync(path.join(dataDir, 'sohr-2022-amnesty-release-batches.txt'), 'utf8');
const SOURCE_ID = 'src-sohr-amnesty-2022';

const CLAIM = `
  fragment C on Claim {
    id kind fact summary property role status confidence value recordedBy
    subject { id name }
    object { id name }
    date { value precision qualifier earliest latest text }
    figure { id measure value min max qualifier unit subgroup text
      periodStart { value precision } periodEnd { value precision }
      shareOf { id value measure } during { id name } }
    excerpts { exact start end prefix suffix source { id } }
    attribution { hop agent { id name } }
    conflicts { id figure { value } }
  }`;

interface Claim {
  id: string;
  kind: string;
  fact: string;
  summary: string;
  property: string;
  role: string | null;
  status: string;
  value: string | null;
  subject: { id: string; name: string };
  object: { id: string; name: string } | null;
  date: {
    value: string | null;
    precision: string;
    qualifier: string;
    earliest: string | null;
    latest: string | null;
  } | null;
  figure: {
    id: string;
    measure: string;
    value: number | null;
    min: number | null;
    max: number | null;
    qualifier: string;
    unit: string;
    subgroup: string | null;
    text: string | null;
    periodStart: { value: string; precision: string } | null;
    periodEnd: { value: string; precision: string } | null;
    shareOf: { id: string; value: number; measure: string } | null;
    during: { id: string; name: string } | null;
  } | null;
  excerpts: {
    exact: string;
    start: number;
    end: number;
    prefix: string;
    suffix: string;
    source: { id: string };
  }[];
  attribution: { hop: number; agent: { id: string; name: string } }[];
  conflicts: { id: string; figure: { value: number } | null }[];
}

describe('the sample graph built from the SOHR article', () => {
  let app: TestApp;
  const claims = new Map<string, Claim>();

  beforeAll(async () => {
    app = await startTestApp();
    // Every claim of the sample, through the entities they are about (one request).
    const res = await app.graphql<Record<string, { claims: Claim[] } | null>>(
      `${CLAIM}
       { ${ENTITY_IDS.map((id, i) => `e${i}: node(id: "${id}") { id ... on Entity { claims { ...C } } }`).join('\n')} }`,
    );
    expect(res.errors).toBeUndefined();
    for (const entity of Object.values(res.data!)) {
      expect(entity).not.toBeNull();
      for (const c of entity!.claims) claims.set(c.id, c);
    }
  });
  afterAll(() => app.close());

  const claim = (id: string): Claim => {
    const c = claims.get(id);
    if (!c) throw new Error(`claim ${id} is not in the sample graph`);
    return c;
  };
  const quoted = (id: string) =>
    claim(id)
      .excerpts.map((e) => e.exact)
      .join(' | ');

  it('has claims for every fact F1–F17, each backed by an excerpt of the article', () => {
    const facts = new Set([...claims.values()].map((c) => c.fact));
    for (let i = 1; i <= 17; i++) expect(facts, `F${i}`).toContain(`F${i}`);
    for (const c of claims.values()) {
      expect(c.excerpts.length, c.id).toBeGreaterThan(0);
      expect(c.status).toBe('asserted');
    }
  });

  it('stores every excerpt verbatim at its code-point offsets, with prefix and suffix', () => {
    const points = Array.from(SOURCE_TEXT);
    for (const c of claims.values()) {
      for (const e of c.excerpts) {
        expect(e.source.id).toBe(SOURCE_ID);
        expect(points.slice(e.start, e.end).join(''), c.id).toBe(e.exact);
        expect(points.slice(Math.max(0, e.start - e.prefix.length), e.start).join('')).toBe(e.prefix);
        expect(points.slice(e.end, e.end + e.suffix.length).join('')).toBe(e.suffix);
      }
    }
  });

  it('F1: the article is a Source with its text, hash, language, publisher and an honest fuzzy date', async () => {
    const res = await app.graphql<{ node: Record<string, unknown> }>(
      `{ node(id: "${SOURCE_ID}") { ... on Source { title text sha256 length language url reliability notes
          published { value precision qualifier earliest latest text } publisher { id name aliases { value lang } } } } }`,
    );
    const s = res.data!.node;
    expect(s.title).toBe('Al-Assad’s pardon | Releasing detainees shrinks');
    expect(s.text).toBe(SOURCE_TEXT);
    expect(s.sha256).toBe('9ff2442d6076d028f140b124f55c38c742e7efddf1b9750c393cb5bd0c563072');
    expect(s.length).toBe(Array.from(SOURCE_TEXT).length);
    expect(s.language).toBe('en');
    expect(s.url).toBeNull();
    // No publication day is invented: month precision, "not before May 2022", no upper bound.
    expect(s.published).toMatchObject({
      value: '2022-05',
      precision: 'month',
      qualifier: 'after',
      earliest: '2022-05-01',
      latest: null,
    });
    expect(s.publisher).toMatchObject({ id: 'ac-sohr', name: 'Syrian Observatory for Human Rights' });
    expect((s.publisher as { aliases: { value: string }[] }).aliases.map((a) => a.value)).toContain('SOHR');
    expect(claim('cl-f1-sohr-published-article').subject.id).toBe('ac-sohr');
  });

  it('F2 and F4: both release figures are kept, and their disagreement is a conflict', () => {
    const f2 = claim('cl-f2-released-1160');
    const f4 = claim('cl-f4-released-1168');
    expect(f2.figure).toMatchObject({
      measure: 'people_released',
      value: 1160,
      qualifier: 'approximately',
      unit: 'people',
    });
    expect(f4.figure).toMatchObject({
      measure: 'people_released',
      value: 1168,
      qualifier: 'approximately',
      unit: 'people',
    });
    expect(f2.subject.id).toBe(f4.subject.id);
    expect(quoted('cl-f2-released-1160')).toContain('Nearly 1,160 prisoners');
    expect(quoted('cl-f4-released-1168')).toContain('nearly 1,168 detainees and prisoners');
    expect(f2.conflicts).toEqual([{ id: 'cl-f4-released-1168', figure: { value: 1168 } }]);
    expect(f4.conflicts).toEqual([{ id: 'cl-f2-released-1160', figure: { value: 1160 } }]);
  });

  it('F2/F4 conflict shows on the figure itself too', async () => {
    const res = await app.graphql<{ node: { figures: { value: number; conflicts: { id: string }[] }[] } }>(
      `{ node(id: "ev-amnesty-releases-2022") { ... on Event { figures { value conflicts { id } } } } }`,
    );
    const byValue = new Map(res.data!.node.figures.map((f) => [f.value, f.conflicts.map((c) => c.id)]));
    expect(byValue.get(1160)).toEqual(['cl-f4-released-1168']);
    expect(byValue.get(1168)).toEqual(['cl-f2-released-1160']);
  });

  it('F3: the promise of thousands, and "late April" as a month-precision date that agrees with 30 April', () => {
    expect(quoted('cl-f3-promise-thousands')).toContain(
      'promises made by regime to release thousands of detainees',
    );
    const late = claim('cl-f3-decree-date-late-april');
    expect(late.date).toMatchObject({
      value: '2022-04',
      precision: 'month',
      qualifier: 'approximate',
      earliest: '2022-04-01',
      latest: '2022-04-30',
    });
    // Compatible dates are not a conflict.
    expect(late.conflicts).toEqual([]);
  });

  it('F5: the amnesty covers criminal-case and terrorism-case detainees; branches detained the latter', () => {
    expect(claim('cl-f5-criminal-cases-covered')).toMatchObject({
      role: 'beneficiary',
      object: { id: 'ev-amnesty-decree-2022' },
    });
    expect(claim('cl-f5-terrorism-cases-covered')).toMatchObject({
      role: 'beneficiary',
      object: { id: 'ev-amnesty-decree-2022' },
    });
    expect(claim('cl-f5-security-branches-detained')).toMatchObject({
      role: 'perpetrator',
      subject: { id: 'ac-regime-security-services' },
    });
    expect(quoted('cl-f5-terrorism-cases-covered')).toContain(
      'detained by regime security branches in terrorism cases',
    );
  });

  it('F6: reduced releases observed by SOHR activists, notably in Rif Dimashq, Daraa and Aleppo', () => {
    expect(claim('cl-f6-activists-witnessed-releases')).toMatchObject({
      role: 'witness',
      subject: { id: 'ac-sohr-activists' },
    });
    expect(claim('cl-f6-releases-reduced').kind).toBe('statement');
    expect(quoted('cl-f6-releases-reduced')).toContain('reduce the number of released detainees');
    for (const p of ['pl-rif-dimashq', 'pl-daraa', 'pl-aleppo']) {
      expect(
        [...claims.values()].some(
          (c) => c.fact === 'F6' && c.property === 'OCCURRED_IN' && c.object?.id === p,
        ),
        p,
      ).toBe(true);
    }
  });

  it('F7: the families still hope, kept as a statement without a number', () => {
    const c = claim('cl-f7-families-hope');
    expect(c.kind).toBe('statement');
    expect(c.figure).toBeNull();
    expect(quoted('cl-f7-families-hope')).toContain('still hope that they might meet their loved ones');
  });

  it('F8: 27 released army defectors from Rif Dimashq, Daraa, Al-Quneitra and Homs', () => {
    expect(claim('cl-f8-defectors-released-27').figure).toMatchObject({
      value: 27,
      qualifier: 'exact',
      unit: 'people',
    });
    const places = [...claims.values()]
      .filter((c) => c.subject.id === 'ev-defector-releases-2022' && c.property === 'OCCURRED_IN')
      .map((c) => c.object!.id)
      .sort();
    expect(places).toEqual(['pl-daraa', 'pl-homs', 'pl-quneitra', 'pl-rif-dimashq']);
  });

  it('F9: a reporting obligation imposed by security services on released public employees, within 15 days', () => {
    expect(claim('cl-f9-security-services-imposed-obligation')).toMatchObject({
      role: 'perpetrator',
      subject: { id: 'ac-regime-security-services' },
      object: { id: 'ev-reporting-obligation-2022' },
    });
    expect(claim('cl-f9-former-employees-subject')).toMatchObject({
      role: 'subject',
      object: { id: 'ev-reporting-obligation-2022' },
    });
    expect(claim('cl-f9-deadline-15-days').figure).toMatchObject({
      value: 15,
      qualifier: 'at_most',
      unit: 'days',
    });
    expect(quoted('cl-f9-settle-security-status')).toContain('settle their security status');
  });

  it('F10: the decree issued by the president on 30 April 2022, for terror-related crimes except civilian deaths', () => {
    expect(claim('cl-f10-president-issued-decree')).toMatchObject({
      role: 'issuer',
      subject: { id: 'ac-syrian-president' },
    });
    expect(claim('cl-f10-decree-date').date).toMatchObject({
      value: '2022-04-30',
      precision: 'day',
      qualifier: 'exact',
    });
    expect(claim('cl-f10-decree-scope').value).toContain('terror-related crimes');
    expect(quoted('cl-f10-decree-scope')).toContain(
      'except for crimes which led to the death of any civilians',
    );
  });

  it('F11: releases very small while tens of thousands are expected (a range, not an invented number)', () => {
    expect(claim('cl-f11-releases-very-small').kind).toBe('statement');
    expect(claim('cl-f11-expected-tens-of-thousands').figure).toMatchObject({
      value: null,
      min: 10000,
      max: 99999,
      text: 'tens of thousands',
    });
  });

  it('F12: no official statistics or lists', () => {
    expect(quoted('cl-f12-no-official-statistics')).toContain('has not issued any official statistics');
  });

  it('F13 and F14: arrest and detention statistics with the women subgroup', () => {
    const fig = (id: string) => claim(id).figure!;
    expect(fig('cl-f13-arrested-969854')).toMatchObject({
      measure: 'people_arrested',
      value: 969854,
      subgroup: null,
    });
    expect(fig('cl-f13-arrested-women-155002')).toMatchObject({
      measure: 'people_arrested',
      value: 155002,
      subgroup: 'women',
    });
    expect(fig('cl-f14-still-detained-152713')).toMatchObject({
      measure: 'people_still_detained',
      value: 152713,
      subgroup: null,
    });
    expect(fig('cl-f14-still-detained-women-41312')).toMatchObject({ value: 41312, subgroup: 'women' });
    expect(fig('cl-f13-arrested-969854').periodStart).toEqual({ value: '2011-03', precision: 'month' });
    // Subgroups are not the same measure: no false conflict between 969,854 and 155,002.
    expect(claim('cl-f13-arrested-969854').conflicts).toEqual([]);
  });

  it('F15: more than 105,000 deaths, attributed through SOHR to unnamed reliable sources', () => {
    const c = claim('cl-f15-deaths-105000');
    expect(c.figure).toMatchObject({ measure: 'deaths_in_custody', value: 105000, qualifier: 'more_than' });
    expect(c.attribution).toEqual([
      { hop: 1, agent: { id: 'ac-sohr', name: 'Syrian Observatory for Human Rights' } },
      { hop: 2, agent: { id: 'ac-reliable-sources', name: expect.any(String) } },
    ]);
    expect(quoted('cl-f15-deaths-105000')).toContain('Reliable sources have informed the Syrian Observatory');
  });

  it('F16: over 83% of those deaths during the Iranian supervision, May 2013 – October 2015', async () => {
    const share = claim('cl-f16-share-of-deaths').figure!;
    expect(share).toMatchObject({ value: 83, qualifier: 'more_than', unit: 'percent' });
    expect(share.shareOf).toMatchObject({ id: claim('cl-f15-deaths-105000').figure!.id, value: 105000 });
    expect(share.during?.id).toBe('ev-iranian-supervision-of-prisons');
    expect(share.periodStart).toEqual({ value: '2013-05', precision: 'month' });
    expect(share.periodEnd).toEqual({ value: '2015-10', precision: 'month' });
    expect(claim('cl-f16-iranians-supervised')).toMatchObject({
      role: 'supervisor',
      subject: { id: 'ac-iranian-prison-supervisors' },
      object: { id: 'ev-iranian-supervision-of-prisons' },
    });
    const res = await app.graphql<{ node: { date: unknown; endDate: unknown } }>(
      `{ node(id: "ev-iranian-supervision-of-prisons") { ... on Event {
          date { value precision earliest latest } endDate { value precision earliest latest } } } }`,
    );
    expect(res.data!.node.date).toEqual({
      value: '2013-05',
      precision: 'month',
      earliest: '2013-05-01',
      latest: '2013-05-31',
    });
    expect(res.data!.node.endDate).toEqual({
      value: '2015-10',
      precision: 'month',
      earliest: '2015-10-01',
      latest: '2015-10-31',
    });
  });

  it('F17: the provinces with their English and Arabic names, inside Syria', async () => {
    const res = await app.graphql<{
      node: {
        name: string;
        aliases: { value: string; lang: string }[];
        identifiers: unknown[];
        relations: { type: string; to: { id: string }; claims: { id: string }[] }[];
      };
    }>(
      `{ node(id: "pl-rif-dimashq") { ... on Place { name aliases { value lang } identifiers { scheme value }
          relations(types: [PART_OF]) { type to { id } claims { id } } } } }`,
    );
    const p = res.data!.node;
    expect(p.name).toBe('Rif Dimashq');
    expect(p.aliases).toEqual(
      expect.arrayContaining([
        { value: 'Rural Damascus', lang: 'en' },
        { value: 'ريف دمشق', lang: 'ar' },
      ]),
    );
    expect(p.identifiers).toContainEqual({ scheme: 'iso3166', value: 'SY-RD' });
    expect(p.relations).toEqual([
      { type: 'PART_OF', to: { id: 'pl-syria' }, claims: [{ id: 'cl-f17-rif-dimashq-in-syria' }] },
    ]);
  });

  it('backs every relationship and every figure with at least one claim', async () => {
    const db = app.db.executor;
    const rows = await db.read(
      statement(
        'test.unbacked',
        `CALL () {
           MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types AND coalesce(size(r.claimIds), 0) = 0
             // A relationship an amended claim left (amendClaim) cites none now, and names it among its former claims.
             AND coalesce(size(r.formerClaimIds), 0) = 0
           RETURN count(r) AS n
           UNION ALL
           MATCH (f:Figure) WHERE NOT EXISTS { (:Claim)-[:OBJECT]->(f) } RETURN count(f) AS n
         }
         RETURN sum(n) AS unbacked`,
      ),
      // Entity relations only: SAME_AS merge judgements are not claims about the world.
      { types: RELATION_TYPES },
    );
    expect(rows[0]!.unbacked).toBe(0);
  });

  it('finds Rif Dimashq by its English variant and by its Arabic name in the full-text index', async () => {
    const search = statement(
      'test.searchNames',
      // Ranked among the sample's records: other test files (the fuzzer) create entities with these names.
      `CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score
       WITH node, score WHERE node.id IN $sample RETURN node.id AS id ORDER BY score DESC LIMIT 3`,
    );
    for (const q of ['Rural Damascus', 'ريف دمشق', 'Damascus Countryside']) {
      const rows = await app.db.executor.read(search, { q, sample: ENTITY_IDS });
      expect(rows[0]?.id, q).toBe('pl-rif-dimashq');
    }
    const daraa = await app.db.executor.read(search, { q: 'درعا', sample: ENTITY_IDS });
    expect(daraa[0]?.id).toBe('pl-daraa');
  });
});

const ENTITY_IDS = [
  'ac-sohr',
  'ac-sohr-activists',
  'ac-syrian-regime',
  'ac-syrian-president',
  'ac-regime-security-services',
  'ac-iranian-prison-supervisors',
  'ac-reliable-sources',
  'ac-detainees-families',
  'ac-criminal-case-detainees',
  'ac-terrorism-case-detainees',
  'ac-released-former-public-employees',
  'ac-released-army-defectors',
  'pl-syria',
  'pl-rif-dimashq',
  'pl-daraa',
  'pl-aleppo',
  'pl-quneitra',
  'pl-homs',
  'pl-regime-prisons',
  'ev-amnesty-decree-2022',
  'ev-amnesty-releases-2022',
  'ev-defector-releases-2022',
  'ev-reporting-obligation-2022',
  'ev-arrests-since-2011',
  'ev-deaths-in-regime-prisons',
  'ev-iranian-supervision-of-prisons',
  'ev-criminal-case-arrests',
  'ev-terrorism-case-detentions',
];
