import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBundle } from '../../src/io/bundle/resolve.js';
import { acledDate, acledDay, acledToBundle } from '../../src/io/import/acled.js';
import { noFiles } from '../../src/io/import/common.js';
import { sha256 } from '../../src/model/text.js';

/**
 * ACLED CSV → hrkg-bundle/1, without a database: events with their date precision, actors with roles,
 * nested places, the fatalities figure, row-exact evidence, and bad rows reported by line.
 */

const U = 'u7';
const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '../fixtures', name), 'utf8').replaceAll('__U__', U);

function convert(text: string) {
  return acledToBundle(text, {
    file: '/data/events.csv',
    sha256: sha256(text),
    recordedBy: 'unit test',
    recordedAt: '2026-01-01T00:00:00Z',
  });
}

const HEADER =
  'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,country,admin1,location,latitude,longitude,notes,fatalities';

describe('ACLED import (conversion)', () => {
  const text = fixture('acled-events.csv');
  const rows = text.split('\n');
  const { doc, problems, records } = convert(text);
  const event = (n: number) => doc.events!.find((e) => e.id === `ev-acled-lbn${U}${n}`)!;
  const claim = (slot: string) => doc.claims!.find((c) => c.slot === `cl-acled-lbn${U}${slot}`);

  it('makes one event per row, dated at the precision ACLED coded', () => {
    expect(problems).toEqual([]);
    expect(records).toBe(3);
    // time_precision 1: the day; 2: the coded day, approximate, six days either side; 3: the month.
    expect(event(1)).toMatchObject({
      type: 'arrest_detention',
      name: `Arrests in Arsal ${U} (2022-05-03)`,
      identifiers: [{ scheme: 'acled', value: `LBN${U}1` }],
      date: { precision: 'day', value: '2022-05-03', qualifier: 'exact' },
    });
    expect(event(2).date).toEqual({
      precision: 'day',
      value: '2022-05-10',
      qualifier: 'approximate',
      earliest: '2022-05-04',
      latest: '2022-05-16',
      text: '10 May 2022 (ACLED time_precision 2)',
    });
    expect(event(3)).toMatchObject({ type: 'other', date: { precision: 'month', value: '2022-06' } });
    expect(event(3).description).toContain("ACLED's source(s): Local sources (Local partner-Other).");
  });

  it('names each actor once, typed by its inter code, involved with a role where ACLED gives one', () => {
    expect(doc.actors!.map((a) => [a.name, a.type])).toEqual([
      [`Lebanese Armed Forces ${U}`, 'public_body'],
      [`Civilians ${U}`, 'group'],
      [`Former prisoners ${U}`, 'unknown'],
      [`Unidentified Armed Group ${U}`, 'group'],
      // The publisher of every ACLED file, so that its releases supersede one another.
      ['ACLED (Armed Conflict Location & Event Data)', 'organization'],
    ]);
    const involvements = (n: number) =>
      doc.claims!.filter((c) => c.relation?.type === 'INVOLVED_IN' && c.relation.object === event(n).id);
    // Arrests and violence against civilians: actor1 the perpetrator, actor2 (and associates) the victims.
    expect(involvements(1).map((c) => [c.subject, c.relation!.role])).toEqual([
      [doc.actors![0]!.id, 'perpetrator'],
      [doc.actors![1]!.id, 'victim'],
      [doc.actors![2]!.id, 'victim'],
    ]);
    // The same army in rows 1 and 3 is one actor.
    expect(involvements(3).map((c) => c.subject)).toEqual([doc.actors![0]!.id, doc.actors![1]!.id]);
  });

  it('nests places from the country down, each PART_OF the next level up, the event OCCURRED_IN the location', () => {
    const place = (id: string) => doc.places!.find((p) => p.id === id)!;
    const location = place(claim('2--place')!.relation!.object);
    expect(location).toMatchObject({ type: 'city', name: `عرسال ${U}`, lang: 'ar' });
    const chain: string[] = [];
    for (let id = location.id; ;) {
      const up = doc.claims!.find((c) => c.relation?.type === 'PART_OF' && c.subject === id);
      if (!up) break;
      id = up.relation!.object;
      chain.push(`${place(id).type}: ${place(id).name}`);
    }
    expect(chain).toEqual([`district: بعلبك ${U}`, `governorate: بعلبك الهرمل ${U}`, 'country: Lebanon']);
    // The same country in every row is one place; the same name under another parent is another place.
    expect(doc.places!.filter((p) => p.type === 'country')).toHaveLength(1);
    expect(doc.places!.filter((p) => p.name === `Akkar ${U}`).map((p) => p.type)).toEqual([
      'governorate',
      'district',
    ]);
  });

  it('records every row’s fatalities (0 too) as an approximate figure, and coordinates on the location', () => {
    const figure = (value: number) => ({
      measure: 'fatalities',
      value,
      qualifier: 'approximately',
      unit: 'people',
      text: String(value),
    });
    expect(doc.claims!.filter((c) => c.figure)).toEqual([
      expect.objectContaining({ slot: `cl-acled-lbn${U}1--fatalities`, figure: figure(0) }),
      expect.objectContaining({ slot: `cl-acled-lbn${U}2--fatalities`, figure: figure(0) }),
      expect.objectContaining({
        slot: `cl-acled-lbn${U}3--fatalities`,
        subject: event(3).id,
        figure: figure(2),
      }),
    ]);
    expect(claim('1--latitude')).toMatchObject({
      subject: claim('1--place')!.relation!.object,
      attribute: { property: 'latitude', value: 34.1794 },
    });
    // Row 2 gives no coordinates.
    expect(claim('2--latitude')).toBeUndefined();
  });

  it('has every claim quote its whole row, exactly, in the file stored as the source', async () => {
    const points = Array.from(text);
    for (const c of doc.claims!) {
      const [q] = c.quotes as { exact: string; start: number; end: number }[];
      const row = Number(new RegExp(`^cl-acled-lbn${U}(\\d)`).exec(c.id)![1]);
      expect(q!.exact).toBe(rows[row]);
      expect(points.slice(q!.start, q!.end).join('')).toBe(q!.exact);
    }
    expect(claim('2--notes')!.quotes[0]).toMatchObject({ exact: expect.stringContaining('""Wadi Hmeid""') });
    const resolved = await resolveBundle(doc, noFiles);
    expect(resolved.excerpts).toHaveLength(3);
  });

  it('cites a record whose quoted field spans lines by all of it, in code points, and counts its lines', () => {
    const first = 'A1,2022-05-03,1,Protests,,P,,,,Syria,,Town,,,"two 🙂\nlines",0';
    const third = 'A3,2022-05-04,1,Protests,,P,,,,Syria,,Town,,,x,0';
    const text = [HEADER, first, 'A2,2022-05-32,1,Protests,,P,,,,Syria,,Town,,,x,0', third].join('\n');
    const { doc, problems } = convert(text);
    const quote = (slot: string) => doc.claims!.find((c) => c.slot === slot)!.quotes[0];
    expect(quote('cl-acled-a1--notes')).toEqual({
      exact: first,
      start: HEADER.length + 1,
      end: HEADER.length + 1 + first.length - 1,
    });
    // The emoji is one code point: the third record starts one before its UTF-16 index.
    const start = text.indexOf(third) - 1;
    expect(quote('cl-acled-a3--notes')).toEqual({ exact: third, start, end: start + third.length });
    expect(problems).toEqual([
      { path: 'line 4', message: 'event_date "2022-05-32" is not a real calendar day' },
    ]);
  });
});

