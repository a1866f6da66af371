import { describe, expect, it } from 'vitest';
import { percentEncode } from '../helpers/fuzz.js';

describe("the fuzzer's GET encoding", () => {
  it('encodes well-formed text exactly as encodeURIComponent does', () => {
    for (const s of ['{ viewer { role } }', 'قرار العفو', '😀 & = ? #', '']) {
      expect(percentEncode(s)).toBe(encodeURIComponent(s));
    }
  });

  it('sends a lone surrogate as its raw bytes instead of throwing URIError', () => {
    expect(() => encodeURIComponent('a\uD800b')).toThrow(URIError);
    expect(percentEncode('a\uD800b')).toBe('a%ED%A0%80b');
    expect(percentEncode('\uDFFF')).toBe('%ED%BF%BF');
  });
});
