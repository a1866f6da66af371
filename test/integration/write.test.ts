import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { digestOf } from '../../src/graph/mutation.js';
import { codePoints, sha256 } from '../../src/model/text.js';
import { loadBundle } from '../../src/services/import.js';
import { RecordsService } from '../../src/services/records.js';
import { WriteService } from '../../src/services/write.js';
import {
  CreateEntityDocument,
  DisputeClaimDocument,
  EventInvolvementsDocument,
  IngestSourceDocument,
  LinkEntitiesDocument,
  NodeIdDocument,
  RecordClaimDocument,
  RetractClaimDocument,
  SetSensitivityDocument,
  UpdateEntityDocument,
  WrittenNodeDocument,
  WrittenProvenanceDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TypedDocument, type Variables } from '../helpers/app.js';
import { fixtureBundle, uniq, writeBundle } from '../helpers/bundles.js';
import { keyHeaders } from '../helpers/keys.js';
import {
  auditsOf,
  claimsWithSummary,
  countOf,
  cpStart,
  entitiesNamed,
  expectOk,
  newWorld,
  sourcesWithHash,
  type Key,
} from '../helpers/writes.js';

/**
 * The write API against the real Neo4j: what each write stores, reads back and audits. Its refusals are
 * in write-refusals.test.ts.
 */

type GqlError = { message: string; extensions?: Record<string, unknown> };
type Json = Record<string, unknown>;

const propsOf = statement(
  'test.write.propsOf',
  `CALL () {
     MATCH (n:Entity {id: $id}) RETURN n
     UNION MATCH (n:Claim {id: $id}) RETURN n
     UNION MATCH (n:Excerpt {id: $id}) RETURN n
     UNION MATCH (n:Source {id: $id}) RETURN n
     UNION MATCH (n:Figure {id: $id}) RETURN n
   }
   RETURN properties(n) AS p, labels(n) AS labels`,
);
const relationsWithId = statement(
  'test.write.relationsWithId',
  'MATCH (:Entity {id: $from})-[r {id: $id}]->(:Entity {id: $to}) RETURN properties(r) AS p, type(r) AS type',
);

