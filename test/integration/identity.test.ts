import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { NAME_KEY } from '../../src/graph/queries/identity.js';
import { nameKey, NAME_RULES } from '../../src/model/names.js';
import { sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { expectRefused } from '../helpers/refusals.js';

/**
 * Identity: lookup by external identifier, match candidates across spellings and scripts, and same-as
 * judgements, against the real Neo4j and the sample graph. Fixture places are restricted (anonymous
 * searches in other test files do not see them) and the ones named like sample places carry a long
 * alias, so that they rank below the sample's own places in raw full-text queries other tests assert.
 */

type Headers = Record<string, string>;

interface Candidate {
  entity: { id: string; name: string };
  score: number;
  reasons: string[];
}
interface Judgement {
  id: string;
  entityId: string;
  candidateId: string;
  entity: { id: string } | null;
  candidate: { id: string } | null;
  judgement: string;
  by: string;
  at: string;
  note: string | null;
  mergeId: string | null;
  nextStep: string | null;
}

const CANDIDATES = `query($id: ID!, $first: Int) {
  matchCandidates(id: $id, first: $first) { entity { id name } score reasons }
}`;
const JUDGE = `mutation($id: ID!, $candidateId: ID!, $judgement: MatchJudgement!, $note: String, $key: String) {
  judgeMatch(id: $id, candidateId: $candidateId, judgement: $judgement, note: $note, idempotencyKey: $key) {
    id entityId candidateId entity { id } candidate { id } judgement by at note mergeId nextStep
  }
}`;
const JUDGEMENTS = `query($id: ID!) {
  sameAsJudgements(id: $id) { id entityId candidateId entity { id } candidate { id } judgement by note mergeId }
}`;
const BY_IDENTIFIER = `query($scheme: String!, $value: String!) {
  entityByIdentifier(scheme: $scheme, value: $value) { id name ... on Place { type } }
}`;

/** Twenty words no other record uses: lengthens a fixture's indexed names (see the comment above). */
const padding = (u: string) => ({
  value: Array.from({ length: 20 }, (_, i) => `pad${u}w${i}`).join(' '),
  lang: 'en',
});

/** A number of this run (its digits, in Arabic-Indic form too, survive normalisation). */
const runNumber = (u: string) => String(parseInt(u.slice(0, 6), 16));
const arabicDigits = (n: string) => n.replace(/[0-9]/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);

function identityBundle(u: string) {
  const n = runNumber(u);
  const text = `Releases ${u}: detainees were released in the town in May 2022, and again on 12 May.`;
  const place = (suffix: string, name: string, extra: Record<string, unknown> = {}) => ({
    id: `pl-id${u}-${suffix}`,
    type: 'governorate',
    name,
    sensitivity: 'restricted',
    ...extra,
  });
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'identity test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [{ id: `src-id${u}`, text, sha256: sha256(text), title: `Identity test ${u}`, language: 'en' }],
    places: [
      place('dara', "Dar'a"),
      place('rural', 'Rural Damascus Governorate', { aliases: [padding(u)] }),
      place('rif-ar', 'ريف دمشق', { lang: 'ar', aliases: [padding(u)] }),
      // A confidential duplicate: analysts must not be offered it.
      place('secret', "Dar'a", { sensitivity: 'confidential' }),
      // A pair only this run has (keys "tl <u>"), for judgements.
      place('tall', `Tall ${u}`),
      place('tal', `Tal-${u}`),
      { id: `pl-id${u}-town`, type: 'city', name: `Town ${u}` },
      // One name in two scripts, sharing no indexed word.
      place('kafr', `Kafr Batna ${n}`, { type: 'city' }),
      place('kafr-ar', `كفر بطنا ${arabicDigits(n)}`, { type: 'city', lang: 'ar' }),
    ],
    events: [
      {
        id: `ev-id${u}-a`,
        type: 'release_batch',
        name: `Release of detainees ${u}`,
        date: { precision: 'month', value: '2022-05' },
      },
      {
        id: `ev-id${u}-b`,
        type: 'release_batch',
        name: `Releases of the detainees ${u}`,
        date: { precision: 'day', value: '2022-05-12' },
      },
      {
        id: `ev-id${u}-c`,
        type: 'release_batch',
        name: `Release of detainees ${u}`,
        date: { precision: 'year', value: '2019' },
      },
    ],
    claims: ['a', 'b'].map((e) => ({
      id: `cl-id${u}-${e}`,
      subject: `ev-id${u}-${e}`,
      summary: 'The releases took place in the town.',
      source: `src-id${u}`,
      quotes: [e === 'a' ? 'released in the town in May 2022' : 'again on 12 May'],
      relation: { type: 'OCCURRED_IN', object: `pl-id${u}-town` },
    })),
  };
}

