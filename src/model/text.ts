import { createHash } from 'node:crypto';
import { sliceCodePoints, toCodePointOffset } from './code-points.js';

export { codePointLength, codePoints, sliceCodePoints, toCodePointOffset } from './code-points.js';

/**
 * Offsets into source text count Unicode code points, as the W3C TextPositionSelector does: a character
 * outside the Basic Multilingual Plane (an emoji, many historic scripts) counts once, not as the two
 * UTF-16 units JavaScript strings use.
 */

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Every code-point start offset at which quote occurs (overlapping occurrences included). */
export function findAll(text: string, quote: string): number[] {
  const out: number[] = [];
  if (!quote) return out;
  let from = 0;
  for (;;) {
    const i = text.indexOf(quote, from);
    if (i < 0) break;
    out.push(toCodePointOffset(text, i));
    from = i + 1;
  }
  return out;
}

export const CONTEXT_LENGTH = 32;

export interface TextPosition {
  exact: string;
  start: number;
  end: number;
  prefix: string;
  suffix: string;
}

/** A W3C TextQuote + TextPosition selector for [start, end) of the text. */
export function selectorAt(points: readonly string[], start: number, end: number): TextPosition {
  return {
    exact: sliceCodePoints(points, start, end),
    start,
    end,
    prefix: sliceCodePoints(points, Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: sliceCodePoints(points, end, Math.min(points.length, end + CONTEXT_LENGTH)),
  };
}

/** Whether text is well-formed: no lone surrogates (which cannot be encoded as UTF-8). */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