describe('write API for evidence', () => {
  let app: TestApp;
  let setup: Key;

  beforeAll(async () => {
    app = await startTestApp();
    setup = await keyHeaders(app.db, 'analyst');
  });
  afterAll(() => app.close());

  const ok = <T>(doc: TypedDocument<T>, variables: Variables, key: Key): Promise<T> =>
    expectOk(app, doc, variables, key);

  async function fail(
    doc: TypedDocument<unknown>,
    variables: Json,
    headers: Record<string, string>,
  ): Promise<GqlError> {
    const res = await app.graphql(doc, variables, headers);
    expect(res.data ?? null, JSON.stringify(res.data)).toBeNull();
    expect(res.errors).toHaveLength(1);
    return res.errors![0]!;
  }

  const audits = (keyId: string) => auditsOf(app.db.executor, keyId);

  async function props(id: string): Promise<Json> {
    const [row] = await app.db.executor.read(propsOf, { id });
    return (row?.p as Json) ?? {};
  }

  async function createEntity(key: Key, input: Json) {
    return (await ok(CreateEntityDocument, { input }, key)).createEntity;
  }

  /** An actor, an event, a place and a source with astral and Arabic text, all this test's own. */
  const world = (key: Key) => newWorld(app, key);

  describe('ingestSource', () => {
    it('stores a source once per text, with its hash, code-point length and publisher', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const u = uniq();
      const publisher = await createEntity(key, { kind: 'ACTOR', type: 'organization', name: `Pub ${u}` });
      const text = `𝕏 ${u} — ريف دمشق 🕊️ done.`;
      const input = {
        text,
        title: `  Capture ${u}  `,
        language: 'ar',
        publisherId: publisher.id,
        url: 'https://example.org/report',
        retrievedAt: '2022-05-02T10:00:00Z',
        published: { value: '2022-04', precision: 'month', qualifier: 'approximate', text: 'late April' },
        reliability: 'usually_reliable',
        sensitivity: 'restricted',
        notes: 'captured by hand',
      };
      const first = (await ok(IngestSourceDocument, { input }, key)).ingestSource;
      const hash = sha256(text);
      expect(first.created).toBe(true);
      expect(first.source).toMatchObject({
        id: `src-${hash.slice(0, 16)}`,
        sha256: hash,
        length: codePoints(text).length,
        title: `Capture ${u}`,
        language: 'ar',
        text,
        url: 'https://example.org/report',
        reliability: 'usually_reliable',
        sensitivity: 'restricted',
        notes: 'captured by hand',
        published: {
          value: '2022-04',
          precision: 'month',
          qualifier: 'approximate',
          earliest: '2022-04-01',
          latest: '2022-04-30',
          text: 'late April',
        },
        publisher: { id: publisher.id },
      });
      expect(first.source.length).not.toBe(text.length);
      expect(String(first.source.retrievedAt)).toMatch(/^2022-05-02T10:00/);

      // The same text again: the same source, nothing new, whatever the other fields say; nothing written,
      // so no audit record.
      const again = (
        await ok(IngestSourceDocument, { input: { text, title: 'Another title', language: 'en' } }, key)
      ).ingestSource;
      expect(again).toMatchObject({ created: false, source: { id: first.source.id, title: `Capture ${u}` } });
      expect(await countOf(app.db.executor, sourcesWithHash, { sha: hash })).toBe(1);
      const log = await audits(key.keyId);
      expect(log.map((a) => a.operation)).toEqual(['createEntity', 'ingestSource']);
      const created = JSON.parse(String(log[1]!.changesJson));
      expect(created[0]).toMatchObject({ id: first.source.id, before: null, after: { sha256: hash } });
      expect(created[0].after.text).toBeUndefined();
    });

    it('answers a re-ingest with different metadata with the stored source and each field that differs', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const u = uniq();
      const [p1, p2] = [
        await createEntity(key, { kind: 'ACTOR', type: 'organization', name: `Pub A ${u}` }),
        await createEntity(key, { kind: 'ACTOR', type: 'organization', name: `Pub B ${u}` }),
      ];
      const text = `Re-ingested ${u} 🕊️ text.`;
      const input = {
        text,
        title: `Report ${u}`,
        language: 'en',
        publisherId: p1!.id,
        url: 'https://example.org/a',
        retrievedAt: '2022-05-02T10:00:00Z',
        published: { value: '2022-04', precision: 'month' },
        reliability: 'usually_reliable',
        notes: 'first capture',
      };
      const first = (await ok(IngestSourceDocument, { input }, key)).ingestSource;
      expect(first).toMatchObject({ created: true, differences: [] });

      // The same metadata (the instant written another way, the title with spaces): nothing differs.
      const same = (
        await ok(
          IngestSourceDocument,
          { input: { ...input, title: ` Report ${u} `, retrievedAt: '2022-05-02T12:00:00+02:00' } },
          key,
        )
      ).ingestSource;
      expect(same).toMatchObject({ created: false, differences: [] });

      const other = {
        text,
        title: `Retitled ${u}`,
        language: 'en',
        publisherId: p2!.id,
        url: 'https://example.org/b',
        retrievedAt: '2023-01-01T00:00:00Z',
        published: { value: '2022-04-30', precision: 'day' },
        reliability: 'unknown',
        sensitivity: 'restricted',
      };
      const again = (await ok(IngestSourceDocument, { input: other }, key)).ingestSource;
      expect(again.created).toBe(false);
      expect(again.source).toMatchObject({
        id: first.source.id,
        title: `Report ${u}`,
        url: 'https://example.org/a',
        reliability: 'usually_reliable',
        sensitivity: 'public',
        notes: 'first capture',
        publisher: { id: p1!.id },
      });
      const byField = Object.fromEntries(again.differences.map((d) => [d.field, d]));
      // Notes were not given: not compared. Language is the same.
      expect(Object.keys(byField).sort()).toEqual(
        ['published', 'publisherId', 'reliability', 'retrievedAt', 'sensitivity', 'title', 'url'].sort(),
      );
      expect(byField.title).toEqual({ field: 'title', stored: `Report ${u}`, given: `Retitled ${u}` });
      expect(byField.publisherId).toEqual({ field: 'publisherId', stored: p1!.id, given: p2!.id });
      expect(byField.sensitivity).toEqual({ field: 'sensitivity', stored: 'public', given: 'restricted' });
      expect(byField.reliability).toEqual({
        field: 'reliability',
        stored: 'usually_reliable',
        given: 'unknown',
      });
      expect(byField.url).toEqual({
        field: 'url',
        stored: 'https://example.org/a',
        given: 'https://example.org/b',
      });
      expect(byField.retrievedAt!.stored).toMatch(/^2022-05-02T10:00/);
      expect(byField.retrievedAt!.given).toBe('2023-01-01T00:00:00Z');
      expect(JSON.parse(byField.published!.stored!)).toMatchObject({ value: '2022-04', precision: 'month' });
      expect(JSON.parse(byField.published!.given!)).toMatchObject({ value: '2022-04-30', precision: 'day' });

      // Nothing was changed, so one audit record for the creation only (and the two entities).
      const log = await audits(key.keyId);
      expect(log.map((a) => a.operation)).toEqual(['createEntity', 'createEntity', 'ingestSource']);
      expect(await props(first.source.id)).toMatchObject({ title: `Report ${u}`, version: 1 });
    });

    it('refuses the text of a source the caller may not see, naming nothing of it, writing nothing', async () => {
      const admin = await keyHeaders(app.db, 'admin');
      const analyst = await keyHeaders(app.db, 'analyst');
      const u = uniq();
      const text = `Confidential ${u} capture.`;
      const secret = (
        await ok(
          IngestSourceDocument,
          {
            input: {
              text,
              title: `Secret title ${u}`,
              language: 'en',
              url: 'https://example.org/secret',
              sensitivity: 'confidential',
              notes: `secret notes ${u}`,
            },
          },
          admin,
        )
      ).ingestSource.source;
      const err = await fail(
        IngestSourceDocument,
        { input: { text, title: 'Mine', language: 'en' }, key: `hidden-${u}` },
        analyst.headers,
      );
      expect(err.extensions).toEqual({ code: 'CONFLICT', inputPath: ['input', 'text'] });
      const said = JSON.stringify(err);
      for (const leak of [
        secret.id,
        `Secret title ${u}`,
        'secret',
        'confidential',
        'restricted',
        'cannot see',
      ])
        expect(said).not.toContain(leak);
      // Nothing written, nothing audited, and the key can be used again for another request.
      expect(await audits(analyst.keyId)).toEqual([]);
      expect(await countOf(app.db.executor, sourcesWithHash, { sha: sha256(text) })).toBe(1);
      expect(await props(secret.id)).toMatchObject({ title: `Secret title ${u}`, version: 1 });
      const other = (
        await ok(
          IngestSourceDocument,
          { input: { text: `Another ${u}`, title: 'Mine', language: 'en' }, key: `hidden-${u}` },
          analyst,
        )
      ).ingestSource;
      expect(other.created).toBe(true);
    });

    it('gives 50 parallel identical ingests exactly one source', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const text = `Parallel ${uniq()} ${'الإفراج عن المعتقلين '.repeat(20)}`;
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          app.graphql(
            IngestSourceDocument,
            { input: { text, title: 'Parallel', language: 'ar' } },
            key.headers,
          ),
        ),
      );
      for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const ids = new Set(results.map((r) => r.data!.ingestSource.source.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.data!.ingestSource.created)).toHaveLength(1);
      expect(await countOf(app.db.executor, sourcesWithHash, { sha: sha256(text) })).toBe(1);
      // One created it; the 49 others wrote nothing, so made no audit record.
      expect(await audits(key.keyId)).toHaveLength(1);
    });

    it('takes its size limit from the constructor, in bytes of UTF-8', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const viewer = { role: 'analyst' as const, keyId: key.keyId, name: key.name };
      const write = new WriteService(
        app.db.executor,
        new RecordsService(app.db.executor),
        viewer,
        undefined,
        {
          maxSourceBytes: 64,
        },
      );
      // 33 Arabic letters are 66 bytes: over the limit although under 64 characters.
      const big = `${'م'.repeat(33)}`;
      await expect(write.ingestSource({ text: big, title: 't', language: 'ar' })).rejects.toMatchObject({
        extensions: { code: 'LIMIT_EXCEEDED', inputPath: ['input', 'text'], limit: 64 },
      });
      expect(await countOf(app.db.executor, sourcesWithHash, { sha: sha256(big) })).toBe(0);
      const small = `fits ${uniq()}`;
      const made = await write.ingestSource({ text: small, title: 't', language: 'en' });
      expect(made.created).toBe(true);
      expect(made.source.sha256).toBe(sha256(small));
      expect(await audits(key.keyId)).toHaveLength(1);
    });
  });

  describe('recordClaim', () => {
    it('verifies excerpts against the stored text and stores code-point offsets', async () => {
      const w = await world(setup);
      const arabic = '«المعتقلين»';
      const arabicStart = cpStart(w.text, arabic);
      // 𝕏 is two UTF-16 units but one code point: offsets must not be UTF-16 indexes.
      expect(arabicStart).toBe(w.text.indexOf(arabic) - 1);
      const place = 'ريف دمشق';
      const placeStart = cpStart(w.text, place);
      const dove = '🕊️. Nearly';
      const doveStart = cpStart(w.text, dove);
      const res = await ok(
        RecordClaimDocument,
        {
          input: {
            subjectId: w.eventId,
            summary: 'Detainees were released in Rural Damascus.',
            sourceId: w.sourceId,
            excerpts: [
              { quote: arabic },
              { start: placeStart, end: placeStart + codePoints(place).length },
              { quote: dove, start: doveStart, end: doveStart + codePoints(dove).length },
            ],
            attributedTo: [w.actorId],
            confidence: 0.8,
            sensitivity: 'restricted',
            fact: 'F1',
          },
        },
        setup,
      );
      const claim = res.recordClaim;
      expect(claim).toMatchObject({
        kind: 'statement',
        property: 'statement',
        status: 'asserted',
        confidence: 0.8,
        sensitivity: 'restricted',
        fact: 'F1',
        subject: { id: w.eventId },
        attribution: [{ hop: 1, agent: { id: w.actorId } }],
      });
      expect(String(claim.id)).toMatch(/^cl-[0-9a-f-]{36}$/);
      expect(claim.recordedBy).toContain(setup.name);
      expect(Date.now() - Date.parse(String(claim.recordedAt))).toBeLessThan(60_000);
      const points = codePoints(w.text);
      const spans: [number, number][] = [
        [arabicStart, arabicStart + codePoints(arabic).length],
        [placeStart, placeStart + codePoints(place).length],
        [doveStart, doveStart + codePoints(dove).length],
      ];
      const expected = spans.map(([start, end]) => ({
        exact: points.slice(start, end).join(''),
        start,
        end,
        prefix: points.slice(Math.max(0, start - 32), start).join(''),
        suffix: points.slice(end, end + 32).join(''),
        source: { id: w.sourceId },
      }));
      expect(expected.map((e) => e.exact)).toEqual([arabic, place, dove]);
      const byStart = (a: Json, b: Json) => Number(a.start) - Number(b.start);
      expect(claim.excerpts.map(({ id: _id, ...e }) => e).sort(byStart)).toEqual(expected);

      // Read back as any reader would: provenance of the claim and of the source.
      const prov = await ok(WrittenProvenanceDocument, { id: claim.id }, setup);
      expect(prov.provenance.kind).toBe('Claim');
      expect(prov.provenance.claims[0]!.excerpts.sort(byStart)).toEqual(expected);
      expect(prov.provenance.sources).toEqual([{ id: w.sourceId }]);
      const bySource = await ok(WrittenProvenanceDocument, { id: w.sourceId }, setup);
      expect(bySource.provenance.claims.map((c) => c.id)).toContain(claim.id);
      const node = await ok(WrittenNodeDocument, { id: claim.excerpts[0]!.id }, setup);
      expect(node.node?.id).toBe(claim.excerpts[0]!.id);
    });

    it('writes claims, excerpts, entities and relationships exactly as the bundle loader does', async () => {
      const u = uniq();
      const text = `On 30 April 2022 the decree was issued by Monitor ${u}. The monitor reported the release.`;
      const bundleClaim = `cl-t${u}-inv`;
      const file = writeBundle(
        fixtureBundle(u, text, [
          {
            id: bundleClaim,
            subject: `ac-t${u}`,
            summary: 'The monitor reported the release.',
            relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'reporter' },
            source: `src-t${u}`,
            quotes: ['The monitor reported the release'],
          },
        ]),
      );
      await loadBundle(app.db.executor, file);
      const res = await ok(
        RecordClaimDocument,
        {
          input: {
            subjectId: `ac-t${u}`,
            summary: 'The monitor reported it.',
            sourceId: `src-t${u}`,
            excerpts: [{ quote: 'the decree was issued' }],
            relation: { type: 'INVOLVED_IN', objectId: `ev-t${u}`, role: 'reporter' },
          },
        },
        setup,
      );
      const apiClaim = String(res.recordClaim.id);
      expect(res.recordClaim).toMatchObject({ kind: 'relation', property: 'INVOLVED_IN', role: 'reporter' });
      expect(res.recordClaim.object).toEqual({ id: `ev-t${u}` });

      // One relationship, listing both claims.
      const relId = `rel-involved_in-ac-t${u}-ev-t${u}-reporter`;
      const rels = await app.db.executor.read(relationsWithId, {
        id: relId,
        from: `ac-t${u}`,
        to: `ev-t${u}`,
      });
      expect(rels).toHaveLength(1);
      expect(rels[0]!.type).toBe('INVOLVED_IN');
      expect(rels[0]!.p).toEqual({ id: relId, role: 'reporter', claimIds: [bundleClaim, apiClaim].sort() });

      // The same properties, claim for claim and excerpt for excerpt.
      const keys = (p: Json) => Object.keys(p).sort();
      expect(keys(await props(apiClaim))).toEqual(keys(await props(bundleClaim)));
      const quoted = 'The monitor reported the release';
      const quotedStart = cpStart(text, quoted);
      const bundleExcerpt = `ex-t${u}-${quotedStart}-${quotedStart + codePoints(quoted).length}`;
      expect(await props(bundleExcerpt)).toMatchObject({ exact: quoted });
      expect(keys(await props(String(res.recordClaim.excerpts[0]!.id)))).toEqual(
        keys(await props(bundleExcerpt)),
      );
      const apiEvent = await createEntity(setup, {
        kind: 'EVENT',
        type: 'release_batch',
        name: `Release again ${u}`,
        aliases: [{ value: `إفراج ${u}`, lang: 'ar' }],
        date: { value: '2022-05', precision: 'month', qualifier: 'approximate' },
      });
      expect(keys(await props(String(apiEvent.id)))).toEqual(keys(await props(`ev-t${u}`)));
      const apiEventLabels = await app.db.executor.read(propsOf, { id: apiEvent.id });
      expect([...(apiEventLabels[0]!.labels as string[])].sort()).toEqual(['Entity', 'Event']);
      expect((await props(String(apiEvent.id))).names).toEqual([`Release again ${u}`, `إفراج ${u}`]);
    });

    it('records figure and attribute claims, with conflicts between disagreeing figures', async () => {
      const w = await world(setup);
      const figure = (value: number, qualifier: string, quote: string) =>
        ok(
          RecordClaimDocument,
          {
            input: {
              subjectId: w.eventId,
              summary: `About ${value} released.`,
              sourceId: w.sourceId,
              excerpts: [{ quote }],
              figure: { measure: 'people_released', value, qualifier, unit: 'people', text: quote },
            },
          },
          setup,
        );
      const a = (await figure(1168, 'approximately', 'Nearly 1,168 detainees')).recordClaim;
      expect(a).toMatchObject({ kind: 'figure', property: 'people_released' });
      expect(a.figure).toMatchObject({
        id: `fg-${String(a.id).slice(3)}`,
        measure: 'people_released',
        value: 1168,
        qualifier: 'approximately',
        unit: 'people',
      });
      const b = (await figure(1160, 'exact', '1,160 left')).recordClaim;
      expect(b.conflicts).toEqual([{ id: a.id }]);
      const figureNode = await ok(NodeIdDocument, { id: a.figure!.id }, setup);
      expect(figureNode.node).toEqual({ id: a.figure!.id });

      const attr = await ok(
        RecordClaimDocument,
        {
          input: {
            subjectId: w.eventId,
            summary: 'The release happened in late April.',
            sourceId: w.sourceId,
            excerpts: [{ quote: 'on 30 April 2022' }],
            attribute: {
              property: 'date',
              date: { value: '2022-04-30', precision: 'day', text: '30 April 2022' },
            },
          },
        },
        setup,
      );
      expect(attr.recordClaim).toMatchObject({
        kind: 'attribute',
        property: 'date',
        date: {
          value: '2022-04-30',
          precision: 'day',
          qualifier: 'exact',
          earliest: '2022-04-30',
          latest: '2022-04-30',
          text: '30 April 2022',
        },
      });
    });

    it('accepts strings that look like Cypher and gives them back literally', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const injection = '"}) MATCH (n) DETACH DELETE n //';
      const sqlish = "' OR 1=1 --";
      const actor = await createEntity(key, {
        kind: 'ACTOR',
        type: 'group',
        name: `${injection} ${uniq()}`,
        aliases: [{ value: sqlish, lang: 'en' }],
        description: "MATCH (n) SET n.name = 'x' RETURN n",
        identifiers: [{ scheme: 'other', value: `${injection}\`` }],
      });
      expect(String(actor.name).startsWith(injection)).toBe(true);
      expect(actor.aliases).toEqual([{ value: sqlish, lang: 'en' }]);
      expect(actor.description).toBe("MATCH (n) SET n.name = 'x' RETURN n");
      expect(actor.identifiers).toEqual([{ scheme: 'other', value: `${injection}\`` }]);
      const text = `Statement ${uniq()}: ${injection} and then ${sqlish} were typed into a form.`;
      const source = (await ok(IngestSourceDocument, { input: { text, title: sqlish, language: 'en' } }, key))
        .ingestSource.source;
      expect(source.text).toBe(text);
      expect(source.title).toBe(sqlish);
      const claim = (
        await ok(
          RecordClaimDocument,
          {
            input: {
              subjectId: actor.id,
              summary: sqlish,
              sourceId: source.id,
              excerpts: [{ quote: injection }, { quote: sqlish }],
            },
          },
          key,
        )
      ).recordClaim;
      expect(claim.summary).toBe(sqlish);
      expect(claim.excerpts.map((e) => e.exact).sort()).toEqual([injection, sqlish].sort());
      // Nothing was deleted: the sample graph is intact.
      const sample = await ok(NodeIdDocument, { id: 'ev-amnesty-releases-2022' }, key);
      expect(sample.node).toEqual({ id: 'ev-amnesty-releases-2022' });
      const read = await ok(WrittenNodeDocument, { id: actor.id }, key);
      expect(read.node).toMatchObject({ name: actor.name });
    });
  });

  describe('entities', () => {
    it('creates and updates an entity with optimistic concurrency, auditing only what changed', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const u = uniq();
      const created = await createEntity(key, {
        kind: 'EVENT',
        type: 'amnesty_decree',
        name: `Decree ${u}`,
        lang: 'en',
        aliases: [{ value: `مرسوم ${u}`, lang: 'ar' }],
        description: 'An amnesty.',
        identifiers: [{ scheme: 'wikidata', value: `Q${u}` }],
        sensitivity: 'public',
        date: { value: '2022-04-30', precision: 'day' },
      });
      expect(String(created.id)).toMatch(/^ev-[0-9a-f-]{36}$/);
      expect(created).toMatchObject({
        version: 1,
        type: 'amnesty_decree',
        date: { value: '2022-04-30', earliest: '2022-04-30', latest: '2022-04-30', qualifier: 'exact' },
      });
      const updated = (
        await ok(
          UpdateEntityDocument,
          {
            id: created.id,
            version: 1,
            patch: {
              name: `Legislative Decree ${u}`,
              description: null,
              type: 'amnesty_decree',
              endDate: { value: '2022-05', precision: 'month' },
            },
          },
          key,
        )
      ).updateEntity;
      expect(updated).toMatchObject({
        version: 2,
        name: `Legislative Decree ${u}`,
        description: null,
        aliases: [{ value: `مرسوم ${u}`, lang: 'ar' }],
        endDate: { value: '2022-05', earliest: '2022-05-01', latest: '2022-05-31' },
      });
      const p = await props(String(created.id));
      expect(p.names).toEqual([`Legislative Decree ${u}`, `مرسوم ${u}`]);
      expect(p.description).toBeUndefined();
      expect(p.endDateLatest).toBe('2022-05-31');

      const stale = await fail(
        UpdateEntityDocument,
        { id: created.id, version: 1, patch: { name: 'stale' } },
        key.headers,
      );
      expect(stale.extensions).toMatchObject({
        code: 'VERSION_CONFLICT',
        currentVersion: 2,
        inputPath: ['version'],
      });

      const log = await audits(key.keyId);
      expect(log.map((a) => a.operation)).toEqual(['createEntity', 'updateEntity']);
      const [change] = JSON.parse(String(log[1]!.changesJson));
      expect(change).toEqual({
        id: created.id,
        before: { name: `Decree ${u}`, description: 'An amnesty.', endDate: null, version: 1 },
        after: {
          name: `Legislative Decree ${u}`,
          description: null,
          endDate: {
            value: '2022-05',
            precision: 'month',
            qualifier: 'exact',
            earliest: '2022-05-01',
            latest: '2022-05-31',
            text: null,
          },
          version: 2,
        },
      });
    });

    it('lets exactly one of two concurrent updates with the same version win', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const entity = await createEntity(key, { kind: 'PLACE', type: 'city', name: `Contested ${uniq()}` });
      const names = ['Winner A', 'Winner B'];
      const results = await Promise.all(
        names.map((name) =>
          app.graphql(UpdateEntityDocument, { id: entity.id, version: 1, patch: { name } }, key.headers),
        ),
      );
      const wins = results.filter((r) => !r.errors);
      const losses = results.filter((r) => r.errors);
      expect(wins).toHaveLength(1);
      expect(losses).toHaveLength(1);
      expect(losses[0]!.errors![0]!.extensions).toMatchObject({
        code: 'VERSION_CONFLICT',
        currentVersion: 2,
      });
      const winner = wins[0]!.data!.updateEntity;
      const now = await ok(WrittenNodeDocument, { id: entity.id }, key);
      expect(now.node).toMatchObject({ version: 2, name: winner.name });
      expect(names).toContain(winner.name);

      // Many at once: still one winner, no lost update, one audit record per success.
      const many = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          app.graphql(
            UpdateEntityDocument,
            { id: entity.id, version: 2, patch: { name: `Round two ${i}` } },
            key.headers,
          ),
        ),
      );
      expect(many.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of many.filter((x) => x.errors)) {
        expect(r.errors![0]!.extensions!.code).toBe('VERSION_CONFLICT');
      }
      const final = await ok(WrittenNodeDocument, { id: entity.id }, key);
      expect(final.node).toMatchObject({
        version: 3,
        name: many.find((r) => !r.errors)!.data!.updateEntity.name,
      });
      expect((await audits(key.keyId)).map((a) => a.operation)).toEqual([
        'createEntity',
        'updateEntity',
        'updateEntity',
      ]);
    });
  });

  describe('links, status and sensitivity', () => {
    it('links entities citing claims, and extends the same link with more claims', async () => {
      const w = await world(setup);
      const statement = (summary: string, quote: string) =>
        ok(
          RecordClaimDocument,
          { input: { subjectId: w.eventId, summary, sourceId: w.sourceId, excerpts: [{ quote }] } },
          setup,
        ).then((r) => r.recordClaim.id);
      const c1 = await statement('The monitor witnessed it.', '𝕏 posted');
      const c2 = await statement('It was witnessed again.', 'Nearly 1,168 again');
      const input = {
        type: 'INVOLVED_IN',
        fromId: w.actorId,
        toId: w.eventId,
        role: 'witness',
        claimIds: [c1],
      };
      const first = (await ok(LinkEntitiesDocument, { input }, setup)).linkEntities;
      const relId = `rel-involved_in-${w.actorId}-${w.eventId}-witness`;
      expect(first).toEqual({
        id: relId,
        type: 'INVOLVED_IN',
        role: 'witness',
        from: { id: w.actorId },
        to: { id: w.eventId },
        claims: [{ id: c1 }],
      });
      const second = (await ok(LinkEntitiesDocument, { input: { ...input, claimIds: [c2] } }, setup))
        .linkEntities;
      expect(second.claims.map((c) => c.id).sort()).toEqual([c1, c2].sort());
      const rels = await app.db.executor.read(relationsWithId, { id: relId, from: w.actorId, to: w.eventId });
      expect(rels).toHaveLength(1);
      const ev = await ok(EventInvolvementsDocument, { id: w.eventId }, setup);
      expect(ev.node).toEqual({ involvements: [{ id: relId, role: 'witness', from: { id: w.actorId } }] });
    });

    it('loses no claim when many writers extend one relationship at once', async () => {
      const w = await world(setup);
      const quotes = [
        '𝕏 posted',
        '«المعتقلين»',
        'ريف دمشق',
        'Nearly 1,168 detainees',
        'Nearly 1,168 again',
        'Others said',
      ];
      const results = await Promise.all(
        quotes.map((quote, i) =>
          app.graphql(
            RecordClaimDocument,
            {
              input: {
                subjectId: w.eventId,
                summary: `Occurred there (${i}).`,
                sourceId: w.sourceId,
                excerpts: [{ quote }],
                relation: { type: 'OCCURRED_IN', objectId: w.placeId },
              },
            },
            setup.headers,
          ),
        ),
      );
      for (const r of results) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const claimIds = results.map((r) => r.data!.recordClaim.id).sort();
      const relId = `rel-occurred_in-${w.eventId}-${w.placeId}`;
      const rels = await app.db.executor.read(relationsWithId, { id: relId, from: w.eventId, to: w.placeId });
      expect(rels).toHaveLength(1);
      expect(rels[0]!.p).toEqual({ id: relId, claimIds });

      // Links citing those claims, all at once, to one existing relationship.
      const link = (claimId: string) =>
        ok(
          LinkEntitiesDocument,
          {
            input: {
              type: 'INVOLVED_IN',
              fromId: w.actorId,
              toId: w.eventId,
              role: 'witness',
              claimIds: [claimId],
            },
          },
          setup,
        );
      await link(claimIds[0]!);
      const links = await Promise.all(
        claimIds.slice(1).map((claimId) =>
          app.graphql(
            LinkEntitiesDocument,
            {
              input: {
                type: 'INVOLVED_IN',
                fromId: w.actorId,
                toId: w.eventId,
                role: 'witness',
                claimIds: [claimId],
              },
            },
            setup.headers,
          ),
        ),
      );
      for (const r of links) expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const linkId = `rel-involved_in-${w.actorId}-${w.eventId}-witness`;
      const linked = await app.db.executor.read(relationsWithId, {
        id: linkId,
        from: w.actorId,
        to: w.eventId,
      });
      expect(linked).toHaveLength(1);
      expect(linked[0]!.p).toEqual({ id: linkId, role: 'witness', claimIds });
    });

    it('disputes and retracts claims with a reason, never deleting them', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const w = await world(key);
      const claim = (
        await ok(
          RecordClaimDocument,
          {
            input: {
              subjectId: w.eventId,
              summary: 'Doubtful.',
              sourceId: w.sourceId,
              excerpts: [{ quote: 'Others said' }],
            },
          },
          key,
        )
      ).recordClaim.id;
      expect(
        (await ok(DisputeClaimDocument, { id: claim, reason: '  Numbers differ.  ' }, key)).disputeClaim,
      ).toEqual({ id: claim, status: 'disputed' });
      let p = await props(claim);
      expect(p).toMatchObject({ status: 'disputed', statusReason: 'Numbers differ.', version: 2 });
      expect(String(p.statusChangedBy)).toContain(key.name);
      expect(p.statusChangedAt).toBeTruthy();
      expect(
        (await fail(DisputeClaimDocument, { id: claim, reason: 'again' }, key.headers)).extensions,
      ).toMatchObject({
        code: 'CONFLICT',
      });

      expect(
        (await ok(RetractClaimDocument, { id: claim, reason: 'Source withdrew it.' }, key)).retractClaim,
      ).toEqual({ id: claim, status: 'retracted' });
      p = await props(claim);
      expect(p).toMatchObject({ status: 'retracted', statusReason: 'Source withdrew it.', version: 3 });
      for (const doc of [RetractClaimDocument, DisputeClaimDocument]) {
        const again = await fail(doc, { id: claim, reason: 'once more' }, key.headers);
        expect(again.extensions).toMatchObject({ code: 'CONFLICT', inputPath: ['id'] });
      }
      const still = await ok(WrittenNodeDocument, { id: claim }, key);
      expect(still.node).toMatchObject({ id: claim, status: 'retracted' });

      // A retracted claim cannot back a link.
      const link = await fail(
        LinkEntitiesDocument,
        { input: { type: 'OCCURRED_IN', fromId: w.eventId, toId: w.placeId, claimIds: [claim] } },
        key.headers,
      );
      expect(link.extensions).toMatchObject({ code: 'BAD_USER_INPUT', inputPath: ['input', 'claimIds', 0] });

      const log = await audits(key.keyId);
      const statusOps = log.filter((a) => ['disputeClaim', 'retractClaim'].includes(String(a.operation)));
      expect(statusOps.map((a) => a.operation)).toEqual(['disputeClaim', 'retractClaim']);
      const [retraction] = JSON.parse(String(statusOps[1]!.changesJson));
      expect(retraction).toMatchObject({
        id: claim,
        before: { status: 'disputed', statusReason: 'Numbers differ.', version: 2 },
        after: { status: 'retracted', statusReason: 'Source withdrew it.', version: 3 },
      });
    });

    it('sets sensitivity; only admins set or lift confidential', async () => {
      const analyst = await keyHeaders(app.db, 'analyst');
      const admin = await keyHeaders(app.db, 'admin');
      const entity = await createEntity(analyst, {
        kind: 'ACTOR',
        type: 'person',
        name: `Witness ${uniq()}`,
      });
      const set = (s: string, key: Key) =>
        app.graphql(SetSensitivityDocument, { id: entity.id, s }, key.headers);
      expect((await set('restricted', analyst)).data!.setSensitivity).toEqual({
        id: entity.id,
        sensitivity: 'restricted',
      });
      const denied = await set('confidential', analyst);
      expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await props(String(entity.id))).sensitivity).toBe('restricted');
      expect((await set('confidential', admin)).data!.setSensitivity).toEqual({
        id: entity.id,
        sensitivity: 'confidential',
      });
      const lift = await set('public', analyst);
      expect(lift.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', inputPath: ['id'] });
      expect((await set('public', admin)).data!.setSensitivity).toMatchObject({ sensitivity: 'public' });
      expect(await props(String(entity.id))).toMatchObject({ sensitivity: 'public', version: 4 });
      // Confidential claims need an admin from the start.
      const createConfidential = await app.graphql(
        CreateEntityDocument,
        { input: { kind: 'ACTOR', type: 'person', name: 'Secret', sensitivity: 'confidential' } },
        analyst.headers,
      );
      expect(createConfidential.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await audits(analyst.keyId)).map((a) => a.operation)).toEqual([
        'createEntity',
        'setSensitivity',
      ]);
    });
  });

  describe('idempotency and the audit trail', () => {
    it('replays a request with the same idempotency key and refuses the key for another request', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const name = `Once ${uniq()}`;
      const vars = { input: { kind: 'ACTOR', type: 'group', name }, key: `idem-${uniq()}-entity` };
      const first = (await ok(CreateEntityDocument, vars, key)).createEntity;
      const second = (await ok(CreateEntityDocument, vars, key)).createEntity;
      expect(second).toEqual(first);
      expect(await countOf(app.db.executor, entitiesNamed, { name })).toBe(1);
      expect(await audits(key.keyId)).toHaveLength(1);

      const other = await fail(
        CreateEntityDocument,
        { ...vars, input: { ...vars.input, name: `${name} 2` } },
        key.headers,
      );
      expect(other.extensions).toMatchObject({ code: 'CONFLICT', inputPath: ['idempotencyKey'] });
      expect(await countOf(app.db.executor, entitiesNamed, { name: `${name} 2` })).toBe(0);

      // Claims too: one claim, one audit record.
      const w = await world(key);
      const summary = `Once recorded ${uniq()}`;
      const claimVars = {
        input: { subjectId: w.eventId, summary, sourceId: w.sourceId, excerpts: [{ quote: 'Others said' }] },
        key: `idem-${uniq()}-claim`,
      };
      const c1 = (await ok(RecordClaimDocument, claimVars, key)).recordClaim;
      const c2 = (await ok(RecordClaimDocument, claimVars, key)).recordClaim;
      expect(c2.id).toBe(c1.id);
      expect(await countOf(app.db.executor, claimsWithSummary, { summary })).toBe(1);
      expect((await audits(key.keyId)).filter((a) => a.operation === 'recordClaim')).toHaveLength(1);
    });

    it('appends exactly one audit record per successful mutation', async () => {
      const key = await keyHeaders(app.db, 'analyst');
      const u = uniq();
      const actorInput = { kind: 'ACTOR', type: 'organization', name: `Auditor ${u}` };
      const actorRes = await app.graphql(CreateEntityDocument, { input: actorInput }, key.headers);
      const actor = actorRes.data!.createEntity;
      const event = await createEntity(key, { kind: 'EVENT', type: 'statement', name: `Said ${u}` });
      const text = `Audit ${u}: the statement was made in public.`;
      const source = (await ok(IngestSourceDocument, { input: { text, title: 'a', language: 'en' } }, key))
        .ingestSource.source;
      const claim = (
        await ok(
          RecordClaimDocument,
          {
            input: {
              subjectId: actor.id,
              summary: 'The monitor made a statement.',
              sourceId: source.id,
              excerpts: [{ quote: 'the statement was made' }],
              relation: { type: 'INVOLVED_IN', objectId: event.id, role: 'issuer' },
            },
          },
          key,
        )
      ).recordClaim;
      const updated = (
        await ok(UpdateEntityDocument, { id: event.id, version: 1, patch: { description: 'd' } }, key)
      ).updateEntity;
      const link = (
        await ok(
          LinkEntitiesDocument,
          {
            input: {
              type: 'INVOLVED_IN',
              fromId: actor.id,
              toId: event.id,
              role: 'reporter',
              claimIds: [claim.id],
            },
          },
          key,
        )
      ).linkEntities;
      await ok(SetSensitivityDocument, { id: source.id, s: 'restricted' }, key);
      await ok(DisputeClaimDocument, { id: claim.id, reason: 'r' }, key);
      await ok(RetractClaimDocument, { id: claim.id, reason: 'r' }, key);

      const log = await audits(key.keyId);
      expect(log.map((a) => a.operation)).toEqual([
        'createEntity',
        'createEntity',
        'ingestSource',
        'recordClaim',
        'updateEntity',
        'linkEntities',
        'setSensitivity',
        'disputeClaim',
        'retractClaim',
      ]);
      const affected = [
        actor.id,
        event.id,
        source.id,
        claim.id,
        updated.id,
        link.id,
        source.id,
        claim.id,
        claim.id,
      ];
      log.forEach((a, i) => {
        expect(String(a.actor)).toContain(key.name);
        expect(String(a.actor)).toContain(key.keyId);
        expect(String(a.inputDigest)).toMatch(/^[0-9a-f]{64}$/);
        expect(a.affectedIds as string[]).toContain(affected[i]);
        expect(a.requestId).toBeTruthy();
        const changes = JSON.parse(String(a.changesJson)) as Json[];
        expect(changes.length, String(a.operation)).toBeGreaterThan(0);
        for (const ch of changes) expect(Object.keys(ch).sort()).toEqual(['after', 'before', 'id']);
      });
      expect(log[0]!.inputDigest).toBe(digestOf(actorInput));
      expect(log[0]!.requestId).toBe(actorRes.headers.get('x-request-id'));
      const recorded = JSON.parse(String(log[3]!.changesJson)) as Json[];
      expect(recorded.map((c) => c.id)).toEqual(
        expect.arrayContaining([claim.id, `rel-involved_in-${actor.id}-${event.id}-issuer`]),
      );
      const sens = JSON.parse(String(log[6]!.changesJson));
      expect(sens).toEqual([
        {
          id: source.id,
          before: { sensitivity: 'public', version: 1 },
          after: { sensitivity: 'restricted', version: 2 },
        },
      ]);
    });
  });
});
