import { describe, expect, it } from 'vitest';
import {
  actorEntity,
  claimEntities,
  outletEntity,
  publisherEntity,
  relationEntities,
  sourceEntity,
  Written,
  type FtmEntity,
} from '../../src/io/export/ftm.js';
import { derivedId, FTM_ID, ftmId, ftmLanguage, makeId } from '../../src/io/export/ftm-values.js';
import type { ExportClaim, ExportRelation, ExportSource } from '../../src/model/export-records.js';

/**
 * FtM ids Aleph takes as they are (issue #16 item 1): letters, digits and inner `-` only (no `_`, no `.`,
 * FtM's namespace separator), derived ids hashed as followthemoney's make_id hashes, the same graph giving
 * the same ids, and no two records sharing one. The library itself judges the export in
 * test/integration/interop-ftm-export.test.ts; these pin the rules without a database.
 */

const source = (id: string, language = 'en'): ExportSource => ({
  id,
  title: `Title of ${id}`,
  text: 'text',
  sha256: 'a'.repeat(64),
  language,
  url: null,
  retrievedAt: null,
  published: null,
  reliability: 'unknown',
  notes: null,
  publisher: null,
});

const claim = (id: string, subjectId: string, sourceIds: string[]): ExportClaim => ({
  id,
  kind: 'fact',
  fact: null,
  summary: `summary of ${id}`,
  subjectId,
  subjectKind: 'Actor',
  property: 'description',
  role: null,
  objectId: null,
  status: 'reported',
  confidence: null,
  recordedBy: 't',
  recordedAt: '2026-11-25T10:00:00Z',
  position: null,
  periodStart: null,
  periodEnd: null,
  excerpts: sourceIds.map((s, i) => ({ id: `ex-${i}`, exact: `words in ${s}`, sourceId: s })),
  attribution: [],
});

const relation = (over: Partial<ExportRelation>): ExportRelation => ({
  id: 'rel-involved_in-ac-a-ev-b-victim',
  type: 'INVOLVED_IN',
  role: 'victim',
  fromId: 'ac-a',
  fromKind: 'Actor',
  toId: 'ev-b',
  toKind: 'Event',
  toType: 'arrest',
  claimIds: ['cl-1'],
  summaries: ['a summary'],
  toDate: null,
  toEndDate: null,
  position: null,
  periodStart: null,
  periodEnd: null,
  ...over,
});

function written(...entities: [string, string][]): Written {
  const w = new Written();
  for (const [id, schema] of entities) w.add({ id: ftmId(id), schema, properties: {} });
  return w;
}

const asList = (x: FtmEntity[] | { reason: string }) => {
  if (!Array.isArray(x)) throw new Error(x.reason);
  return x;
};

