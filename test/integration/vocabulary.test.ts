import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import {
  IngestSourceDocument,
  RecordClaimDocument,
  RetractClaimDocument,
  VocabClaimDocument,
  VocabCreateDocument,
  VocabLinkDocument,
  VocabPlaceDocument,
  VocabRelationsDocument,
  VocabUpdateDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TypedDocument, type Variables } from '../helpers/app.js';
import { uniq } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import { claimsWithSummary, countOf, entitiesNamed, expectOk, type Key } from '../helpers/writes.js';

/**
 * The command and detention vocabulary through the write API, against the real Neo4j: units, parent
 * units, commanders and their posts (Security Force Monitor's model), detention facilities with their
 * kind and operator, who was held in, released from and transferred to them; each fact with its
 * period and when it was first and last cited, as the caller's clearance allows.
 */

type Json = Record<string, unknown>;

const relationsBetween = statement<{ from: string; to: string }>(
  'test.vocab.relationsBetween',
  'MATCH (:Entity {id: $from})-[r]->(:Entity {id: $to}) RETURN count(r) AS n',
);

describe('command and detention vocabulary', () => {
  let app: TestApp;
  let analyst: Key;
  let viewer: Key;

  beforeAll(async () => {
    app = await startTestApp();
    analyst = await keyHeaders(app.db, 'analyst');
    viewer = await keyHeaders(app.db, 'viewer');
  });
  afterAll(() => app.close());

  const ok = <T>(doc: TypedDocument<T>, variables: Variables, key: Key = analyst): Promise<T> =>
    expectOk(app, doc, variables, key);

  async function refused(doc: TypedDocument<unknown>, variables: Json) {
    const res = await app.graphql(doc, variables, analyst.headers);
    expect(res.data ?? null, JSON.stringify(res.data)).toBeNull();
    expect(res.errors).toHaveLength(1);
    return res.errors![0]! as { message: string; extensions?: { code?: string; inputPath?: unknown[] } };
  }

  const create = async (input: Json) => (await ok(VocabCreateDocument, { input })).createEntity;

  /** A person, a unit and its parent, a facility and a city, and a source naming them: one test's own. */
  async function world(sensitivity: 'public' | 'restricted' = 'public', published = '2021-03-01') {
    const u = uniq();
    const person = await create({ kind: 'ACTOR', type: 'person', name: `Officer ${u}` });
    const unit = await create({ kind: 'ACTOR', type: 'organization', name: `Branch 2${u}` });
    const parent = await create({ kind: 'ACTOR', type: 'public_body', name: `Directorate ${u}` });
    const facility = await create({
      kind: 'PLACE',
      type: 'facility',
      name: `Prison ${u}`,
      facilityKind: 'military_prison',
    });
    const city = await create({ kind: 'PLACE', type: 'city', name: `Town ${u}` });
    const source = await ingest(
      `Report ${u}: the officer headed the branch, which answers to the directorate and runs the ` +
        `prison; he was held there for years, moved there again, then released.`,
      sensitivity,
      published,
    );
    return {
      u,
      person: person.id,
      unit: unit.id,
      parent: parent.id,
      facility: facility.id,
      city: city.id,
      source,
    };
  }

  async function ingest(text: string, sensitivity: string, published: string) {
    const { ingestSource } = await ok(IngestSourceDocument, {
      input: {
        text,
        title: `Source ${uniq()}`,
        language: 'en',
        sensitivity,
        published: { value: published, precision: published.length === 10 ? 'day' : 'month' },
      },
    });
    return ingestSource.source.id;
  }

  async function claim(
    w: { source: string },
    subjectId: string,
    relation: Json | null,
    more: Json = {},
  ): Promise<string> {
    const { recordClaim } = await ok(RecordClaimDocument, {
      input: {
        subjectId,
        summary: `Claim ${uniq()}`,
        sourceId: w.source,
        excerpts: [{ quote: 'the officer headed the branch' }],
        ...(relation ? { relation } : {}),
        ...more,
      },
    });
    return recordClaim.id;
  }

  const relations = async (id: string, types: string[], key: Key = analyst) => {
    const { node } = await ok(VocabRelationsDocument, { id, types }, key);
    return (node as { relations?: Json[] } | null)?.relations ?? [];
  };

  describe('recordClaim', () => {
    it('records each new relation, with a position and a period on the claim', async () => {
      const w = await world();
      const period = {
        periodStart: { value: '2012', precision: 'year' },
        periodEnd: { value: '2015-06', precision: 'month' },
      };
      const commands = await claim(w, w.person, {
        type: 'COMMANDS',
        objectId: w.unit,
        position: '  head of branch ',
        ...period,
      });
      const member = await claim(w, w.person, {
        type: 'MEMBER_OF',
        objectId: w.unit,
        position: 'deputy',
        periodStart: { value: '2010', precision: 'year' },
      });
      const subordinate = await claim(w, w.unit, { type: 'SUBORDINATE_TO', objectId: w.parent });
      const held = await claim(w, w.person, { type: 'HELD_IN', objectId: w.facility, ...period });
      const released = await claim(w, w.person, { type: 'RELEASED_FROM', objectId: w.facility });
      const moved = await claim(w, w.person, { type: 'TRANSFERRED_TO', objectId: w.facility });
      const operates = await claim(w, w.unit, { type: 'OPERATES', objectId: w.facility });

      const { node } = await ok(VocabClaimDocument, { id: commands });
      expect(node).toMatchObject({
        kind: 'relation',
        property: 'COMMANDS',
        position: 'head of branch',
        periodStart: { value: '2012', earliest: '2012-01-01', latest: '2012-12-31' },
        periodEnd: { value: '2015-06', earliest: '2015-06-01', latest: '2015-06-30' },
      });

      const ofPerson = await relations(w.person, [
        'COMMANDS',
        'MEMBER_OF',
        'HELD_IN',
        'RELEASED_FROM',
        'TRANSFERRED_TO',
      ]);
      const byType = Object.fromEntries(ofPerson.map((r) => [r.type as string, r]));
      expect(Object.keys(byType).sort()).toEqual(
        ['COMMANDS', 'HELD_IN', 'MEMBER_OF', 'RELEASED_FROM', 'TRANSFERRED_TO'].sort(),
      );
      expect(byType.COMMANDS).toMatchObject({
        position: 'head of branch',
        to: { id: w.unit },
        claims: [{ id: commands }],
        period: { start: { value: '2012' }, end: { value: '2015-06' } },
        firstCited: { value: '2021-03-01' },
        lastCited: { value: '2021-03-01' },
      });
      expect(byType.MEMBER_OF).toMatchObject({
        position: 'deputy',
        claims: [{ id: member }],
        period: { start: { value: '2010' }, end: null },
      });
      expect(byType.HELD_IN).toMatchObject({
        position: null,
        claims: [{ id: held }],
        to: { id: w.facility },
      });
      expect(byType.RELEASED_FROM).toMatchObject({ claims: [{ id: released }], period: null });
      expect(byType.TRANSFERRED_TO).toMatchObject({ claims: [{ id: moved }] });
      const ofUnit = await relations(w.unit, ['SUBORDINATE_TO', 'OPERATES']);
      expect(ofUnit.map((r) => [r.type, (r.to as Json).id, (r.claims as Json[])[0]!.id]).sort()).toEqual(
        [
          ['OPERATES', w.facility, operates],
          ['SUBORDINATE_TO', w.parent, subordinate],
        ].sort(),
      );
    }, 180_000);

    it('makes "head of" and "deputy" two relationships, and the same post in other spacing or case one', async () => {
      const w = await world();
      const a = await claim(w, w.person, { type: 'MEMBER_OF', objectId: w.unit, position: 'Head of branch' });
      const b = await claim(w, w.person, {
        type: 'MEMBER_OF',
        objectId: w.unit,
        position: 'head  of BRANCH',
      });
      const c = await claim(w, w.person, { type: 'MEMBER_OF', objectId: w.unit, position: 'deputy' });
      const d = await claim(w, w.person, { type: 'MEMBER_OF', objectId: w.unit });
      const rels = await relations(w.person, ['MEMBER_OF']);
      expect(rels).toHaveLength(3);
      const claimsOf = (r: Json) => (r.claims as Json[]).map((x) => x.id).sort();
      expect(rels.map(claimsOf).sort()).toEqual([[a, b].sort(), [c], [d]].sort());
    });

    it.each([
      ['a person as the unit of COMMANDS', 'COMMANDS', 'unit', 'person', {}, 'type'],
      ['an organisation commanding', 'COMMANDS', 'unit', 'parent', {}, 'type'],
      ['a city as a place of detention', 'HELD_IN', 'person', 'city', {}, 'type'],
      ['an organisation released from a prison', 'RELEASED_FROM', 'unit', 'facility', {}, 'type'],
      ['a person operating a prison', 'OPERATES', 'person', 'facility', {}, 'type'],
      ['a transfer to a unit', 'TRANSFERRED_TO', 'person', 'unit', {}, 'type'],
      ['a person as a parent unit', 'SUBORDINATE_TO', 'unit', 'person', {}, 'type'],
      ['a position on HELD_IN', 'HELD_IN', 'person', 'facility', { position: 'cell 4' }, 'position'],
      ['a position on SUBORDINATE_TO', 'SUBORDINATE_TO', 'unit', 'parent', { position: 'x' }, 'position'],
      [
        'a period that ends before it starts',
        'HELD_IN',
        'person',
        'facility',
        {
          periodStart: { value: '2015', precision: 'year' },
          periodEnd: { value: '2014', precision: 'year' },
        },
        'periodEnd',
      ],
    ] as const)('refuses %s, and writes nothing', async (_what, type, from, to, more, field) => {
      const w = await world();
      const summary = `Refused ${uniq()}`;
      const ids = w as unknown as Record<string, string>;
      const err = await refused(RecordClaimDocument, {
        input: {
          subjectId: ids[from],
          summary,
          sourceId: w.source,
          excerpts: [{ quote: 'the officer headed the branch' }],
          relation: { type, objectId: ids[to], ...more },
        },
      });
      expect(err.extensions?.code).toBe('BAD_USER_INPUT');
      expect(err.extensions?.inputPath).toEqual(['input', 'relation', field]);
      if (field === 'type')
        expect(err.message).toMatch(new RegExp(`${type} (needs an? (subject|object) of type|does not join)`));
      expect(await countOf(app.db.executor, claimsWithSummary, { summary })).toBe(0);
      expect(await countOf(app.db.executor, relationsBetween, { from: ids[from]!, to: ids[to]! })).toBe(0);
    });
  });

  describe('linkEntities', () => {
    it('records each new relation citing existing claims, with a position where the relation takes one', async () => {
      const w = await world();
      const statement = await claim(w, w.person, null);
      const unitStatement = await claim(w, w.unit, null);
      const cases: [string, string, string, string | null, string][] = [
        ['MEMBER_OF', w.person, w.unit, 'head of', statement],
        ['COMMANDS', w.person, w.unit, 'commander', statement],
        ['SUBORDINATE_TO', w.unit, w.parent, null, unitStatement],
        ['HELD_IN', w.person, w.facility, null, statement],
        ['RELEASED_FROM', w.person, w.facility, null, statement],
        ['TRANSFERRED_TO', w.person, w.facility, null, statement],
        ['OPERATES', w.unit, w.facility, null, unitStatement],
      ];
      for (const [type, fromId, toId, position, cited] of cases) {
        const { linkEntities } = await ok(VocabLinkDocument, {
          input: { type, fromId, toId, claimIds: [cited], ...(position ? { position } : {}) },
        });
        expect(linkEntities).toMatchObject({
          type,
          position,
          from: { id: fromId },
          to: { id: toId },
          claims: [{ id: cited }],
          firstCited: { value: '2021-03-01' },
        });
      }
      const member = (await relations(w.person, ['MEMBER_OF']))[0]!;
      expect(member).toMatchObject({ position: 'head of', claims: [{ id: statement }] });
    });

    it('refuses a position on a relation that takes none, and wrong types of entity, writing nothing', async () => {
      const w = await world();
      const cited = await claim(w, w.person, null);
      const e1 = await refused(VocabLinkDocument, {
        input: { type: 'HELD_IN', fromId: w.person, toId: w.facility, claimIds: [cited], position: 'x' },
      });
      expect(e1.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['input', 'position'] });
      const e2 = await refused(VocabLinkDocument, {
        input: { type: 'HELD_IN', fromId: w.person, toId: w.city, claimIds: [cited] },
      });
      expect(e2.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['input', 'type'] });
      expect(e2.message).toMatch(/HELD_IN needs an object of type facility, not city/);
      expect(await countOf(app.db.executor, relationsBetween, { from: w.person, to: w.facility })).toBe(0);
      expect(await countOf(app.db.executor, relationsBetween, { from: w.person, to: w.city })).toBe(0);
    });
  });

  describe('Relation.period, firstCited and lastCited', () => {
    it('span only the claims and sources the caller may see, and not retracted claims', async () => {
      const w = await world('public', '2021-03-01');
      const later = await ingest(
        `Restricted ${uniq()}: the officer headed the branch, said a witness.`,
        'restricted',
        '2023-06',
      );
      const rel = { type: 'HELD_IN', objectId: w.facility };
      await claim(w, w.person, {
        ...rel,
        periodStart: { value: '2012', precision: 'year' },
        periodEnd: { value: '2014', precision: 'year' },
      });
      await claim({ source: later }, w.person, {
        ...rel,
        periodStart: { value: '2011-05', precision: 'month' },
        periodEnd: { value: '2016', precision: 'year' },
      });
      const withdrawn = await claim(w, w.person, {
        ...rel,
        periodStart: { value: '1990', precision: 'year' },
      });
      await ok(RetractClaimDocument, { id: withdrawn, reason: 'wrong person' });

      const asViewer = (await relations(w.person, ['HELD_IN'], viewer))[0]!;
      expect(asViewer).toMatchObject({
        period: { start: { value: '2012' }, end: { value: '2014' } },
        firstCited: { value: '2021-03-01' },
        lastCited: { value: '2021-03-01' },
      });
      expect(asViewer.claims as Json[]).toHaveLength(2); // the retracted one is listed, not counted
      const asAnalyst = (await relations(w.person, ['HELD_IN'], analyst))[0]!;
      expect(asAnalyst).toMatchObject({
        period: { start: { value: '2011-05', earliest: '2011-05-01' }, end: { value: '2016' } },
        firstCited: { value: '2021-03-01' },
        lastCited: { value: '2023-06', latest: '2023-06-30' },
      });
    });
  });

  describe('mergeEntities', () => {
    it('refuses a merge that would leave a detention relationship on a place that is no facility', async () => {
      const w = await world();
      await claim(w, w.person, { type: 'HELD_IN', objectId: w.facility });
      const admin = await keyHeaders(app.db, 'admin');
      const res = await app.graphql(
        'mutation($k: ID!, $m: ID!) { mergeEntities(keepId: $k, mergeId: $m, note: "same") { merge { id } } }',
        { k: w.city, m: w.facility },
        admin.headers,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['keepId'] });
      expect(res.errors?.[0]?.message).toMatch(/HELD_IN needs an object of type facility, not city/);
      const held = await relations(w.person, ['HELD_IN']);
      expect(held.map((r) => (r.to as Json).id)).toEqual([w.facility]);
    });
  });

  describe('facilityKind', () => {
    it('is kept on facilities, changed by updateEntity, and refused on other places', async () => {
      const u = uniq();
      const f = await create({
        kind: 'PLACE',
        type: 'facility',
        name: `Branch HQ ${u}`,
        facilityKind: 'branch_headquarters',
      });
      expect(f).toMatchObject({ type: 'facility', facilityKind: 'branch_headquarters' });
      const read = await ok(VocabPlaceDocument, { id: f.id }, viewer);
      expect(read.node).toMatchObject({ facilityKind: 'branch_headquarters' });

      const changed = await ok(VocabUpdateDocument, {
        id: f.id,
        version: f.version,
        patch: { facilityKind: 'detention_centre' },
      });
      expect(changed.updateEntity).toMatchObject({ facilityKind: 'detention_centre', version: 2 });

      const e1 = await refused(VocabUpdateDocument, { id: f.id, version: 2, patch: { type: 'city' } });
      expect(e1.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['patch', 'type'] });
      const cleared = await ok(VocabUpdateDocument, {
        id: f.id,
        version: 2,
        patch: { type: 'city', facilityKind: null },
      });
      expect(cleared.updateEntity).toMatchObject({ type: 'city', facilityKind: null, version: 3 });

      const name = `Not a prison ${u}`;
      const e2 = await refused(VocabCreateDocument, {
        input: { kind: 'PLACE', type: 'city', name, facilityKind: 'prison' },
      });
      expect(e2.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['input', 'facilityKind'] });
      const e3 = await refused(VocabCreateDocument, {
        input: { kind: 'ACTOR', type: 'organization', name, facilityKind: 'prison' },
      });
      expect(e3.extensions?.inputPath).toEqual(['input', 'facilityKind']);
      expect(await countOf(app.db.executor, entitiesNamed, { name })).toBe(0);
    });
  });
});
