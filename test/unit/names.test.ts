import { describe, expect, it } from 'vitest';
import type { EntityRecord } from '../../src/graph/records.js';
import { equivalentNames, stripPeriod } from '../../src/model/actor-names.js';
import { identifierKey } from '../../src/model/identifiers.js';
import { compareNames, nameKey, normalizeName, plainName, transliterate } from '../../src/model/names.js';
import { scoreCandidate } from '../../src/services/identity.js';

/** Spellings of one place, in Latin and Arabic script, that must share a key. */
const SAME: [string, string[]][] = [
  ['Daraa', ["Dar'a", 'Deraa', 'Darʿā', 'DARAA', 'درعا', 'دَرْعَا', 'Daraa Governorate', 'محافظة درعا']],
  ['Rif Dimashq', ['Rif-Dimashq', 'ريف دمشق', 'Rīf Dimashq', 'ريـــف دمشق']],
  ['Rural Damascus', ['Rural Damascus Governorate', 'rural  damascus', 'Governorate of Rural Damascus']],
  [
    'Al-Quneitra',
    ['Quneitra', 'Al Qunaytirah', 'al-Qunaytirah', 'القنيطرة', 'El-Quneitra', 'Quneitra Province'],
  ],
  ['Homs', ['Hims', 'Ḥimṣ', 'حمص']],
  ['Hama', ['Hamah', 'حماة', 'حماه']],
  ['Aleppo', ['Alepo']],
  ['Halab', ['حلب']],
  ['Deir ez-Zor', ['Dayr al-Zawr', 'Deir el-Zor', 'دير الزور']],
  ['Raqqa', ['Ar-Raqqah', 'Al-Raqqa', 'الرقة']],
  ['Al-Hasakah', ['Hasaka', 'Hassakeh', 'الحسكة']],
  ['Idlib', ['إدلب', 'ادلب']],
  ['Syria', ['سوريا', 'Sūriyā']],
  ['Suwayda', ['As-Suwayda', "As-Suwayda'", 'السويداء']],
];

/** Different places whose keys must differ. */
const DIFFERENT: [string, string][] = [
  ['Daraa', 'Homs'],
  ['Homs', 'Hama'],
  ['Rif Dimashq', 'Damascus'],
  ['ريف دمشق', 'دمشق'],
  ['Quneitra', 'Qamishli'],
  ['Aleppo', 'Halab'], // an exonym, not a spelling: only an alias links them
  ['Idlib', 'Aleppo'],
  ['درعا', 'حمص'],
  ['Raqqa', 'Daraa'],
];

