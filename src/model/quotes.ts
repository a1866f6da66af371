import { codePoints, findAll } from './text.js';

/**
 * Where a quote sits in a source, in code points; or why it cannot be placed. A quote given with offsets
 * must be exactly the words at them; a bare quote must occur exactly once.
 */
export function locateQuote(
  text: string,
  points: readonly string[],
  q: string | { exact: string; start: number; end: number },
): { start: number; end: number } | { problem: string; candidates?: number[] } {
  if (typeof q !== 'string') {
    if (q.end > points.length)
      return { problem: `offsets ${q.start}-${q.end} lie outside the text (${points.length} code points)` };
    const actual = points.slice(q.start, q.end).join('');
    if (actual !== q.exact) {
      const found = findAll(text, q.exact);
      return {
        problem: `the text at ${q.start}-${q.end} is ${JSON.stringify(actual.slice(0, 80))}, not the quoted words${
          found.length ? `; they occur at code point(s) ${found.join(', ')}` : ''
        }`,
        candidates: found,
      };
    }
    return { start: q.start, end: q.end };
  }
  const at = findAll(text, q);
  if (at.length === 0) return { problem: `not found: ${JSON.stringify(q.slice(0, 80))}` };
  if (at.length > 1) {
    return {
      problem: `found ${at.length} times (at code points ${at.join(', ')}); quote more words or give offsets`,
      candidates: at,
    };
  }
  return { start: at[0]!, end: at[0]! + codePoints(q).length };
}
