import { describe, expect, it } from 'vitest';
import { BundleError, resolveBundle } from '../../src/io/bundle/resolve.js';
import { sha256 } from '../../src/model/text.js';

/**
 * The bundle loader's resolution on small documents in memory (no files, no database): quotes located at
 * code-point offsets, ids unique across the bundle, relation types and roles checked against the model,
 * and figure claims keyed and bounded for the conflict rule.
 */

const TEXT =
  'On 🙂 30 April 2022 the decree freed detainees. The decree was welcomed. Nearly 1,168 were released.';

function bundle(claims: Record<string, unknown>[], more: Record<string, unknown> = {}) {
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'curator',
    recordedAt: '2026-01-01T00:00:00Z',
    sources: [
      { id: 'src-a', text: TEXT, sha256: sha256(TEXT), title: 'A', language: 'en', publisher: 'ac-pub' },
    ],
    actors: [
      { id: 'ac-pub', type: 'organization', name: 'Publisher' },
      { id: 'ac-x', type: 'group', name: 'Detainees' },
    ],
    places: [{ id: 'pl-p', type: 'country', name: 'Syria' }],
    events: [{ id: 'ev-e', type: 'amnesty_decree', name: 'Decree' }],
    claims,
    ...more,
  };
}

const claim = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  subject: 'ev-e',
  summary: `Claim ${id}`,
  source: 'src-a',
  quotes: ['freed detainees'],
  ...extra,
});

const resolve = (doc: unknown) => resolveBundle(doc, async (file) => `text of ${file}`);

async function problems(doc: unknown) {
  try {
    await resolve(doc);
  } catch (err) {
    if (err instanceof BundleError) return err.problems;
    throw err;
  }
  throw new Error('the bundle resolved');
}

describe('resolveBundle: evidence', () => {
  it('places quotes at code-point offsets, with their context, one excerpt per span', async () => {
    const rows = await resolve(
      bundle([
        claim('cl-one'),
        claim('cl-two', { quotes: [{ exact: 'freed detainees', start: 30, end: 45 }, 'was welcomed'] }),
      ]),
    );
    // The emoji before the words counts once (UTF-16 puts them at 31).
    expect(TEXT.indexOf('freed detainees')).toBe(31);
    expect(rows.excerpts).toEqual([
      {
        id: 'ex-a-30-45',
        sourceId: 'src-a',
        exact: 'freed detainees',
        start: 30,
        end: 45,
        prefix: 'On 🙂 30 April 2022 the decree ',
        suffix: '. The decree was welcomed. Nearl',
      },
      expect.objectContaining({ id: 'ex-a-58-70', exact: 'was welcomed', start: 58, end: 70 }),
    ]);
    expect(rows.claims.map((c) => c.excerptIds)).toEqual([['ex-a-30-45'], ['ex-a-30-45', 'ex-a-58-70']]);
    expect(rows.sources[0]).toMatchObject({ length: Array.from(TEXT).length, publisherId: 'ac-pub' });
  });

  it('refuses quotes that are ambiguous, absent or not at their offsets, and says where the words are', async () => {
    const doc = bundle([
      claim('cl-q', {
        quotes: [
          'decree',
          'amnesty',
          { exact: 'the decree', start: 0, end: 10 },
          { exact: 'x', start: 1, end: 999 },
        ],
      }),
      claim('cl-r', { source: 'src-none' }),
    ]);
    expect(await problems(doc)).toEqual([
      {
        path: 'claims[0].quotes[0]',
        message: 'found 2 times (at code points 23, 51); quote more words or give offsets (src-a)',
      },
      { path: 'claims[0].quotes[1]', message: 'not found: "amnesty" (src-a)' },
      {
        path: 'claims[0].quotes[2]',
        message:
          'the text at 0-10 is "On 🙂 30 Ap", not the quoted words; they occur at code point(s) 19 (src-a)',
      },
      { path: 'claims[0].quotes[3]', message: 'offsets 1-999 lie outside the text (99 code points) (src-a)' },
      { path: 'claims[1].source', message: 'no source src-none in the bundle' },
    ]);
  });

  it('reads a source text from its file, and refuses one whose text does not match its hash', async () => {
    const fileText = 'text of texts/a.txt';
    const rows = await resolve({
      ...bundle([]),
      sources: [{ id: 'src-f', file: 'texts/a.txt', sha256: sha256(fileText), title: 'F', language: 'en' }],
    });
    expect(rows.sources[0]).toMatchObject({ id: 'src-f', text: fileText, length: fileText.length });
    const wrong = await problems({
      ...bundle([]),
      sources: [{ id: 'src-f', file: 'texts/a.txt', sha256: sha256('other'), title: 'F', language: 'en' }],
    });
    expect(wrong).toEqual([
      {
        path: 'sources[0].sha256',
        message: `the text's sha256 is ${sha256(fileText)}, not ${sha256('other')}`,
      },
    ]);
  });
});

