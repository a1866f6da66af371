import { describe, expect, it } from 'vitest';
import {
  attributeClaimValue,
  epochDay,
  figureClaimValue,
  figureAsOf,
  figureConflictKey,
  figureInterval,
  sameTime,
} from '../../src/model/claims.js';
import type { DateQualifier } from '../../src/model/enums.js';
import { normalizeFuzzyDate, type FuzzyDate } from '../../src/model/fuzzy-date.js';
import { locateQuote } from '../../src/model/quotes.js';
import type { FigureRow } from '../../src/model/rows.js';
import { codePoints } from '../../src/model/text.js';

/**
 * The domain rules every writer shares: where a quote sits in its source (src/model/quotes.ts) and what a
 * claim asserts and when two claims disagree (src/model/claims.ts).
 */

describe('locateQuote', () => {
  const text = 'Released 🙂 on 30 April; released again in May.';
  const points = codePoints(text);

  it('finds words that occur once, at code-point offsets', () => {
    expect(locateQuote(text, points, 'on 30 April')).toEqual({ start: 11, end: 22 });
    // In UTF-16 the words start one unit later: the emoji is two units.
    expect(text.indexOf('on 30 April')).toBe(12);
  });

  it('refuses words that occur more than once, or not at all, listing where they are', () => {
    expect(locateQuote(text, points, 'eleased')).toEqual({
      problem: 'found 2 times (at code points 1, 25); quote more words or give offsets',
      candidates: [1, 25],
    });
    expect(locateQuote(text, points, 'June')).toEqual({ problem: 'not found: "June"' });
  });

  it('takes offsets that hold the quoted words, and says where the words are when they do not', () => {
    expect(locateQuote(text, points, { exact: 'released', start: 24, end: 32 })).toEqual({
      start: 24,
      end: 32,
    });
    expect(locateQuote(text, points, { exact: 'released', start: 23, end: 31 })).toEqual({
      problem: 'the text at 23-31 is " release", not the quoted words; they occur at code point(s) 24',
      candidates: [24],
    });
    expect(locateQuote(text, points, { exact: 'May', start: 44, end: 50 })).toEqual({
      problem: `offsets 44-50 lie outside the text (${points.length} code points)`,
    });
  });
});

const date = (
  value: string,
  precision: 'day' | 'month' | 'year',
  qualifier: DateQualifier = 'exact',
): FuzzyDate => normalizeFuzzyDate({ precision, value, qualifier }).date!;

const figure = (f: Partial<FigureRow>): FigureRow => ({
  id: 'fg-x',
  claimId: 'cl-x',
  subjectId: 'ev-x',
  measure: 'deaths',
  value: null,
  min: null,
  max: null,
  qualifier: 'exact',
  unit: 'people',
  subgroup: null,
  text: null,
  duration: null,
  sex: null,
  ageGroup: null,
  category: null,
  periodStart: null,
  periodEnd: null,
  asOf: null,
  shareOfId: null,
  duringId: null,
  sensitivity: 'public',
  ...f,
});

/** The conflict rule on intervals: disjoint ones disagree; an open bound agrees with everything beyond it. */
function disjoint(a: { valueLow: number | null; valueHigh: number | null }, b: typeof a): boolean {
  const below = (x: typeof a, y: typeof a) =>
    x.valueHigh !== null && y.valueLow !== null && x.valueHigh < y.valueLow;
  return below(a, b) || below(b, a);
}

describe('figureInterval', () => {
  it('takes an exact or approximate number at its word', () => {
    expect(figureInterval({ value: 1168, min: null, max: null, qualifier: 'approximately' })).toEqual({
      valueLow: 1168,
      valueHigh: 1168,
    });
    expect(figureInterval({ value: 1160, min: null, max: null, qualifier: 'exact' })).toEqual({
      valueLow: 1160,
      valueHigh: 1160,
    });
  });

  it('opens the interval on the side a qualifier leaves open', () => {
    const at = (qualifier: string) => figureInterval({ value: 100, min: null, max: null, qualifier });
    expect(at('more_than')).toEqual({ valueLow: 100 + 1e-9, valueHigh: null });
    expect(at('at_least')).toEqual({ valueLow: 100, valueHigh: null });
    expect(at('less_than')).toEqual({ valueLow: null, valueHigh: 100 - 1e-9 });
    expect(at('at_most')).toEqual({ valueLow: null, valueHigh: 100 });
    expect(figureInterval({ value: null, min: 10, max: 20, qualifier: 'exact' })).toEqual({
      valueLow: 10,
      valueHigh: 20,
    });
  });

  it('makes "nearly 1,168" and 1,160 disagree, and "exceeded 105,000" agree with 110,000 but not with 100,000', () => {
    const nearly = figureInterval({ value: 1168, min: null, max: null, qualifier: 'approximately' });
    const exact = figureInterval({ value: 1160, min: null, max: null, qualifier: 'exact' });
    expect(disjoint(nearly, exact)).toBe(true);
    const exceeded = figureInterval({ value: 105_000, min: null, max: null, qualifier: 'more_than' });
    expect(
      disjoint(exceeded, figureInterval({ value: 110_000, min: null, max: null, qualifier: 'exact' })),
    ).toBe(false);
    expect(
      disjoint(exceeded, figureInterval({ value: 100_000, min: null, max: null, qualifier: 'exact' })),
    ).toBe(true);
    // "At least 105,000" includes 105,000 itself; "more than" does not.
    const atLeast = figureInterval({ value: 105_000, min: null, max: null, qualifier: 'at_least' });
    const exactly = figureInterval({ value: 105_000, min: null, max: null, qualifier: 'exact' });
    expect(disjoint(atLeast, exactly)).toBe(false);
    expect(disjoint(exceeded, exactly)).toBe(true);
  });
});

