import { equivalentNames, stripPeriod } from './actor-names.js';
/**
 * Names for identity matching. Sources spell the same place or person in many ways: Daraa, Dar'a,
 * Deraa, درعا; Rif Dimashq, ريف دمشق; Al-Quneitra, Quneitra, القنيطرة. normalizeName reduces a name in
 * Latin or Arabic script to a comparison key that these variants share:
 *
 *  1. Unicode NFKD and lower case; combining marks (Latin diacritics, Arabic harakat, hamza and madda
 *     signs), tatweel, apostrophes and ayn/hamza marks removed; alef, yeh and teh-marbuta forms unified.
 *  2. On the padded string: articles (al-, el-, ad-, as-..., standalone al, Arabic ال) dropped, hyphens
 *     split words, generic words (governorate, province, محافظة, of, the) dropped, a word-final h after a
 *     vowel (Latin -ah/-eh for teh marbuta) and a word-final Arabic heh read as the vowel they spell.
 *  3. Letter by letter: Arabic letters transliterated to Latin consonants, vowels and the semivowels
 *     w/y dropped (transliterations disagree mostly on vowels; Arabic does not write short ones), q/c as
 *     k, doubled letters collapsed (not digits).
 *
 * The rules are data (NAME_RULES) applied by three plain steps — a per-character map, ordered string
 * replacements, a per-character map that collapses doubles — so that Cypher can compute the same key at
 * query time (see nameKeyCypher in src/graph/queries/identity.ts) without storing anything on nodes.
 */

/** Arabic letters and signs as readable Latin (used by transliterate; ASCII only). */
const ARABIC_LATIN: Record<string, string> = {
  ا: 'a',
  أ: 'a',
  إ: 'i',
  آ: 'aa',
  ٱ: 'a',
  ء: "'",
  ؤ: "'u",
  ئ: "'i",
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: "'",
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ک: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ة: 'a',
  ۀ: 'a',
  ى: 'a',
  پ: 'p',
  چ: 'ch',
  ژ: 'zh',
  گ: 'g',
  // Short-vowel signs, when a text writes them; sukun and tatweel write nothing.
  '\u064B': 'an',
  '\u064C': 'un',
  '\u064D': 'in',
  '\u064E': 'a',
  '\u064F': 'u',
  '\u0650': 'i',
  '\u0652': '',
  '\u0670': 'a',
  '\u0640': '',
  '،': ',',
  '؛': ';',
  '؟': '?',
};
/** Waw and yeh are consonants at the start of a word or after a vowel, long vowels otherwise. */
const SEMIVOWELS: Record<string, [consonant: string, vowel: string]> = {
  و: ['w', 'u'],
  ي: ['y', 'i'],
  ی: ['y', 'i'],
};
const SHADDA = '\u0651';
const VOWEL_SIGNS = '\u064B\u064C\u064D\u064E\u064F\u0650\u0651';
/** Letters that lengthen the short vowel sign before them: fatha + alef (or teh marbuta), kasra + yeh, damma + waw. */
const LENGTHENS: Record<string, string> = { '\u064E': 'اةى', '\u0650': 'يی', '\u064F': 'و' };
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';
const EXTENDED_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_LETTER = /[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FC]/;

/**
 * A small, readable Arabic → Latin transliteration (lower-case ASCII; ayn and hamza as '). Short vowels
 * are read only where the text writes them (درعا → "dr'a", دَرْعَا → "dar'a"); the article becomes "al-";
 * characters outside the Arabic script pass unchanged.
 */