describe('resolveBundle: ids and references', () => {
  it('lists every duplicate id with where it was first given', async () => {
    const doc = bundle([claim('cl-a'), claim('cl-a')], {
      actors: [
        { id: 'ac-pub', type: 'organization', name: 'Publisher' },
        { id: 'ac-pub', type: 'person', name: 'Someone else' },
      ],
    });
    expect(await problems(doc)).toEqual([
      { path: 'actors[1].id', message: 'duplicate id ac-pub (also at actors[0].id)' },
      { path: 'claims[1].id', message: 'duplicate id cl-a (also at claims[0].id)' },
    ]);
  });

  it('refuses a schema error before anything else, with its path', async () => {
    const doc = bundle([claim('CL-BAD', { subject: 'ev-nowhere' })]);
    expect(await problems(doc)).toEqual([
      { path: 'claims[0].id', message: 'an id starting with "cl-", then a-z, 0-9 and -' },
    ]);
  });

  it('checks subjects, attribution and publishers against the entities of the bundle', async () => {
    const doc = bundle([claim('cl-a', { subject: 'ev-nowhere', attributedTo: ['ac-pub', 'ac-gone'] })]);
    (doc.sources[0] as Record<string, unknown>).publisher = 'ac-gone';
    expect(await problems(doc)).toEqual([
      { path: 'sources[0].publisher', message: 'no actor ac-gone in the bundle' },
      { path: 'claims[0].subject', message: 'no entity ev-nowhere in the bundle' },
      { path: 'claims[0].attributedTo[1]', message: 'no actor ac-gone in the bundle' },
    ]);
  });
});