describe('figureConflictKey', () => {
  it('is the same for figures of the same measure, subgroup, unit and period, whatever their as-of date', () => {
    const may = date('2022-05', 'month');
    const a = figureConflictKey(figure({ value: 1, periodStart: may }));
    expect(a).toBe('figure|deaths||people|2022-05-01/2022-05-31|');
    expect(figureConflictKey(figure({ value: 2, qualifier: 'more_than', periodStart: may }))).toBe(a);
    // As-of dates are compared by overlap (sameTime), not by the key.
    expect(figureConflictKey(figure({ asOf: date('2022-05-03', 'day') }))).toBe(
      figureConflictKey(figure({})),
    );
  });

  it('differs when any of them differs, so such figures never conflict', () => {
    const base = figureConflictKey(figure({}));
    const others = [
      figure({ measure: 'people_released' }),
      figure({ subgroup: 'women' }),
      figure({ unit: 'percent' }),
      figure({ periodStart: date('2022', 'year') }),
      figure({ periodEnd: date('2022-05-03', 'day') }),
    ].map(figureConflictKey);
    expect(new Set([base, ...others]).size).toBe(6);
  });

  it('is what a figure claim carries, with its value key and interval', () => {
    const row = figure({ value: 1168, qualifier: 'approximately' });
    expect(figureClaimValue(row)).toEqual({
      kind: 'figure',
      property: 'deaths',
      role: null,
      objectId: 'fg-x',
      valueJson: JSON.stringify({
        value: 1168,
        min: null,
        max: null,
        qualifier: 'approximately',
        unit: 'people',
      }),
      conflictKey: figureConflictKey(row),
      valueKey: JSON.stringify([1168, null, null, 'approximately']),
      valueLow: 1168,
      valueHigh: 1168,
      asOfEarliest: null,
      asOfLatest: null,
      asOfFromSource: true,
    });
  });
});

describe('figureAsOf and sameTime', () => {
  it('an undated figure (no as-of, no period) is compared as of its source; a dated one by its own dates', () => {
    expect(figureAsOf(figure({}))).toEqual({ asOfEarliest: null, asOfLatest: null, asOfFromSource: true });
    expect(figureAsOf(figure({ asOf: date('2022-05', 'month') }))).toEqual({
      asOfEarliest: '2022-05-01',
      asOfLatest: '2022-05-31',
      asOfFromSource: false,
    });
    expect(figureAsOf(figure({ periodStart: date('2022', 'year') })).asOfFromSource).toBe(false);
  });

  it('"as of May 2022" and an article published on 15 May 2022 speak of the same time; June does not', () => {
    const may = { earliest: '2022-05-01', latest: '2022-05-31' };
    expect(sameTime(may, { earliest: '2022-05-15', latest: '2022-05-15' })).toBe(true);
    expect(sameTime(may, { earliest: '2022-06-01', latest: '2022-06-30' })).toBe(false);
    expect(sameTime(may, { earliest: null, latest: '2022-05-01' })).toBe(true);
    // Without an as-of, a figure is compared only with others without one (as before).
    expect(sameTime(null, null)).toBe(true);
    expect(sameTime(may, null)).toBe(false);
  });
});

describe('attributeClaimValue', () => {
  it('compares a date by its bounds: "late April" agrees with "30 April", not with "3 May"', () => {
    const lateApril = attributeClaimValue('date', date('2022-04', 'month', 'approximate'));
    const april30 = attributeClaimValue('date', date('2022-04-30', 'day'));
    const may3 = attributeClaimValue('date', date('2022-05-03', 'day'));
    expect(lateApril).toMatchObject({
      kind: 'attribute',
      property: 'date',
      conflictKey: 'attribute|date',
      valueKey: JSON.stringify(['2022-04-01', '2022-04-30']),
      valueLow: epochDay('2022-04-01'),
      valueHigh: epochDay('2022-04-30'),
    });
    expect(april30.conflictKey).toBe(lateApril.conflictKey);
    expect(april30.valueKey).not.toBe(lateApril.valueKey);
    expect(disjoint(lateApril, april30)).toBe(false);
    expect(disjoint(lateApril, may3)).toBe(true);
  });

  it('compares a text value by its words, with no interval', () => {
    expect(attributeClaimValue('name', 'Sednaya prison')).toEqual({
      kind: 'attribute',
      property: 'name',
      role: null,
      objectId: null,
      valueJson: '"Sednaya prison"',
      conflictKey: 'attribute|name',
      valueKey: '"Sednaya prison"',
      valueLow: null,
      valueHigh: null,
      asOfEarliest: null,
      asOfLatest: null,
      asOfFromSource: false,
    });
  });

  it('counts days since 1970-01-01', () => {
    expect(epochDay('1970-01-02')).toBe(1);
    expect(epochDay('2022-04-30')! - epochDay('2022-04-01')!).toBe(29);
    expect(epochDay(null)).toBeNull();
  });
});
