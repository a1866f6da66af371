import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleError, resolveBundle } from '../../src/io/bundle/resolve.js';
import { noFiles, sortProblems } from '../../src/io/import/common.js';
import { ftmDate, ftmToBundle } from '../../src/io/import/ftm.js';
import { sha256 } from '../../src/model/text.js';

/**
 * FollowTheMoney NDJSON → hrkg-bundle/1, without a database: what the converter makes of the fixtures
 * (test/fixtures/ftm-*.ndjson) and of a few lines of our own, and that the bundle loader accepts it.
 */

const U = 'u7';
const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '../fixtures', name), 'utf8').replaceAll('__U__', U);

function convert(text: string, file = 'entities.ndjson') {
  const progress: [number, number][] = [];
  const plan = ftmToBundle(text, {
    file: `/data/${file}`,
    sha256: sha256(text),
    recordedBy: 'unit test',
    recordedAt: '2026-01-01T00:00:00Z',
    onProgress: (done, total) => progress.push([done, total]),
  });
  return { ...plan, progress };
}

/** The problems a whole import reports: the converter's and the loader's (restated by line), in line order. */
async function importProblems(text: string) {
  const plan = convert(text);
  const loader = await resolveBundle(plan.doc, noFiles).then(
    () => [],
    (err: unknown) => {
      if (!(err instanceof BundleError)) throw err;
      return err.problems.map((p) => plan.lines.toLine(p));
    },
  );
  return sortProblems([...plan.problems, ...loader]);
}

const line = (o: unknown) => JSON.stringify(o);