describe('ACLED import (claims of a file are its own)', () => {
  const row = (fatalities: number) => `B1,2022-05-03,1,Protests,,P,,,,Syria,,Town,,,x,${fatalities}`;
  const first = convert([HEADER, row(1)].join('\n'));
  const revised = convert([HEADER, row(3)].join('\n'));
  const bySlot = (d: typeof first.doc) => new Map(d.claims!.map((c) => [c.slot, c]));

  it('keys each claim by its record and field (the slot) and by the file, so a revision never reuses an id', () => {
    const [a, b] = [bySlot(first.doc), bySlot(revised.doc)];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [slot, claim] of a) {
      expect(claim.id.startsWith(`${slot}--`)).toBe(true);
      expect(b.get(slot)!.id).not.toBe(claim.id);
    }
    // The same file again: the same ids (importing it twice changes nothing).
    expect(convert([HEADER, row(1)].join('\n')).doc.claims!.map((c) => c.id)).toEqual(
      first.doc.claims!.map((c) => c.id),
    );
  });

  it('states the file is a release of the ACLED dataset, published by ACLED, unless told another dataset', () => {
    expect(first.doc.sources![0]).toMatchObject({ dataset: 'acled', publisher: 'ac-acled' });
    const named = acledToBundle([HEADER, row(1)].join('\n'), {
      file: '/data/events.csv',
      sha256: sha256('x'),
      recordedBy: 'unit test',
      recordedAt: '2026-01-01T00:00:00Z',
      dataset: 'acled-syria-weekly',
    });
    expect(named.doc.sources![0]!.dataset).toBe('acled-syria-weekly');
  });
});

