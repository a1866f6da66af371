import { describe, expect, it } from 'vitest';
import type { FigureRecord } from '../../src/graph/records.js';
import { toLuceneQuery } from '../../src/graph/stores/explore.js';
import { figureLabel } from '../../src/services/explore.js';

/**
 * What search sends to the full-text index for what an investigator types: words, never Lucene syntax,
 * except a trailing ~ asking for near spellings.
 */
describe('toLuceneQuery', () => {
  it.each([
    ['+', 'a+b', 'a\\+b'],
    ['-', 'al-assad', 'al\\-assad'],
    ['&', 'a&&b', 'a\\&\\&b'],
    ['|', 'a||b', 'a\\|\\|b'],
    ['!', '!release', '\\!release'],
    ['( )', '(daraa)', '\\(daraa\\)'],
    ['{ }', '{1 TO 5}', '\\{1 to 5\\}'],
    ['[ ]', '[a]', '\\[a\\]'],
    ['^', 'daraa^4', 'daraa\\^4'],
    ['"', '"exact phrase"', '\\"exact phrase\\"'],
    ['~ inside a word', 'a~b', 'a\\~b'],
    ['*', 'rel*', 'rel\\*'],
    ['?', 'dar?a', 'dar\\?a'],
    [':', 'name:daraa', 'name\\:daraa'],
    ['\\', 'a\\b', 'a\\\\b'],
    ['/', '/regex/', '\\/regex\\/'],
  ])('escapes %s: %j becomes %j', (_special, query, lucene) => {
    expect(toLuceneQuery(query)).toBe(lucene);
  });

  it('keeps a trailing ~ on a word as a fuzzy match, and only the last one', () => {
    expect(toLuceneQuery('daraa~')).toBe('daraa~');
    expect(toLuceneQuery('daraa~ homs')).toBe('daraa~ homs');
    expect(toLuceneQuery('daraa~~')).toBe('daraa\\~~');
    // An edit distance is not passed through: it is part of the word.
    expect(toLuceneQuery('daraa~2')).toBe('daraa\\~2');
    // A ~ alone is no word to be fuzzy about.
    expect(toLuceneQuery('~')).toBe('\\~');
    expect(toLuceneQuery('a+~')).toBe('a\\+~');
  });

  it('lower-cases, so AND, OR and NOT are words, not operators', () => {
    expect(toLuceneQuery('Daraa AND Homs')).toBe('daraa and homs');
    expect(toLuceneQuery('NOT released OR freed')).toBe('not released or freed');
    expect(toLuceneQuery('ÉTAT')).toBe('état');
  });

  it('takes Arabic as it is written, fuzzy marks included', () => {
    expect(toLuceneQuery('ريف دمشق')).toBe('ريف دمشق');
    expect(toLuceneQuery('دمشق~')).toBe('دمشق~');
    expect(toLuceneQuery('«المعتقلين»')).toBe('«المعتقلين»');
    expect(toLuceneQuery('ريف-دمشق')).toBe('ريف\\-دمشق');
  });

  it('splits on any white space and gives nothing for empty or blank input', () => {
    expect(toLuceneQuery('  daraa \t homs\n\nhama  ')).toBe('daraa homs hama');
    expect(toLuceneQuery('')).toBe('');
    expect(toLuceneQuery('   \n\t ')).toBe('');
  });
});

/** A figure with nothing but what its label needs. */
const figure = (amount: Partial<FigureRecord>): FigureRecord => ({
  __kind: 'Figure',
  id: 'fg-x',
  subjectId: 'ev-x',
  claimId: 'cl-x',
  sensitivity: 'public',
  measure: 'people_released',
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
  ...amount,
});

/** The label a figure gets on the graph canvas. */
describe('figureLabel', () => {
  it.each([
    ['a value', { value: 1168, qualifier: 'approximately' }, 'people_released: 1,168 (approximately)'],
    ['zero', { value: 0 }, 'people_released: 0 (exact)'],
    [
      'a qualifier of two words',
      { value: 105000, qualifier: 'more_than' },
      'people_released: 105,000 (more than)',
    ],
    ['a fraction, to two places', { value: 2.71828 }, 'people_released: 2.72 (exact)'],
    ['a percentage', { value: 12.5, unit: 'percent' }, 'people_released: 12.5% (exact)'],
    ['a range', { min: 1160, max: 1168 }, 'people_released: 1,160–1,168 (exact)'],
    ['a lower bound', { min: 27, qualifier: 'at_least' }, 'people_released: 27–… (at least)'],
    ['an upper bound', { max: 30, qualifier: 'at_most' }, 'people_released: …–30 (at most)'],
    ['a lower bound of zero', { min: 0 }, 'people_released: 0–… (exact)'],
    ['a range of percentages', { min: 10, max: 20, unit: 'percent' }, 'people_released: 10–20% (exact)'],
    ['words only', { text: 'hundreds' }, 'people_released: hundreds (exact)'],
    ['nothing at all', {}, 'people_released: ? (exact)'],
    ['a value and words: the value', { value: 500, text: 'about 500' }, 'people_released: 500 (exact)'],
  ] as [string, Partial<FigureRecord>, string][])('labels %s', (_case, amount, label) => {
    expect(figureLabel(figure(amount))).toBe(label);
  });

  it('names the measure it counts', () => {
    expect(figureLabel(figure({ measure: 'people_still_detained', value: 152713 }))).toBe(
      'people_still_detained: 152,713 (exact)',
    );
  });
});
