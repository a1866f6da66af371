import { describe, expect, it } from 'vitest';
import { FuzzyDateInput, normalizeFuzzyDate, overlap } from '../../src/model/fuzzy-date.js';

const norm = (input: Record<string, unknown>) => normalizeFuzzyDate(FuzzyDateInput.parse(input));

describe('fuzzy dates', () => {
  it('"30 April 2022" is one exact day', () => {
    expect(norm({ precision: 'day', value: '2022-04-30' }).date).toMatchObject({
      value: '2022-04-30',
      qualifier: 'exact',
      earliest: '2022-04-30',
      latest: '2022-04-30',
    });
  });

  it('"late April 2022" keeps month precision and invents no day', () => {
    const { date } = norm({
      precision: 'month',
      value: '2022-04',
      qualifier: 'approximate',
      text: 'late April',
    });
    expect(date).toEqual({
      value: '2022-04',
      precision: 'month',
      qualifier: 'approximate',
      earliest: '2022-04-01',
      latest: '2022-04-30',
      text: 'late April',
    });
  });

  it('"May 2013 – October 2015" is two month-precision ends', () => {
    expect(norm({ precision: 'month', value: '2013-05' }).date).toMatchObject({
      earliest: '2013-05-01',
      latest: '2013-05-31',
    });
    expect(norm({ precision: 'month', value: '2015-10' }).date).toMatchObject({
      earliest: '2015-10-01',
      latest: '2015-10-31',
    });
  });

  it('"not before May 2022" has an earliest bound and no latest', () => {
    expect(norm({ precision: 'month', value: '2022-05', qualifier: 'after' }).date).toMatchObject({
      value: '2022-05',
      earliest: '2022-05-01',
      latest: null,
    });
  });

  it('"the past months" fits as an unknown date with its wording', () => {
    expect(
      norm({ precision: 'unknown', qualifier: 'approximate', text: 'during the past months' }).date,
    ).toEqual({
      value: null,
      precision: 'unknown',
      qualifier: 'approximate',
      earliest: null,
      latest: null,
      text: 'during the past months',
    });
  });

  it('knows leap years and month lengths', () => {
    expect(norm({ precision: 'month', value: '2024-02' }).date?.latest).toBe('2024-02-29');
    expect(norm({ precision: 'month', value: '2023-02' }).date?.latest).toBe('2023-02-28');
    expect(norm({ precision: 'year', value: '2011' }).date).toMatchObject({
      earliest: '2011-01-01',
      latest: '2011-12-31',
    });
  });

  it.each([
    [{ precision: 'day', value: '2022-02-30' }, /not a real calendar day/],
    [{ precision: 'day', value: '2022-04' }, /does not match precision day/],
    [{ precision: 'month', value: '2022-13' }, /no month 13/],
    [{ precision: 'unknown', value: '2022' }, /must be empty/],
    [{ precision: 'month' }, /value is required/],
    [{ precision: 'unknown', earliest: '2022-05-02', latest: '2022-05-01' }, /after latest/],
    [{ precision: 'month', value: '2022-04', earliest: '2022-04-20' }, /use qualifier approximate/],
  ])('refuses %j', (input, message) => {
    const { date, problems } = norm(input);
    expect(date).toBeUndefined();
    expect(problems.join('; ')).toMatch(message);
  });

  it('matches windows honestly: certain, possible or not at all', () => {
    const lateApril = norm({ precision: 'month', value: '2022-04', qualifier: 'approximate' }).date!;
    expect(overlap(lateApril, '2022-04-01', '2022-04-30')).toBe('certain');
    expect(overlap(lateApril, '2022-04-29', '2022-04-29')).toBe('possible');
    expect(overlap(lateApril, '2022-05-01', '2022-05-31')).toBe('none');
    const notBeforeMay = norm({ precision: 'month', value: '2022-05', qualifier: 'after' }).date!;
    expect(overlap(notBeforeMay, '2022-06-01', '2022-06-30')).toBe('possible');
    expect(overlap(notBeforeMay, '2022-01-01', '2022-04-30')).toBe('none');
  });
});
