/**
 * Offsets into source text count Unicode code points, as the W3C TextPositionSelector does: a character
 * outside the Basic Multilingual Plane (an emoji, many historic scripts) counts once, not as the two
 * UTF-16 units JavaScript strings use. No Node built-ins: the explorer (web/) imports this module too.
 */

export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Code-point offset of a UTF-16 index. */
export function toCodePointOffset(text: string, utf16Index: number): number {
  return codePointLength(text.slice(0, utf16Index));
}

/** The text between two code-point offsets (end exclusive). */
export function sliceCodePoints(points: readonly string[], start: number, end: number): string {
  return points.slice(start, end).join('');
}
