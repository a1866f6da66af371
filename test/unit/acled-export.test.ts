import { describe, expect, it } from 'vitest';
import { codedRow, placeColumns } from '../../src/io/export/acled-coded.js';
import { acledDate, fatalities, oneLocation, type AcledRow } from '../../src/io/export/acled.js';
import type { AcledClaim, AcledFigure, ExportAcledEvent } from '../../src/model/export-records.js';
import type { FuzzyDate } from '../../src/model/fuzzy-date.js';

/** ACLED export rows without a database: fatalities, dates, one location per row, and which claims an imported row takes. */

const figure = (id: string, value: number, claimStatus: string | null): AcledFigure => ({
  id,
  measure: 'fatalities',
  value,
  min: null,
  max: null,
  qualifier: 'approximately',
  unit: 'people',
  subgroup: null,
  claimStatus,
});

const event = (figures: AcledFigure[]) => ({ figures }) as unknown as ExportAcledEvent;

describe('ACLED export: fatalities', () => {
  it('takes the lowest reported total, as ACLED keeps the most conservative count', () => {
    expect(fatalities(event([figure('a', 5, 'asserted'), figure('b', 3, 'disputed')]))).toBe(3);
  });

  it('leaves out figures whose claim was superseded by a later release, retracted, or is hidden', () => {
    // Week 1 said 1; week 2 of the same dataset said 3 and superseded it: the export says 3.
    expect(fatalities(event([figure('week1', 1, 'superseded'), figure('week2', 3, 'asserted')]))).toBe(3);
    expect(fatalities(event([figure('a', 1, 'retracted'), figure('b', 4, 'asserted')]))).toBe(4);
    expect(fatalities(event([figure('a', 1, null)]))).toBe(0);
  });
});

describe('ACLED export: dates', () => {
  const d = (x: Partial<FuzzyDate>): FuzzyDate => ({
    value: null,
    precision: 'unknown',
    qualifier: 'exact',
    earliest: null,
    latest: null,
    text: null,
    ...x,
  });

  it('writes a full day with ACLED’s time_precision, never the month or year alone', () => {
    const day = { precision: 'day' as const, value: '2022-05-07' };
    expect(acledDate(d({ ...day, earliest: '2022-05-07', latest: '2022-05-07' }))).toEqual({
      date: '2022-05-07',
      precision: 1,
    });
    // As the ACLED import reads precision 2: the coded day, six days either side. Not the first of the month.
    expect(acledDate(d({ ...day, earliest: '2022-05-01', latest: '2022-05-13' }))).toEqual({
      date: '2022-05-07',
      precision: 2,
    });
    expect(acledDate(d({ precision: 'month', value: '2011-03' }))).toEqual({
      date: '2011-03-01',
      precision: 3,
    });
    expect(acledDate(d({ precision: 'year', value: '2022' }))).toEqual({ date: '2022-01-01', precision: 3 });
    // "after 30 April 2022": the bound it has, at ACLED's coarsest precision.
    expect(acledDate(d({ earliest: '2022-04-30' }))).toEqual({ date: '2022-04-30', precision: 3 });
    expect(acledDate(d({ earliest: '2022-04-28', latest: '2022-05-02' }))).toEqual({
      date: '2022-04-28',
      precision: 2,
    });
    expect(acledDate(d({}))).toBeNull();
    expect(acledDate(null)).toBeNull();
  });
});