describe('resolveBundle: relations', () => {
  it('makes one relationship of claims that assert the same one, and of links citing it', async () => {
    const involved = { type: 'INVOLVED_IN', object: 'ev-e', role: 'victim' };
    const rows = await resolve(
      bundle(
        [
          claim('cl-a', { subject: 'ac-x', relation: involved }),
          claim('cl-b', { subject: 'ac-x', relation: involved }),
          claim('cl-c', { subject: 'ac-x', relation: { ...involved, role: 'beneficiary' } }),
          claim('cl-s'),
        ],
        {
          links: [
            { type: 'INVOLVED_IN', from: 'ac-x', to: 'ev-e', role: 'victim', claims: ['cl-a', 'cl-s'] },
          ],
        },
      ),
    );
    expect(rows.relations).toEqual([
      {
        id: 'rel-involved_in-ac-x-ev-e-victim',
        type: 'INVOLVED_IN',
        fromId: 'ac-x',
        toId: 'ev-e',
        role: 'victim',
        position: null,
        claimIds: ['cl-a', 'cl-b', 'cl-s'],
      },
      expect.objectContaining({ role: 'beneficiary', claimIds: ['cl-c'] }),
    ]);
    expect(rows.claims[0]).toMatchObject({
      kind: 'relation',
      property: 'INVOLVED_IN',
      objectId: 'ev-e',
      role: 'victim',
    });
    expect(rows.claims[3]).toMatchObject({ kind: 'statement', property: 'statement', objectId: null });
  });

  it('refuses relation types that do not join the kinds given, and roles where the type says otherwise', async () => {
    const doc = bundle(
      [
        claim('cl-a', { subject: 'pl-p', relation: { type: 'INVOLVED_IN', object: 'ev-e' } }),
        claim('cl-b', { subject: 'ac-x', relation: { type: 'LOCATED_IN', object: 'pl-p', role: 'victim' } }),
        claim('cl-c', { subject: 'ac-x', relation: { type: 'MEMBER_OF', object: 'ac-gone' } }),
      ],
      {
        links: [
          { type: 'OCCURRED_IN', from: 'ac-x', to: 'pl-p', claims: ['cl-a'] },
          { type: 'PART_OF', from: 'pl-p', to: 'pl-gone', claims: ['cl-none', 'cl-c'] },
        ],
      },
    );
    const found = await problems(doc);
    expect(found).toEqual([
      {
        path: 'claims[0].relation.type',
        message: expect.stringMatching(/^INVOLVED_IN does not join Place to Event \(/),
      },
      { path: 'claims[0].relation.role', message: 'INVOLVED_IN needs a role' },
      { path: 'claims[1].relation.role', message: 'LOCATED_IN takes no role' },
      { path: 'claims[2].relation.object', message: 'no entity ac-gone in the bundle' },
      {
        path: 'links[0].type',
        message: expect.stringMatching(/^OCCURRED_IN does not join Actor to Place \(/),
      },
      { path: 'links[1].to', message: 'no entity pl-gone in the bundle' },
      { path: 'links[1].claims[0]', message: 'no claim cl-none in the bundle' },
      { path: 'links[1].claims[1]', message: 'claim cl-c is about neither pl-p nor pl-gone' },
    ]);
  });
});

describe('resolveBundle: figures and attributes', () => {
  const released = (id: string, figure: Record<string, unknown>) =>
    claim(id, {
      quotes: ['Nearly 1,168 were released'],
      figure: { measure: 'people_released', unit: 'people', qualifier: 'exact', ...figure },
    });
  const april30 = { precision: 'day', value: '2022-04-30' };

  it('keys a figure claim by what it counts and bounds it by what its qualifier allows', async () => {
    const rows = await resolve(
      bundle([
        released('cl-nearly', {
          value: 1168,
          qualifier: 'approximately',
          text: 'nearly 1,168',
          periodStart: april30,
        }),
        released('cl-more', { value: 1168, qualifier: 'more_than', periodStart: april30 }),
        released('cl-range', { min: 1000, max: 1200, subgroup: 'women', sensitivity: 'restricted' }),
        released('cl-share', { value: 10, unit: 'percent', shareOf: 'cl-nearly', during: 'ev-e' }),
      ]),
    );
    const [nearly, more, range, share] = rows.claims;
    expect(nearly).toMatchObject({
      kind: 'figure',
      property: 'people_released',
      objectId: 'fg-nearly',
      conflictKey: 'figure|people_released||people|2022-04-30/2022-04-30|',
      valueKey: JSON.stringify([1168, null, null, 'approximately']),
      valueLow: 1168,
      valueHigh: 1168,
    });
    // "More than 1,168" is above it and open upwards: it does not contradict "nearly 1,168" by the key alone.
    expect(more).toMatchObject({ conflictKey: nearly!.conflictKey, valueLow: 1168 + 1e-9, valueHigh: null });
    // Another subgroup or period is another figure.
    expect(range).toMatchObject({
      conflictKey: 'figure|people_released|women|people||',
      valueLow: 1000,
      valueHigh: 1200,
    });
    expect(share!.conflictKey).toBe('figure|people_released||percent||');
    expect(rows.figures.map((f) => [f.id, f.sensitivity, f.shareOfId, f.duringId])).toEqual([
      ['fg-nearly', 'public', null, null],
      ['fg-more', 'public', null, null],
      ['fg-range', 'restricted', null, null],
      ['fg-share', 'public', 'fg-nearly', 'ev-e'],
    ]);
    expect(rows.figures[0]).toMatchObject({
      value: 1168,
      text: 'nearly 1,168',
      periodStart: { precision: 'day', earliest: '2022-04-30', latest: '2022-04-30' },
    });
  });

  it('refuses figures without a number, with min above max, or referring to what is not there', async () => {
    const doc = bundle([
      released('cl-none', {}),
      released('cl-upside', { min: 9, max: 2 }),
      released('cl-refs', {
        value: 1,
        shareOf: 'cl-plain',
        during: 'ev-gone',
        asOf: { precision: 'day', value: '2022-02-30' },
      }),
      claim('cl-plain'),
    ]);
    expect(await problems(doc)).toEqual([
      { path: 'claims[0].figure', message: 'give a value, or min and/or max' },
      { path: 'claims[1].figure', message: 'min 9 is above max 2' },
      { path: 'claims[2].figure.shareOf', message: 'cl-plain is not a figure claim' },
      { path: 'claims[2].figure.during', message: 'no event ev-gone' },
      { path: 'claims[2].figure.asOf', message: 'value 2022-02-30 is not a real calendar day' },
    ]);
  });

  it('applies the share rule (model/claims.ts) and refuses a duration that is not ISO 8601', async () => {
    const doc = bundle([
      released('cl-whole', { value: 100 }),
      released('cl-gone', { value: 50 }),
      released('cl-days', { value: 3, unit: 'days', shareOf: 'cl-whole' }),
      released('cl-of-gone', { value: 3, shareOf: 'cl-gone' }),
      released('cl-self', { value: 3, shareOf: 'cl-self' }),
      released('cl-over', { value: 3, duration: '4Y' }),
      released('cl-group', { value: 3, category: 'Army defectors' }),
    ]);
    (doc.claims as Record<string, unknown>[])[1]!.status = 'retracted';
    expect(await problems(doc)).toEqual([
      {
        path: 'claims[5].figure.duration',
        message: expect.stringContaining('"4Y" is not an ISO 8601 duration'),
      },
      { path: 'claims[6].figure.category', message: 'a lower_snake_case term such as army_defectors' },
    ]);
    (doc.claims as Record<string, unknown>[]).splice(5, 2);
    expect(await problems(doc)).toEqual([
      {
        path: 'claims[2].figure.shareOf',
        message: "a share counts in its whole's unit (people) or in percent, not days",
      },
      { path: 'claims[3].figure.shareOf', message: 'cl-gone is retracted' },
      { path: 'claims[4].figure.shareOf', message: 'a figure cannot be a share of itself' },
    ]);
  });

  it('keeps a duration and the subgroup parts, and counts them in the figure key', async () => {
    const rows = await resolve(
      bundle([
        released('cl-women', {
          value: 40,
          subgroup: 'women',
          sex: 'female',
          ageGroup: 'adult',
          duration: 'P4Y',
        }),
        released('cl-defectors', { value: 12, category: 'army_defectors' }),
      ]),
    );
    expect(rows.figures.map((f) => [f.duration, f.sex, f.ageGroup, f.category])).toEqual([
      ['P4Y', 'female', 'adult', null],
      [null, null, null, 'army_defectors'],
    ]);
    expect(rows.claims.map((c) => c.conflictKey)).toEqual([
      'figure|people_released|women|people|||female/adult//P4Y',
      'figure|people_released||people|||//army_defectors/',
    ]);
  });

  it('bounds a date attribute by its days and keeps who recorded each claim', async () => {
    const rows = await resolve(
      bundle([
        claim('cl-late', {
          attribute: {
            property: 'date',
            value: { precision: 'month', value: '2022-04', qualifier: 'approximate', text: 'late April' },
          },
          recordedBy: 'someone else',
        }),
        claim('cl-name', { attribute: { property: 'name', value: 'The decree' } }),
      ]),
    );
    const [late, name] = rows.claims;
    expect(late).toMatchObject({
      kind: 'attribute',
      property: 'date',
      conflictKey: 'attribute|date',
      valueKey: JSON.stringify(['2022-04-01', '2022-04-30']),
      valueLow: Date.UTC(2022, 3, 1) / 86_400_000,
      valueHigh: Date.UTC(2022, 3, 30) / 86_400_000,
      recordedBy: 'someone else',
      recordedAt: '2026-01-01T00:00:00Z',
    });
    expect(JSON.parse(late!.valueJson!)).toMatchObject({
      earliest: '2022-04-01',
      latest: '2022-04-30',
      text: 'late April',
    });
    expect(name).toMatchObject({
      valueJson: '"The decree"',
      valueKey: '"The decree"',
      valueLow: null,
      valueHigh: null,
      recordedBy: 'curator',
    });
  });
});