describe('ACLED import (problems)', () => {
  it('reports every bad row by its line, and converts none of them', () => {
    const { doc, problems } = convert(fixture('acled-invalid.csv'));
    expect(problems).toEqual([
      { path: 'line 3', message: 'event_date "2022-02-30" is not a real calendar day' },
      { path: 'line 4', message: 'fatalities "several" is not a whole number' },
      { path: 'line 5', message: 'time_precision "5" is not 1, 2 or 3' },
      { path: 'line 6', message: '10 field(s), but the header has 14' },
      { path: 'line 7', message: `event_id_cnty LBN${U}ok also on line 2` },
      { path: 'line 7', message: 'latitude "abc" is not a number between -90 and 90' },
    ]);
    expect(doc.events!.map((e) => e.id)).toEqual([`ev-acled-lbn${U}ok`]);
  });

  it('refuses a header without the required columns, or with a column twice, before reading any row', () => {
    const { doc, problems } = convert(fixture('acled-bad-header.csv'));
    expect(problems).toEqual([
      {
        path: 'line 1',
        message:
          'missing required column(s): event_id_cnty, fatalities (columns outside the codebook: event_id, fatalites)',
      },
    ]);
    expect(doc.events).toBeUndefined();
    expect(convert(`${HEADER},Notes\n`).problems).toEqual([
      { path: 'line 1', message: 'column notes appears twice' },
    ]);
    expect(convert('').problems).toEqual([{ path: 'line 1', message: 'no header row' }]);
  });

  it('forgives a BOM and upper case in the header, and reports empty required fields and half coordinates', () => {
    const text = [`\uFEFF${HEADER.toUpperCase()}`, 'B1,2022-05-03,1,,,,,,,Syria,,Town,34.1,,,0'].join('\r\n');
    expect(convert(text).problems).toEqual([
      { path: 'line 2', message: 'give both latitude and longitude, or neither' },
      { path: 'line 2', message: 'event_type is empty' },
      { path: 'line 2', message: 'actor1 is empty' },
    ]);
  });
});