describe('ACLED export: one location per row', () => {
  const node = (id: string, type: string) => ({ id, type, name: id, identifiers: [] });
  const syria = node('syria', 'country');
  const place = (id: string, type: string, ...up: { id: string; type: string }[]) => ({
    ...node(id, type),
    ancestors: up.map((a, i) => ({ ...node(a.id, a.type), depth: i + 1 })),
  });
  const daraa = node('daraa', 'governorate');

  it('places an event in several places in the nearest place holding them all, at geo_precision 3', () => {
    const tafas = place('tafas', 'city', daraa, syria);
    const jasim = place('jasim', 'city', daraa, syria);
    const aleppo = place('aleppo', 'governorate', syria);
    expect(oneLocation([tafas])).toMatchObject({ place: { id: 'tafas' }, precision: 1 });
    const shared = oneLocation([tafas, jasim, place('daraa', 'governorate', syria)])!;
    expect(shared).toMatchObject({ place: { id: 'daraa' }, precision: 3 });
    expect(placeColumns(shared.place)).toEqual({
      country: 'syria',
      admin1: 'daraa',
      admin2: '',
      admin3: '',
      location: 'daraa',
    });
    expect(oneLocation([tafas, aleppo])).toMatchObject({ place: { id: 'syria' }, precision: 3 });
    expect(oneLocation([tafas, place('beirut', 'city', node('lebanon', 'country'))])).toBeNull();
    expect(oneLocation([])).toBeNull();
  });
});

describe('ACLED export: a row as ACLED coded it', () => {
  const claim = (field: string, x: Partial<AcledClaim>): AcledClaim => ({
    id: `cl-acled-syr1--${field}--${x.recordedAt ?? ''}`,
    summary: '',
    status: 'asserted',
    fact: null,
    publishers: [],
    slot: `cl-acled-syr1--${field}`,
    kind: 'attribute',
    property: 'x',
    value: null,
    subjectId: 'ev-acled-syr1',
    objectId: null,
    recordedAt: '2026-01-01T00:00:00Z',
    superseded: false,
    ...x,
  });
  const event = (claims: AcledClaim[]) =>
    ({
      id: 'ev-acled-syr1',
      identifiers: [{ scheme: 'acled', value: 'SYR1' }],
      date: null,
      involvements: [
        { actorId: 'ac-b', name: 'B forces', type: 'public_body', role: 'other' },
        { actorId: 'ac-a', name: 'A civilians', type: 'group', role: 'other' },
      ],
      occurredIn: [],
      claims,
      figures: [],
      placeClaims: [],
    }) as unknown as ExportAcledEvent;
  const base = [
    claim('event-date', { value: '2022-05-07' }),
    claim('time-precision', { value: 2 }),
    claim('actor1', { kind: 'relation', subjectId: 'ac-b' }),
    claim('actor2', { kind: 'relation', subjectId: 'ac-a' }),
  ];

  it('takes the current claim of each field: not superseded or retracted, asserted before disputed, then the latest', () => {
    const row = codedRow(
      event([
        ...base,
        claim('source-scale', { value: 'National', superseded: true }),
        claim('source-scale', { value: 'Subnational', recordedAt: '2026-02-01T00:00:00Z' }),
        claim('source-scale', { value: 'Local', recordedAt: '2026-03-01T00:00:00Z', status: 'retracted' }),
        claim('region', { value: 'Middle East', status: 'disputed', recordedAt: '2026-05-01T00:00:00Z' }),
        claim('region', { value: 'Levant', recordedAt: '2026-04-01T00:00:00Z' }),
      ]),
      () => ({ id: 'x', reason: 'not used' }),
    ) as AcledRow;
    // Actors in ACLED's columns, whatever their names' order.
    expect(row).toMatchObject({
      event_id_cnty: 'SYR1',
      event_date: '2022-05-07',
      year: '2022',
      time_precision: '2',
      actor1: 'B forces',
      actor2: 'A civilians',
      source_scale: 'Subnational',
      region: 'Levant',
      tags: '',
    });
  });

  it('leaves an event with no ACLED row claims to the mapping from the graph', () => {
    expect(codedRow(event([]), () => ({ id: 'x', reason: 'mapped' }))).toBeNull();
    expect(codedRow({ ...event(base), identifiers: [] }, () => ({ id: 'x', reason: 'mapped' }))).toBeNull();
  });
});