export function transliterate(ar: string): string {
  let out = '';
  const chars = Array.from(ar.normalize('NFC'));
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i]!;
    const prev = i > 0 ? chars[i - 1]! : '';
    const wordStart = !ARABIC_LETTER.test(prev);
    if (
      wordStart &&
      c === 'ا' &&
      chars[i + 1] === 'ل' &&
      chars.length > i + 3 &&
      ARABIC_LETTER.test(chars[i + 2]!)
    ) {
      out += 'al-';
      i += 1;
      continue;
    }
    // A long vowel's letter after the short vowel sign of the same sound writes nothing more (دَرْعَا: dar'a).
    // A letter carrying a vowel sign itself is a consonant (سُورِيَا: suriya).
    const next = chars[i + 1];
    const voweled = next !== undefined && VOWEL_SIGNS.includes(next);
    const sign = prev === SHADDA && i > 1 ? chars[i - 2]! : prev;
    if (!voweled && LENGTHENS[sign]?.includes(c)) continue;
    const semi = SEMIVOWELS[c];
    if (semi) {
      const afterVowel = prev === 'ا' || prev === 'و' || prev === 'ي';
      out += wordStart || afterVowel || voweled ? semi[0] : semi[1];
      continue;
    }
    if (c === SHADDA) {
      // Doubles the consonant before it (NFC puts a short vowel sign before the shadda: رَّ).
      out = out.replace(/([^aiu\s'-])([aiu]*)$/, '$1$1$2');
      continue;
    }
    const digit = ARABIC_DIGITS.indexOf(c) >= 0 ? ARABIC_DIGITS.indexOf(c) : EXTENDED_DIGITS.indexOf(c);
    if (digit >= 0) {
      out += String(digit);
      continue;
    }
    out += ARABIC_LATIN[c] ?? c;
  }
  return out;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** Step 1: one character → its replacement (after NFKD and lower case). Unlisted characters stay. */
const FOLD: Record<string, string> = {
  ...Object.fromEntries(
    [
      ...range(0x0300, 0x036f), // Latin combining diacritics
      ...range(0x0610, 0x061a), // Arabic honorific and Quranic signs
      ...range(0x064b, 0x065f), // harakat, shadda, sukun, hamza and madda above/below
      '\u0670', // superscript alef
      ...range(0x06d6, 0x06ed), // Quranic annotation signs
      '\u0640', // tatweel
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\ufeff',
      // apostrophes and the signs transliterations use for ayn and hamza
      "'",
      '\u2019',
      '\u2018',
      '`',
      '\u00b4',
      '\u02bc',
      '\u02bb',
      '\u02bf',
      '\u02be',
      '\u2032',
      'ء',
    ].map((c) => [c, '']),
  ),
  // Alef, yeh, teh marbuta and kaf forms (hamza and madda signs are already split off by NFKD).
  ٱ: 'ا',
  ى: 'ي',
  ی: 'ي',
  ة: 'ه',
  ۀ: 'ه',
  ک: 'ك',
  // Letters NFKD does not decompose.
  ı: 'i',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  // Dashes join like hyphens; other punctuation separates words.
  '\u2010': '-',
  '\u2011': '-',
  ...Object.fromEntries([...',.;:()[]{}/\\_"«»،؛!?&+|*#@\t\n\r\u00a0\u2013\u2014'].map((c) => [c, ' '])),
  ...Object.fromEntries([...ARABIC_DIGITS].map((c, i) => [c, String(i)])),
  ...Object.fromEntries([...EXTENDED_DIGITS].map((c, i) => [c, String(i)])),
};

/** Latin articles written joined with a hyphen: al-, el- and the assimilated ad-, ar-, as-, ash-, ... */
const ARTICLES = [
  ...['al', 'el', 'il', 'ul'],
  ...['ad', 'ar', 'as', 'ash', 'at', 'ath', 'az', 'an', 'adh'],
  ...['ed', 'er', 'es', 'esh', 'et', 'ez', 'en'],
];
/** Generic words that name what a place is rather than which one (after step 1: ة is ه). */
const GENERIC_WORDS = [
  'governorate',
  'governorates',
  'governate',
  'province',
  'provinces',
  'muhafazat',
  'muhafazah',
  'muhafaza',
  'mohafazat',
  'محافظه',
  'محافظات',
  'of',
  'the',
];

/** Step 2: ordered replacements on " " + name + " " (the padding makes word boundaries literal). */
const PHRASES: [string, string][] = [
  ...ARTICLES.map((a): [string, string] => [` ${a}-`, ' ']),
  [' al ', ' '],
  [' el ', ' '],
  [' ال', ' '],
  ['-', ' '],
  ...GENERIC_WORDS.map((w): [string, string] => [` ${w} `, ' ']),
  // A word-final h after a vowel spells teh marbuta (Raqqah, Hasakeh); a final Arabic heh reads as a vowel.
  ...['a', 'e', 'i', 'o', 'u'].map((v): [string, string] => [`${v}h `, `${v} `]),
  ['ه ', 'ا '],
  ['ph', 'f'],
  ['ck', 'k'],
  ['dh', 'd'],
  ['th', 't'],
  ['x', 'ks'],
];

/** Skeleton of a Latin transliteration: vowels and w/y dropped, q and c as k, th/dh as t/d. */
function latinSkeleton(latin: string): string {
  return latin
    .replace(/[aeiouwy']/g, '')
    .replace(/dh/g, 'd')
    .replace(/th/g, 't')
    .replace(/[qc]/g, 'k');
}

/** Step 3: one character → its key letters; a character equal to the one before it adds nothing. */
const LETTERS: Record<string, string> = {
  ...Object.fromEntries([...'aeiouwy'].map((c) => [c, ''])),
  q: 'k',
  c: 'k',
  // Arabic letters as their transliteration's skeleton, so that درعا and Daraa share "dr".
  ...Object.fromEntries(
    Object.entries(ARABIC_LATIN)
      .filter(([c]) => ARABIC_LETTER.test(c))
      .map(([c, latin]) => [c, latinSkeleton(latin)]),
  ),
  و: '',
  ي: '',
};

/** The rules of normalizeName as data, for computing the same key in Cypher. */
export const NAME_RULES: Readonly<{
  fold: Record<string, string>;
  phrases: [string, string][];
  letters: Record<string, string>;
}> = Object.freeze({ fold: FOLD, phrases: PHRASES, letters: LETTERS });

const isDigit = (c: string) => c >= '0' && c <= '9';

/**
 * The three steps, on UTF-16 units (as Cypher's split(s, '') does), returning the padded key with its
 * words separated by spaces (runs of spaces collapse as doubles).
 */
function applyRules(name: string): string {
  let folded = '';
  for (const c of name.normalize('NFKD').toLowerCase().split('')) folded += FOLD[c] ?? c;
  let padded = ` ${folded} `;
  for (const [from, to] of PHRASES) padded = padded.replaceAll(from, to);
  let out = '';
  let prev = '';
  for (const c of padded.split('')) {
    out += c === prev && !isDigit(c) ? '' : (LETTERS[c] ?? c);
    prev = c;
  }
  return out;
}

/**
 * The comparison key of a name, in either script: its words' consonant skeletons, separated by single
 * spaces (Daraa, Dar'a, Deraa, درعا → "dr"; Rif Dimashq, ريف دمشق → "rf dmshk"). Empty when nothing is
 * left (a name of vowels or punctuation only).
 */
export function normalizeName(s: string): string {
  return applyRules(s).split(' ').filter(Boolean).join(' ');
}

/** normalizeName without word breaks ("Rif-Dimashq" and "Rifdimashq" agree); what Cypher compares. */
export function nameKey(s: string): string {
  return normalizeName(s).replaceAll(' ', '');
}

/** Whether a name contains Arabic letters (then transliterate shows how it reads). */
export function isArabic(s: string): boolean {
  return ARABIC_LETTER.test(s);
}

/** Levenshtein distance between two short strings (keys are a few dozen letters at most). */
function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export interface NameMatch {
  /** 0..1: 1 for the same key, less for shared words, a near key or a known equivalent name. */
  score: number;
  how: 'identical' | 'normalised' | 'equivalent' | 'words' | 'similar' | 'none';
}

/**
 * Words that say what kind of body or place a name is rather than which one ("Directorate", "Branch",
 * "Forces", "Camp"), and function words. They count in a comparison of names, but for less
 * (GENERIC_WEIGHT) than a word that tells bodies apart: "Air Force Intelligence" is nearer to "Air
 * Force Intelligence Directorate" than "General Intelligence Directorate" is, though each shares two
 * words with it. Compared by key, so "Directorate" and "directorate" are one word.
 */
const GENERIC_NAME_WORDS = [
  ...['directorate', 'department', 'branch', 'division', 'administration', 'office', 'agency'],
  ...['service', 'services', 'ministry', 'committee', 'council', 'unit', 'intelligence', 'security'],
  ...['forces', 'force', 'armed', 'military', 'militia', 'group', 'brigade', 'battalion', 'regiment'],
  ...['police', 'government', 'authorities', 'national', 'state'],
  ...['prison', 'camp', 'city', 'town', 'village', 'district', 'area', 'region'],
  ...['in', 'on', 'at', 'and', 'for', 'by', 'to', 'from', 'de', 'la', 'du'],
];
const GENERIC_WEIGHT = 0.3;
/** How much a word matched only by a near key (one letter off) counts, of a word matched exactly. */
const NEAR_WORD = 0.8;

/** A word as names are compared by: its key, or the plain word when the key is too short to tell (air → r). */
function wordToken(word: string): string {
  const key = normalizeName(word).replaceAll(' ', '');
  return key.length >= 2 ? key : `=${plainName(word)}`;
}

const GENERIC_TOKENS = new Set(GENERIC_NAME_WORDS.map(wordToken));

/**
 * A name with case, diacritics, dashes and punctuation but apostrophes folded, and spaces collapsed:
 * "Deir ez-Zor" and "deir ez zor" are one name, "Dar'a" and "Dara" are not. What an import compares
 * when it reuses a stored record by name (services/import-reuse.ts): exact up to typography.
 */
export function plainName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2019\u2018`\u00b4\u02bc\u02bb\u02bf\u02be]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}

/** The words of a name as tokens with weights (a generic word weighs GENERIC_WEIGHT). */
function weightedWords(name: string): { token: string; weight: number }[] {
  const tokens = [...new Set(applyRules(name).split(' ').filter(Boolean))];
  // applyRules gives keys; a key under two letters is re-read from the plain words of the name.
  const plainWords = plainName(name).split(' ').filter(Boolean);
  const short = new Set(plainWords.filter((w) => wordToken(w).startsWith('=')).map(wordToken));
  const all = [...tokens.filter((t) => t.length >= 2), ...short];
  return all.map((token) => ({ token, weight: GENERIC_TOKENS.has(token) ? GENERIC_WEIGHT : 1 }));
}

/** How well a word token matches the best word of the other name: 1 the same, NEAR_WORD × similarity one letter off. */
function wordMatch(token: string, others: { token: string }[]): number {
  let best = 0;
  for (const o of others) {
    if (o.token === token) return 1;
    if (token.startsWith('=') || o.token.startsWith('=')) continue;
    if (Math.min(token.length, o.token.length) < 4) continue;
    const sim = 1 - levenshtein(token, o.token) / Math.max(token.length, o.token.length);
    if (sim >= 0.75) best = Math.max(best, sim * NEAR_WORD);
  }
  return best;
}

/**
 * How alike two names are. Identical text (ignoring case and diacritics) scores 1; the same key 1, or
 * 0.85 when the key is two letters or fewer (short skeletons collide: Dara, Dura); names the table of
 * src/model/actor-names.ts holds as one actor 0.9. Otherwise the words are compared (ACLED's period
 * suffix "(2000-)" left out): each word of one name is matched to the best word of the other (same key,
 * or a key one letter off for words of four letters or more), and the share of matched words, weighted
 * (generic words such as "Directorate" weigh less), scores up to 0.8.
 */
export function compareNames(a: string, b: string): NameMatch {
  const plain = (s: string) =>
    s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (plain(a) && plain(a) === plain(b)) return { score: 1, how: 'identical' };
  const ka = normalizeName(a);
  const kb = normalizeName(b);
  if (!ka || !kb) return { score: 0, how: 'none' };
  const ja = ka.replaceAll(' ', '');
  const jb = kb.replaceAll(' ', '');
  if (ja === jb) return { score: ja.length <= 2 ? 0.85 : 1, how: 'normalised' };
  if (equivalentNames(a, b)) return { score: 0.9, how: 'equivalent' };
  const sa = nameKey(stripPeriod(a));
  if (sa && sa === nameKey(stripPeriod(b))) return { score: 0.95, how: 'normalised' };
  const wa = weightedWords(stripPeriod(a));
  const wb = weightedWords(stripPeriod(b));
  const total = [...wa, ...wb].reduce((n, w) => n + w.weight, 0);
  if (!total) return { score: 0, how: 'none' };
  let matched = 0;
  let exact = false;
  for (const [words, others] of [
    [wa, wb],
    [wb, wa],
  ] as const) {
    for (const w of words) {
      const m = wordMatch(w.token, others);
      if (m === 1) exact = true;
      matched += w.weight * m;
    }
  }
  const score = Math.round((matched / total) * 0.8 * 1000) / 1000;
  if (score === 0) return { score: 0, how: 'none' };
  return { score, how: exact ? 'words' : 'similar' };
}