describe('FollowTheMoney import (conversion)', () => {
  const text = fixture('ftm-entities.ndjson');
  const lines = text.split('\n');
  const plan = convert(text);
  const { doc } = plan;
  const claim = (slot: string) => doc.claims!.find((c) => c.slot === slot)!;

  it('turns persons, public bodies and organisations into actors with aliases and identifiers', () => {
    expect(plan.problems).toEqual([]);
    expect(plan.records).toBe(10);
    expect(plan.progress.at(-1)).toEqual([10, 10]);
    const [person, body, org] = doc.actors!;
    expect(person).toMatchObject({
      id: `ac-ftm-person-${U}-ahmad`,
      type: 'person',
      name: `Ahmad Test ${U}`,
      aliases: [{ value: `أحمد ${U}`, lang: 'ar' }],
      identifiers: [
        { scheme: 'ftm', value: `person-${U}-ahmad` },
        { scheme: 'wikidata', value: `Q${U}` },
      ],
    });
    // An FtM id with dots keeps a readable slug and a hash, so that two such ids never meet.
    expect(body!.id).toMatch(new RegExp(`^ac-ftm-pb-${U}-afi-[0-9a-f]{10}$`));
    expect(body).toMatchObject({ type: 'public_body', description: 'A regime security branch.' });
    expect(org).toMatchObject({ id: `ac-ftm-org-${U}-monitor`, type: 'organization' });
  });

  it('makes an address a place, and a country code one country place for every mention', () => {
    expect(doc.places).toEqual([
      expect.objectContaining({
        id: `pl-ftm-address-${U}-prison`,
        type: 'area',
        name: `Roumieh prison ${U}`,
      }),
      {
        id: 'pl-ftm-country-lb',
        type: 'country',
        name: 'Lebanon',
        lang: 'en',
        identifiers: [{ scheme: 'iso3166', value: 'LB' }],
      },
    ]);
    const located = doc.claims!.filter((c) => c.relation?.object === 'pl-ftm-country-lb');
    expect(located.map((c) => [c.subject, c.relation!.type])).toEqual([
      [`ac-ftm-person-${U}-ahmad`, 'LOCATED_IN'],
      [doc.actors![1]!.id, 'LOCATED_IN'],
      [`ev-ftm-event-${U}-raid`, 'OCCURRED_IN'],
      [`pl-ftm-address-${U}-prison`, 'PART_OF'],
    ]);
  });

  it('dates events at the precision the file gives, keeping a time of day in the wording only', () => {
    expect(doc.events).toEqual([
      expect.objectContaining({
        id: `ev-ftm-event-${U}-raid`,
        type: 'other',
        date: { precision: 'month', value: '2022-05', qualifier: 'exact', text: null },
        endDate: { precision: 'day', value: '2022-06-03', qualifier: 'exact', text: '2022-06-03T10:00:00' },
      }),
    ]);
    expect(claim(`cl-ftm-event-${U}-raid--end-date`).attribute).toEqual({
      property: 'endDate',
      value: doc.events![0]!.endDate,
    });
  });

  it('turns links into relation claims by the kinds of their ends, and unknown actor links into statements', () => {
    const event = `ev-ftm-event-${U}-raid`;
    const person = `ac-ftm-person-${U}-ahmad`;
    expect(claim(`cl-ftm-link-${U}-1`)).toMatchObject({
      subject: event,
      relation: { type: 'OCCURRED_IN', object: `pl-ftm-address-${U}-prison`, role: null },
    });
    expect(claim(`cl-ftm-link-${U}-2`)).toMatchObject({
      subject: person,
      relation: { type: 'INVOLVED_IN', object: event, role: 'victim' },
    });
    expect(claim(`cl-ftm-member-${U}-1`)).toMatchObject({
      subject: person,
      relation: { type: 'MEMBER_OF', object: `ac-ftm-org-${U}-monitor` },
      summary: `Ahmad Test ${U} is a member of Monitor ${U} as researcher (2019 to ?) (FtM Membership member-${U}-1).`,
    });
    // "detained by" names no relation type: two actors so linked make a statement claim.
    const statement = claim(`cl-ftm-link-${U}-3`);
    expect(statement.relation).toBeUndefined();
    expect(statement.summary).toContain('(detained by)');
    // The event's organizer and involved actors are involvements too.
    expect(claim(`cl-ftm-event-${U}-raid--organizer-1`).relation).toEqual({
      type: 'INVOLVED_IN',
      object: event,
      role: 'implementer',
    });
  });

  it('has every claim quote its own line, exactly, at code-point offsets of the file stored as the source', () => {
    const evidence = doc.sources![0]!;
    expect(evidence).toMatchObject({ id: `src-${sha256(text).slice(0, 16)}`, text, sha256: sha256(text) });
    expect(evidence.title).toBe('FollowTheMoney file entities.ndjson');
    const points = Array.from(text);
    doc.claims!.forEach((c, i) => {
      expect(c.source).toBe(evidence.id);
      const [q] = c.quotes as { exact: string; start: number; end: number }[];
      expect(points.slice(q!.start, q!.end).join('')).toBe(q!.exact);
      // The line the import reports a problem of this claim on is the line it quotes.
      const at = plan.lines.toLine({ path: `claims[${i}].summary`, message: 'x' }).path;
      expect(q!.exact).toBe(lines[Number(at.replace('line ', '')) - 1]);
    });
    // A character outside the BMP before a line counts once: line 2 starts at code point 63, UTF-16 unit 64.
    const emoji = [
      line({ id: 'e', schema: 'Person', properties: { name: ['Emoji 🙂'] } }),
      line({ id: 'f', schema: 'Person', properties: { name: ['F'] } }),
    ];
    const f = convert(emoji.join('\n')).doc.claims!.find((c) => c.slot === 'cl-ftm-f--name')!;
    expect(emoji[0]!.length).toBe(63);
    expect(f.quotes).toEqual([{ exact: emoji[1], start: 63, end: 63 + emoji[1]!.length }]);
  });

  it('gives the article its own source, and the loader accepts the whole bundle', async () => {
    expect(doc.sources![1]).toMatchObject({
      id: `src-ftm-article-${U}`,
      text: `Security forces raided Arsal in May 2022. ${U}`,
      language: 'en',
      url: `https://example.org/raid-${U}`,
      published: { precision: 'day', value: '2022-06-10', qualifier: 'exact' },
    });
    const resolved = await resolveBundle(doc, noFiles);
    expect(resolved.entities).toHaveLength(6);
    expect(resolved.claims).toHaveLength(doc.claims!.length);
    // One excerpt per quoted line (claims from the same line share it).
    expect(resolved.excerpts).toHaveLength(9);
    expect(resolved.relations.find((r) => r.type === 'INVOLVED_IN' && r.role === 'victim')).toMatchObject({
      fromId: `ac-ftm-person-${U}-ahmad`,
      toId: `ev-ftm-event-${U}-raid`,
      claimIds: [claim(`cl-ftm-link-${U}-2`).id],
    });
  });
});