describe('ACLED import (the codebook’s 31 columns, and optional ones)', () => {
  const text = readFileSync(path.join(import.meta.dirname, '../fixtures/interop/acled-ten.csv'), 'utf8');
  const { doc, problems, skipped } = convert(text);
  const value = (event: string, field: string) =>
    doc.claims!.find((c) => c.slot === `cl-acled-${event}--${field}`)?.attribute?.value;

  it('accepts ACLED’s optional and unknown columns, leaving them out with a count of the values lost', () => {
    expect(problems).toEqual([]);
    expect(doc.events).toHaveLength(10);
    expect(skipped).toEqual([
      {
        what: 'column population_best',
        count: 6,
        reason: "ACLED's estimate of the population near the location; the graph keeps no population figures",
      },
    ]);
    const extra = convert(
      `${HEADER},data_id,my_note\nB1,2022-05-03,1,Protests,,P,,,,Syria,,Town,,,x,0,17,\n`,
    );
    expect(extra.problems).toEqual([]);
    expect(extra.skipped).toEqual([
      { what: 'column data_id', count: 1, reason: expect.stringMatching(/removed by ACLED in 2023/) },
      { what: 'column my_note', count: 0, reason: "not a column of ACLED's codebook" },
    ]);
  });

  it('keeps ACLED’s coding of each event as claims quoting its row: the day, precision, types, codes, sources', () => {
    // "07 May 2022" at time_precision 2: the day ACLED coded, as YYYY-MM-DD, and the precision.
    expect(value('syr100001', 'event-date')).toBe('2022-05-07');
    expect(value('syr100001', 'time-precision')).toBe(2);
    expect(
      Object.fromEntries(
        [
          'disorder-type',
          'event-type',
          'sub-event-type',
          'inter1',
          'inter2',
          'interaction',
          'civilian-targeting',
          'iso',
          'region',
          'geo-precision',
          'source',
          'source-scale',
          'timestamp',
        ].map((f) => [f, value('syr100001', f)]),
      ),
    ).toEqual({
      'disorder-type': 'Political violence',
      'event-type': 'Violence against civilians',
      'sub-event-type': 'Attack',
      inter1: '1',
      inter2: '7',
      interaction: '17',
      'civilian-targeting': 'Civilian targeting',
      iso: '760',
      region: 'Middle East',
      'geo-precision': '1',
      source: 'Syrian Observatory for Human Rights',
      'source-scale': 'National',
      timestamp: '1652729513',
    });
    expect(value('syr100003', 'tags')).toBe('crowd size=around 200');
    // An empty column makes no claim.
    expect(value('syr100002', 'civilian-targeting')).toBeUndefined();
    expect(value('syr100001', 'tags')).toBeUndefined();
    const row = text.split('\n')[1]!;
    const claim = doc.claims!.find((c) => c.slot === 'cl-acled-syr100001--source-scale')!;
    expect(claim).toMatchObject({ subject: 'ev-acled-syr100001', quotes: [{ exact: row }] });
  });
});

describe('ACLED dates', () => {
  it('reads ISO, "30 April 2022" and day-first dates', () => {
    expect(acledDay('2022-04-30')).toEqual({ day: '2022-04-30' });
    expect(acledDay('30 April 2022')).toEqual({ day: '2022-04-30' });
    expect(acledDay('3 Apr 2022')).toEqual({ day: '2022-04-03' });
    expect(acledDay('05-06-2022')).toEqual({ day: '2022-06-05' });
    expect(acledDay('30 Foo 2022').problem).toBe('event_date "30 Foo 2022": no month Foo');
    expect(acledDay('31-04-2022').problem).toBe('event_date "31-04-2022" is not a real calendar day');
    expect(acledDay('2022/04/30').problem).toMatch(/is not a date/);
  });

  it('turns time precision into fuzzy-date precision', () => {
    expect(acledDate('2022-01-03', 1, '2022-01-03')).toMatchObject({ precision: 'day', qualifier: 'exact' });
    // Six days either side, across a month and a year boundary.
    expect(acledDate('2022-01-03', 2, '3 January 2022')).toMatchObject({
      qualifier: 'approximate',
      earliest: '2021-12-28',
      latest: '2022-01-09',
      text: '3 January 2022 (ACLED time_precision 2)',
    });
    expect(acledDate('2022-01-03', 3, '2022-01-03')).toMatchObject({ precision: 'month', value: '2022-01' });
  });
});