describe('FtM ids', () => {
  it('keeps a record id FtM takes as it is and hashes any other, deterministically', () => {
    for (const id of ['ac-sohr', 'src-sohr-amnesty-2022', 'cl-f10-president-issued-decree', 'ac-a--b'])
      expect(ftmId(id)).toBe(id);
    const odd = ['ac-trailing-', 'rel-involved_in-ac-a-ev-b', 'src-x.publisher', `ac-${'x'.repeat(160)}`];
    for (const id of odd) {
      expect(ftmId(id)).toMatch(/^[0-9a-f]{40}$/);
      expect(ftmId(id)).toBe(ftmId(id));
      // Idempotent: an FtM id maps to itself, so lookups take graph and FtM ids alike.
      expect(ftmId(ftmId(id))).toBe(ftmId(id));
    }
    expect(new Set(odd.map(ftmId)).size).toBe(odd.length);
  });

  it("hashes derived ids as followthemoney's make_id does: sha1 of the key, hex", () => {
    // make_id("relationship.rel-involved_in-ac-a-ev-b-victim"), computed with followthemoney 3.8.5.
    expect(derivedId('relationship', 'rel-involved_in-ac-a-ev-b-victim')).toBe(
      'cf25b38d1a02ee684193b05f08a5cdf922bbcea5',
    );
    expect(makeId('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('gives a claim with two sources two Documentation ids that survive signing, both naming the claim', () => {
    const w = written(['src-a', 'Article'], ['src-b', 'Article'], ['ac-x', 'Organization']);
    const docs = asList(claimEntities(claim('cl-1', 'ac-x', ['src-b', 'src-a']), w));
    expect(docs.map((d) => d.properties.document)).toEqual([['src-a'], ['src-b']]);
    expect(docs[0]!.id).toBe('cl-1');
    expect(docs[1]!.id).toBe(derivedId('documentation', 'cl-1', 'src-b'));
    for (const d of docs) {
      expect(d.id).toMatch(FTM_ID);
      expect(d.properties.recordId).toEqual(['cl-1']);
    }
    // Before: "cl-1.src-b", which Aleph's signing cut back to "cl-1": the two became one entity.
    expect(new Set(docs.map((d) => d.id)).size).toBe(2);
    expect(asList(claimEntities(claim('cl-1', 'ac-x', ['src-b', 'src-a']), w))).toEqual(docs);
  });

  it('gives publisher and outlet Documentation ids of their own, never the Article id', () => {
    const ids = [
      sourceEntity(source('src-a')).id,
      publisherEntity('src-a', 'ac-p').id,
      outletEntity('src-a', 'ac-o', 1).id,
      outletEntity('src-a', 'ac-o2', 2).id,
      publisherEntity('src-b', 'ac-p').id,
    ];
    for (const id of ids) expect(id).toMatch(FTM_ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(publisherEntity('src-a', 'ac-p').properties).toEqual({
      document: ['src-a'],
      entity: ['ac-p'],
      role: ['publisher'],
    });
  });

  it('maps references through the same ids, and keeps the graph id of a hashed record', () => {
    const w = written(['ac-odd-', 'Person'], ['ev-b', 'Event']);
    const [link] = asList(relationEntities(relation({ fromId: 'ac-odd-' }), w));
    expect(link!.id).toBe(derivedId('relationship', 'rel-involved_in-ac-a-ev-b-victim'));
    expect(link!.properties).toMatchObject({
      subject: [ftmId('ac-odd-')],
      object: ['ev-b'],
      role: ['victim'],
      recordId: ['rel-involved_in-ac-a-ev-b-victim'],
    });
    const article = sourceEntity(source('src-odd-'));
    expect(article.id).toBe(ftmId('src-odd-'));
    expect(article.properties.notes).toContain('hrkg id: src-odd-');
  });

  it('makes one post per unit and position, compared without case and runs of spaces', () => {
    const w = written(['ac-col', 'Person'], ['ac-dep', 'Person'], ['ac-unit', 'Organization']);
    const cmd = (id: string, fromId: string, position: string | null) =>
      asList(
        relationEntities(
          relation({ id, type: 'COMMANDS', role: null, fromId, toId: 'ac-unit', toKind: 'Actor', position }),
          w,
        ),
      );
    const [post, occupancy] = cmd('rel-commands-ac-col-ac-unit-p1', 'ac-col', 'Head of  Branch');
    expect(post).toMatchObject({ schema: 'Position', properties: { organization: ['ac-unit'] } });
    expect(occupancy).toMatchObject({
      schema: 'Occupancy',
      properties: { holder: ['ac-col'], post: [post!.id] },
    });
    w.add(post!);
    // The same post, written differently: only the occupancy, pointing at the post already written.
    const again = cmd('rel-commands-ac-dep-ac-unit-p1', 'ac-dep', 'head of branch');
    expect(again.map((e) => e.schema)).toEqual(['Occupancy']);
    expect(again[0]!.properties.post).toEqual([post!.id]);
    const [deputy] = cmd('rel-commands-ac-dep-ac-unit-p2', 'ac-dep', 'deputy');
    expect(deputy!.id).not.toBe(post!.id);
    for (const e of [post!, occupancy!, deputy!]) expect(e.id).toMatch(FTM_ID);
  });
});

describe('FtM languages', () => {
  it('writes only languages FtM knows: und is left out, another unknown tag goes into notes', () => {
    expect(ftmLanguage('ar')).toBe('ara');
    expect(ftmLanguage('en-GB')).toBe('eng');
    for (const tag of ['und', 'mul', 'zxx', 'ku']) expect(ftmLanguage(tag)).toBeNull();
    const und = sourceEntity(source('src-u', 'und'));
    expect(und.properties.language).toBeUndefined();
    expect(und.properties.notes!.join(' ')).not.toContain('Language');
    const ku = sourceEntity(source('src-k', 'ku'));
    expect(ku.properties.language).toBeUndefined();
    expect(ku.properties.notes).toContain('Language: ku');
    expect(sourceEntity(source('src-a', 'ar')).properties.language).toEqual(['ara']);
  });
});

describe('FtM names', () => {
  const actor = (name: string) =>
    actorEntity(
      {
        id: 'ac-x',
        type: 'organization',
        name,
        lang: 'en',
        aliases: [],
        description: null,
        identifiers: [],
        locatedIn: [],
        proofSourceIds: [],
      },
      new Written(),
    );

  it('writes a name with nothing visible as its code points, so the entity keeps the name FtM requires', () => {
    expect(actor('\u200b').properties.name).toEqual(['(no visible name: U+200B)']);
    expect(actor('\u200b\u2060\ufeff').properties.name).toEqual(['(no visible name: U+200B U+2060 U+FEFF)']);
    expect(actor('Branch 215 \u200b').properties.name).toEqual(['Branch 215 \u200b']);
  });

  it('leaves out other values with nothing visible, which FtM would drop', () => {
    const e = actor('Branch 215');
    expect(e.properties.description).toBeUndefined();
    const described = actorEntity(
      {
        id: 'ac-y',
        type: 'organization',
        name: 'Branch 227',
        lang: 'en',
        aliases: [{ value: '\u200b', lang: 'ar' }],
        description: '\u200d',
        identifiers: [],
        locatedIn: [],
        proofSourceIds: [],
      },
      new Written(),
    );
    expect(described.properties.alias).toBeUndefined();
    expect(described.properties.description).toBeUndefined();
  });
});