describe('identity and matching', () => {
  let app: TestApp;
  let u: string;
  let n: string;
  let analyst: Headers;
  let viewer: Headers;
  let admin: Headers;
  const pl = (suffix: string) => `pl-id${u}-${suffix}`;

  beforeAll(async () => {
    app = await startTestApp();
    u = uniq();
    n = runNumber(u);
    await loadBundle(app.db.executor, writeBundle(identityBundle(u)));
    analyst = (await keyHeaders(app.db, 'analyst')).headers;
    viewer = (await keyHeaders(app.db, 'viewer')).headers;
    admin = (await keyHeaders(app.db, 'admin')).headers;
  });
  afterAll(() => app.close());

  const candidates = async (id: string, headers: Headers = analyst, first = 50) => {
    const res = await app.graphql<{ matchCandidates: Candidate[] }>(CANDIDATES, { id, first }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.matchCandidates;
  };
  const find = (list: Candidate[], id: string) => list.find((c) => c.entity.id === id);

  describe('entityByIdentifier', () => {
    it('finds Rif Dimashq by its ISO 3166-2 code', async () => {
      const res = await app.graphql(BY_IDENTIFIER, { scheme: 'iso3166', value: 'SY-RD' });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        entityByIdentifier: { id: 'pl-rif-dimashq', name: 'Rif Dimashq', type: 'governorate' },
      });
    });

    it('finds an ISO 3166 code written in lower case, as FtM writes them', async () => {
      const res = await app.graphql(BY_IDENTIFIER, { scheme: 'iso3166', value: 'sy-rd' });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        entityByIdentifier: { id: 'pl-rif-dimashq', name: 'Rif Dimashq', type: 'governorate' },
      });
    });

    it('answers null for an identifier nobody carries, and refuses an unknown scheme', async () => {
      const none = await app.graphql(BY_IDENTIFIER, { scheme: 'iso3166', value: `SY-${u}` });
      expect(none.data).toEqual({ entityByIdentifier: null });
      const bad = await app.graphql(BY_IDENTIFIER, { scheme: 'isbn', value: 'x' });
      expectRefused(bad, 'BAD_USER_INPUT', ['scheme'], { beforeDatabase: true });
    });
  });

  describe('matchCandidates', () => {
    it("finds Daraa for a place named Dar'a, with the reasons", async () => {
      const list = await candidates(pl('dara'));
      const daraa = find(list, 'pl-daraa');
      expect(daraa, JSON.stringify(list.slice(0, 5))).toBeDefined();
      expect(daraa!.score).toBeGreaterThan(0.7);
      expect(daraa!.score).toBeLessThanOrEqual(1);
      expect(daraa!.reasons).toContain(`same name: "Dar'a"`);
      expect(daraa!.reasons).toContain('same type: governorate');
      expect(list.map((c) => c.entity.id)).not.toContain(pl('dara'));
      // Sorted best first.
      expect(list.map((c) => c.score)).toEqual([...list.map((c) => c.score)].sort((a, b) => b - a));
    });

    it('finds Rif Dimashq for "Rural Damascus Governorate" (generic word dropped)', async () => {
      const list = await candidates(pl('rural'));
      const rif = find(list, 'pl-rif-dimashq');
      expect(rif, JSON.stringify(list.slice(0, 5))).toBeDefined();
      expect(rif!.reasons.join('\n')).toMatch(/"Rural Damascus Governorate" matches "Rural Damascus"/);
      expect(rif!.score).toBeGreaterThan(0.7);
    });

    it('finds Rif Dimashq for a place named in Arabic, ريف دمشق', async () => {
      const list = await candidates(pl('rif-ar'));
      const rif = find(list, 'pl-rif-dimashq');
      expect(rif, JSON.stringify(list.slice(0, 5))).toBeDefined();
      expect(rif!.score).toBeGreaterThan(0.7);
      expect(rif!.reasons.join('\n')).toMatch(/ريف دمشق/);
      // The Latin fixture of the same place is found through the transliteration too.
      expect(find(list, pl('rural'))).toBeDefined();
    });

    it('finds a transliteration in the other script, through the name key', async () => {
      const list = await candidates(pl('kafr-ar'));
      const latin = find(list, pl('kafr'));
      expect(latin, JSON.stringify(list.slice(0, 5))).toBeDefined();
      expect(latin!.reasons[0]).toBe(
        `name "كفر بطنا ${arabicDigits(n)}" (kfr btna ${n}) matches "Kafr Batna ${n}" (normalised: kfr btn ${n})`,
      );
    });

    it('scores events by overlapping dates and shared places, and penalises disjoint dates', async () => {
      const list = await candidates(`ev-id${u}-a`);
      const b = find(list, `ev-id${u}-b`);
      const c = find(list, `ev-id${u}-c`);
      expect(b, JSON.stringify(list)).toBeDefined();
      expect(b!.reasons).toEqual(
        expect.arrayContaining([
          'same type: release_batch',
          expect.stringMatching(/^dates overlap: 2022-05 and 2022-05-12$/),
          `shared place: Town ${u}`,
        ]),
      );
      expect(c!.reasons).toContain('dates do not overlap: 2022-05 and 2019');
      expect(b!.score).toBeGreaterThan(c!.score);
    });

    it('leaves out records the caller may not see, and hides a restricted entity from anonymous callers', async () => {
      const asAnalyst = await candidates(pl('dara'));
      expect(find(asAnalyst, pl('secret'))).toBeUndefined();
      const asAdmin = await candidates(pl('dara'), admin);
      expect(find(asAdmin, pl('secret'))).toBeDefined();
      expectRefused(await app.graphql(CANDIDATES, { id: pl('dara') }), 'NOT_FOUND');
      // Public Daraa, as anonymous: restricted fixtures are not offered.
      const pub = await candidates('pl-daraa', {});
      expect(pub.filter((c) => c.entity.id.startsWith('pl-id'))).toEqual([]);
    });

    it('refuses page sizes over 50 before any database work, and unknown ids', async () => {
      const res = await app.graphql(CANDIDATES, { id: 'pl-daraa', first: 51 });
      expectRefused(res, 'LIMIT_EXCEEDED', undefined, { beforeDatabase: true });
      expectRefused(await app.graphql(CANDIDATES, { id: `pl-missing-${u}` }), 'NOT_FOUND');
    });
  });

  describe('judgeMatch', () => {
    it('removes a candidate judged not_same, records the judgement and audits it', async () => {
      expect(find(await candidates(pl('tall')), pl('tal'))).toBeDefined();
      const res = await app.graphql<{ judgeMatch: Judgement }>(
        JUDGE,
        { id: pl('tall'), candidateId: pl('tal'), judgement: 'not_same', note: 'Two villages.' },
        analyst,
      );
      expect(res.errors).toBeUndefined();
      const j = res.data!.judgeMatch;
      expect(j).toMatchObject({
        entityId: pl('tall'),
        candidateId: pl('tal'),
        entity: { id: pl('tall') },
        candidate: { id: pl('tal') },
        judgement: 'not_same',
        note: 'Two villages.',
        mergeId: null,
      });
      expect(j.id).toMatch(/^sameas-/);
      expect(find(await candidates(pl('tall')), pl('tal'))).toBeUndefined();
      // Either direction.
      expect(find(await candidates(pl('tal')), pl('tall'))).toBeUndefined();

      const listed = await app.graphql<{ sameAsJudgements: Judgement[] }>(
        JUDGEMENTS,
        { id: pl('tal') },
        analyst,
      );
      expect(listed.data!.sameAsJudgements.map((x) => x.id)).toEqual([j.id]);

      const audit = await app.graphql<{ auditLog: { edges: { node: { operation: string } }[] } }>(
        `query($id: ID!) { auditLog(filter: { affectedId: $id }) { edges { node { operation } } } }`,
        { id: j.id },
        admin,
      );
      expect(audit.data!.auditLog.edges.map((e) => e.node.operation)).toEqual(['judgeMatch']);
    });

    it('records same without merging, says so, and lets a newer judgement count', async () => {
      const res = await app.graphql<{ judgeMatch: Judgement }>(
        JUDGE,
        { id: pl('tal'), candidateId: pl('tall'), judgement: 'same', key: `judge-${u}` },
        analyst,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.judgeMatch.judgement).toBe('same');
      expect(res.data!.judgeMatch.nextStep).toMatch(/mergeEntities/);
      expect(res.data!.judgeMatch.nextStep).toMatch(/admins/);
      // Both still entities; the newer same judgement brings the pair back, with the judgement as a reason.
      const again = find(await candidates(pl('tall')), pl('tal'));
      expect(again?.reasons.join('\n')).toMatch(/judged same by/);
      // A retry with the same idempotency key writes nothing new.
      const retry = await app.graphql<{ judgeMatch: Judgement }>(
        JUDGE,
        { id: pl('tal'), candidateId: pl('tall'), judgement: 'same', key: `judge-${u}` },
        analyst,
      );
      expect(retry.data!.judgeMatch.id).toBe(res.data!.judgeMatch.id);
      const listed = await app.graphql<{ sameAsJudgements: Judgement[] }>(
        JUDGEMENTS,
        { id: pl('tall') },
        analyst,
      );
      expect(listed.data!.sameAsJudgements.map((x) => x.judgement)).toEqual(['same', 'not_same']);
    });

    const judgements = async () => {
      const res = await app.graphql<{ sameAsJudgements: Judgement[] }>(
        JUDGEMENTS,
        { id: pl('tall') },
        analyst,
      );
      expect(res.errors).toBeUndefined();
      return res.data!.sameAsJudgements;
    };

    // The refusal, who judges, the candidate judged against pl('tall'), and whether telling needs the database.
    it.each([
      ['viewers', 'FORBIDDEN', 'viewer', 'tal', false],
      ['anonymous callers', 'UNAUTHENTICATED', 'anonymous', 'tal', false],
      ['unlike kinds (an event)', 'BAD_USER_INPUT', 'analyst', 'event', true],
      ['a candidate the caller may not see', 'NOT_FOUND', 'analyst', 'secret', true],
      ['an entity against itself', 'BAD_USER_INPUT', 'analyst', 'tall', false],
    ] as const)('refuses %s (%s), writing nothing', async (_case, code, caller, candidate, needsDb) => {
      const headers = { viewer, analyst, anonymous: {} }[caller];
      const candidateId = candidate === 'event' ? `ev-id${u}-a` : pl(candidate);
      const before = await judgements();
      const res = await app.graphql(JUDGE, { id: pl('tall'), candidateId, judgement: 'same' }, headers);
      expectRefused(res, code, undefined, { beforeDatabase: !needsDb });
      expect(await judgements()).toEqual(before);
    });
  });

  it('computes the same name keys in Cypher as normalizeName does in TypeScript', async () => {
    const names = [
      'Daraa',
      "Dar'a",
      'Deraa',
      'درعا',
      'Rif Dimashq',
      'Rural Damascus Governorate',
      'ريف دمشق',
      'Al-Quneitra',
      'القنيطرة',
      'Al Qunaytirah',
      'Deir ez-Zor',
      'دير الزور',
      'Ḥimṣ',
      'إدلب',
      'Straße 😀',
      'Kafr Batna 1166',
      'كفر بطنا ١١٦٦',
    ];
    const rows = await app.db.executor.read(
      statement('test.identity.nameKeys', `UNWIND $names AS n RETURN n, ${NAME_KEY('n')} AS key`),
      { names, nameRules: NAME_RULES },
    );
    expect(Object.fromEntries(rows.map((r) => [r.n, r.key]))).toEqual(
      Object.fromEntries(names.map((n) => [n, nameKey(n)])),
    );
  });
});