describe('FollowTheMoney import (problems)', () => {
  it('reports only broken lines as problems; skips, counted, what it does not map or cannot reach', async () => {
    const text = fixture('ftm-invalid.ndjson');
    const plan = convert(text);
    const byLine = sortProblems(plan.problems);
    expect(byLine.map((p) => p.path)).toEqual(['line 2', 'line 3', 'line 5']);
    const message = Object.fromEntries(byLine.map((p) => [p.path, p.message]));
    expect(message['line 2']).toMatch(/^not valid JSON/);
    expect(message['line 3']).toBe(`Person person-${U}-noname has no name`);
    expect(message['line 5']).toBe('date: 2022-02-30: value 2022-02-30 is not a real calendar day');
    // A schema we do not map, a link to an entity not in the file and a document without its text are
    // not broken lines: they are left out and reported, counted.
    expect(plan.skipped).toEqual([
      { what: 'schema Vessel', count: 1, reason: expect.stringMatching(/no record for a Vessel/) },
      {
        what: 'Document without bodyText',
        count: 1,
        reason: expect.stringMatching(/^a source needs its text/),
      },
      {
        what: 'reference UnknownLink.object',
        count: 1,
        reason: 'names an entity that is not in the file: the link is skipped',
      },
    ]);
    // Entities read, mapped or not (the line that is no JSON is none).
    expect(plan.records).toBe(6);
    expect(plan.doc.actors!.map((a) => a.id)).toEqual([`ac-ftm-person-${U}-ok`]);
  });

  it("keeps an Article's retrievedAt (a date and time, UTC as FtM writes it) as the source's, and leaves a bare day out", () => {
    const article = (id: string, retrievedAt: string) =>
      line({
        id,
        schema: 'Article',
        properties: { title: [`Report ${id}`], bodyText: [`Text of ${id}.`], retrievedAt: [retrievedAt] },
      });
    const plan = convert([article('a1', '2022-05-03T10:00:00'), article('a2', '2022-05-03')].join('\n'));
    expect(plan.problems).toEqual([]);
    expect(plan.skipped ?? []).not.toContainEqual(
      expect.objectContaining({ what: 'property Article.retrievedAt' }),
    );
    const retrieved = Object.fromEntries((plan.doc.sources ?? []).map((s) => [s.title, s.retrievedAt]));
    expect(retrieved).toMatchObject({ 'Report a1': '2022-05-03T10:00:00Z', 'Report a2': null });
  });

  it('counts blank lines and CRLF line breaks, and names both lines of a repeated id', () => {
    const text = [
      line({ id: 'a', schema: 'Person', properties: { name: ['A'] } }),
      '',
      line({ id: 'a', schema: 'Person', properties: { name: ['A again'] } }),
      line({ id: 'A', schema: 'Person', properties: { name: ['A upper'] } }),
      line({ id: 'b', schema: 'Person', properties: { name: [1] } }),
      '[1]',
    ].join('\r\n');
    const plan = convert(text);
    expect(plan.problems).toEqual([
      { path: 'line 3', message: 'id a also on line 1: merge the fragments of an entity first' },
      { path: 'line 5', message: 'properties.name must be an array of strings' },
      { path: 'line 6', message: 'not a JSON object' },
    ]);
    // FtM ids are case-sensitive: A and a are two entities, each keeping its exact id as an identifier.
    expect(plan.doc.actors!.map((a) => [a.id, a.identifiers])).toEqual([
      ['ac-ftm-a', [{ scheme: 'ftm', value: 'a' }]],
      [`ac-ftm-a-${sha256('A').slice(0, 10)}`, [{ scheme: 'ftm', value: 'A' }]],
    ]);
  });

  it('reports bad country codes; skips references to the wrong kind and links no relation type fits', () => {
    const text = [
      line({ id: 'p', schema: 'Person', properties: { name: ['P'], country: ['Lebanon'] } }),
      line({ id: 'e', schema: 'Event', properties: { name: ['E'], organizer: ['x'] } }),
      line({ id: 'x', schema: 'Address', properties: { full: ['X street'] } }),
      line({
        id: 'l',
        schema: 'UnknownLink',
        properties: { subject: ['x'], object: ['p'], role: ['member of'] },
      }),
      line({ id: 'm', schema: 'Membership', properties: { member: ['p'] } }),
    ].join('\n');
    const plan = convert(text);
    expect(plan.problems).toEqual([{ path: 'line 1', message: 'country: "Lebanon" is not a country code' }]);
    expect(plan.skipped).toEqual([
      {
        what: 'reference Event.organizer',
        count: 1,
        reason: 'names a Address, which cannot be the organizer of a Event: skipped',
      },
      {
        what: 'link UnknownLink',
        count: 1,
        reason: 'its role "member of" names MEMBER_OF, which does not join Place and Actor: skipped',
      },
      {
        what: 'Membership without member and organization',
        count: 1,
        reason: 'a link needs both ends: skipped',
      },
    ]);
  });

  it('restates what only the loader finds by the line it comes from', async () => {
    const text = [
      line({ id: 'ok', schema: 'Person', properties: { name: ['Fine'] } }),
      line({ id: 'long', schema: 'Person', properties: { name: ['Long'], wikidataId: ['Q'.repeat(600)] } }),
    ].join('\n');
    const problems = await importProblems(text);
    expect(problems).toEqual([
      { path: 'line 2', message: expect.stringMatching(/^identifiers\[1\]\.value: /) },
    ]);
  });
});

describe('ftmDate', () => {
  it('keeps the precision of an ISO prefix and the wording of a time of day', () => {
    expect(ftmDate('2022')).toEqual({
      date: { precision: 'year', value: '2022', qualifier: 'exact', text: null },
    });
    expect(ftmDate('2022-05').date).toMatchObject({ precision: 'month', value: '2022-05' });
    expect(ftmDate(' 2022-05-03 ').date).toMatchObject({ precision: 'day', value: '2022-05-03', text: null });
    expect(ftmDate('2022-05-03T10:00:00+02:00').date).toMatchObject({
      precision: 'day',
      value: '2022-05-03',
      text: '2022-05-03T10:00:00+02:00',
    });
  });

  it('refuses what is not an ISO date or not a real day', () => {
    expect(ftmDate('May 2022')).toEqual({
      problem: '"May 2022" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)',
    });
    expect(ftmDate('2022-02-30').problem).toBe('2022-02-30: value 2022-02-30 is not a real calendar day');
    expect(ftmDate('2022-13').problem).toMatch(/month 13/);
  });
});