describe('normalizeName', () => {
  it.each(SAME)('gives %s the key of each of its spellings', (name, variants) => {
    const key = normalizeName(name);
    expect(key).not.toBe('');
    for (const v of variants) expect(normalizeName(v), v).toBe(key);
  });

  it.each(DIFFERENT)('tells %s from %s', (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('keeps words apart, drops articles, generic words, diacritics, harakat and tatweel', () => {
    expect(normalizeName('Rif Dimashq')).toBe('rf dmshk');
    expect(normalizeName('ريـفُ دِمَشْق')).toBe('rf dmshk');
    expect(normalizeName('Al-Quneitra')).toBe('kntr');
    expect(normalizeName('Governorate of Daraa')).toBe('dr');
    expect(nameKey('Rif-Dimashq')).toBe('rfdmshk');
  });

  it('unifies alef, hamza, yeh and teh marbuta forms', () => {
    for (const [a, b] of [
      ['أحمد', 'احمد'],
      ['إدلب', 'آدلب'],
      ['مستشفى', 'مستشفي'],
      ['حماة', 'حماه'],
      ['رؤية', 'روية'],
    ]) {
      expect(normalizeName(a!), a).toBe(normalizeName(b!));
    }
  });

  it('gives an empty key to names without letters or digits', () => {
    expect(normalizeName(' - ')).toBe('');
    expect(normalizeName("'")).toBe('');
  });
});

describe('transliterate', () => {
  it.each([
    ['ريف دمشق', 'rif dmshq'],
    ['درعا', "dr'a"],
    ['القنيطرة', 'al-qnitra'],
    ['حمص', 'hms'],
    ['دير الزور', 'dir al-zur'],
    ['كفر بطنا ٧٣', 'kfr btna 73'],
    ['Daraa', 'Daraa'],
  ])('%s reads %s', (ar, latin) => {
    expect(transliterate(ar)).toBe(latin);
  });

  it('reads short vowels and shadda when the text writes them', () => {
    expect(transliterate('دَرْعَا')).toBe("dar'a");
    expect(transliterate('الرَّقَّة')).toBe('al-rraqqa');
    expect(transliterate('سُورِيَا')).toBe('suriya');
  });
});

describe('compareNames', () => {
  it('scores identical text 1, the same key 1 (0.85 for keys of two letters), shared words less', () => {
    expect(compareNames('Daraa', 'daraa')).toEqual({ score: 1, how: 'identical' });
    expect(compareNames('Rif Dimashq', 'ريف دمشق')).toEqual({ score: 1, how: 'normalised' });
    expect(compareNames("Dar'a", 'Daraa')).toEqual({ score: 0.85, how: 'normalised' });
    const words = compareNames('Damascus', 'Rural Damascus');
    expect(words.how).toBe('words');
    expect(words.score).toBeGreaterThan(0.4);
    expect(words.score).toBeLessThan(0.85);
    expect(compareNames('Daraa', 'Homs')).toEqual({ score: 0, how: 'none' });
  });

  it('weighs words that tell bodies apart above generic ones (Directorate, Intelligence)', () => {
    const afi = compareNames('Air Force Intelligence Directorate', 'Air Force Intelligence');
    const other = compareNames('Air Force Intelligence Directorate', 'General Intelligence Directorate');
    expect(afi.how).toBe('words');
    expect(afi.score).toBeGreaterThan(0.6);
    expect(other.score).toBeLessThan(0.35);
    // "Air" keys to one letter (r): compared as the word itself, so it still counts.
    expect(compareNames('Air Force', 'Naval Force').score).toBeLessThan(
      compareNames('Air Force', 'Air Forces').score,
    );
  });

  it('knows ACLED’s state actor names and compares names without ACLED’s period suffix', () => {
    expect(compareNames('Syrian regime', 'Government of Syria (2000-)')).toEqual({
      score: 0.9,
      how: 'equivalent',
    });
    expect(compareNames('Syrian army', 'Military Forces of Syria (2000-)').how).toBe('equivalent');
    expect(compareNames('Government of Syria (1971-2000)', 'Government of Syria (2000-)')).toEqual({
      score: 0.95,
      how: 'normalised',
    });
    // Not every government is a regime: the table says so for Syria only.
    expect(compareNames('Iraqi regime', 'Government of Iraq (2014-)').how).not.toBe('equivalent');
    expect(equivalentNames('Iraqi government', 'Government of Iraq (2014-)')).toBe(true);
    expect(stripPeriod('Police Forces of Syria (2000-)')).toBe('Police Forces of Syria');
  });
});

describe('plainName and identifierKey', () => {
  it('makes names equal up to typography only, and ISO 3166 and Wikidata keys case-free', () => {
    expect(plainName('Deir ez-Zor')).toBe(plainName('DEIR EZ ZOR'));
    expect(plainName('Ḥimṣ')).toBe('hims');
    expect(plainName("Dar'a")).toBe(plainName('Dar’a'));
    expect(plainName("Dar'a")).not.toBe(plainName('Dara'));
    expect(identifierKey('iso3166', ' sy ')).toBe('iso3166:SY');
    expect(identifierKey('wikidata', 'q858')).toBe('wikidata:Q858');
    expect(identifierKey('ftm', 'PB.abc')).toBe('ftm:PB.abc');
  });
});

const entity = (over: Partial<EntityRecord>): EntityRecord => ({
  __kind: 'Event',
  id: 'ev-x',
  type: 'release_batch',
  name: 'x',
  lang: 'en',
  aliases: [],
  description: null,
  identifiers: [],
  sensitivity: 'public',
  date: null,
  endDate: null,
  version: 1,
  ...over,
});
const day = (value: string, earliest: string, latest: string) =>
  ({ value, precision: 'day', qualifier: 'exact', earliest, latest, text: null }) as const;

describe('scoreCandidate', () => {
  const a = entity({
    id: 'ev-a',
    name: 'Release in Daraa',
    date: day('2022-05-02', '2022-05-02', '2022-05-02'),
  });

  it('adds same type, overlapping dates, shared places and identifiers to the name', () => {
    const b = entity({
      id: 'ev-b',
      name: "Release in Dar'a",
      date: {
        value: '2022-05',
        precision: 'month',
        qualifier: 'exact',
        earliest: '2022-05-01',
        latest: '2022-05-31',
        text: null,
      },
      identifiers: [{ scheme: 'acled', value: 'SYR1' }],
    });
    const out = scoreCandidate(
      {
        entity: { ...a, identifiers: [{ scheme: 'acled', value: 'SYR1' }] },
        places: [{ id: 'pl-daraa', name: 'Daraa' }],
      },
      { entity: b, places: [{ id: 'pl-daraa', name: 'Daraa' }] },
    );
    expect(out!.score).toBe(1);
    expect(out!.reasons).toEqual([
      `name "Release in Daraa" matches "Release in Dar'a" (normalised: rls n dr)`,
      'same identifier: acled:SYR1',
      'same type: release_batch',
      'dates overlap: 2022-05-02 and 2022-05',
      'shared place: Daraa',
    ]);
  });

  it('penalises dates that exclude each other and drops what has nothing in favour', () => {
    const b = entity({
      id: 'ev-b',
      name: 'Release in Daraa',
      date: day('2019-01-01', '2019-01-01', '2019-01-01'),
    });
    const out = scoreCandidate({ entity: a, places: [] }, { entity: b, places: [] });
    expect(out!.reasons).toContain('dates do not overlap: 2022-05-02 and 2019-01-01');
    expect(out!.score).toBeCloseTo(0.7 + 0.1 - 0.25);
    expect(
      scoreCandidate({ entity: a, places: [] }, { entity: entity({ name: 'Homs' }), places: [] }),
    ).toBeNull();
  });
});
