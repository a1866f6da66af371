import { codePointLength, toCodePointOffset } from '../../model/text.js';
import type { Quote } from './common.js';
import type { FtmRecord } from './ftm-read.js';

/**
 * Which source a claim of an FtM import cites, and with what words. A claim derived from a line cites the
 * document behind it (an entity's `proof`, a Documentation's `document`) when that document became a
 * source and its text holds words the claim is about (a name, a date as written in prose, the exact
 * words a Documentation quotes): then it quotes those words there, and its line of the file as a second
 * quote. Otherwise it stays on the file and quotes its line. A claim never quotes words its source does
 * not contain: the loader verifies every quote.
 */

/** A quote as the bundle takes it, possibly in another source than the claim's. */
export type SourcedQuote = Quote & { source?: string };

export interface Citation {
  source: string;
  quotes: SourcedQuote[];
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** How prose writes an ISO date: 2022-05-03 as "3 May 2022" and "May 3, 2022"; 2022-05 as "May 2022". */
export function proseDates(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) return [];
  if (!m[3]) return [`${month} ${m[1]}`];
  const day = String(Number(m[3]));
  return [`${day} ${month} ${m[1]}`, `${month} ${day}, ${m[1]}`];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Evidence {
  private readonly texts = new Map<string, string>();

  /** fileSource: the stored FtM file, which every claim can quote by its line. */
  constructor(private readonly fileSource: string) {}

  /** A document of the file that became a source, with its text. */
  addDocument(sourceId: string, text: string): void {
    this.texts.set(sourceId, text);
  }

  hasDocument(sourceId: string): boolean {
    return this.texts.has(sourceId);
  }

  /**
   * The first occurrence of the words in the source's text as a whole phrase (not inside a longer word),
   * ignoring case: the quote is the source's own spelling at code-point offsets. Words shorter than three
   * characters are not looked for (they would match anywhere).
   */
  find(sourceId: string, words: string): Quote | undefined {
    const text = this.texts.get(sourceId);
    const phrase = words.trim();
    if (!text || codePointLength(phrase) < 3) return undefined;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, 'iu');
    const m = re.exec(text);
    if (!m) return undefined;
    const start = toCodePointOffset(text, m.index);
    return { exact: m[0], start, end: start + codePointLength(m[0]) };
  }

  /**
   * The citation of a claim derived from record r: the first of the documents whose text holds any of the
   * words (each found phrase quoted once, in the order given), with r's line as a further quote; else
   * the file, quoting r's line.
   */
  cite(r: FtmRecord, documents: readonly string[], words: readonly string[]): Citation {
    for (const doc of documents) {
      const quotes: SourcedQuote[] = [];
      for (const w of words) {
        const q = this.find(doc, w);
        if (q && !quotes.some((x) => x.start === q.start && x.end === q.end)) quotes.push(q);
      }
      if (quotes.length) return { source: doc, quotes: [...quotes, { ...r.quote, source: this.fileSource }] };
    }
    return { source: this.fileSource, quotes: [r.quote] };
  }
}
