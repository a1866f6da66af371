import { describe, expect, it } from 'vitest';
import { codePointLength, findAll, isWellFormed, selectorAt, sha256 } from '../../src/model/text.js';

describe('source text offsets', () => {
  it('count code points, so astral characters count once', () => {
    const text = 'a😀b𝕏c';
    expect(text.length).toBe(7); // UTF-16 units
    expect(codePointLength(text)).toBe(5);
    expect(findAll(text, 'c')).toEqual([4]);
    expect(selectorAt(Array.from(text), 2, 4)).toMatchObject({ exact: 'b𝕏', prefix: 'a😀', suffix: 'c' });
  });

  it('finds every occurrence, Arabic included', () => {
    expect(findAll('درعا ودرعا', 'درعا')).toEqual([0, 6]);
  });

  it('hashes the UTF-8 bytes', () => {
    expect(sha256('ريف دمشق')).toBe('db73b07e623fbaedd354d0f89db87d21c7bd162ba20a07c00c6a3d5da885f137');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('detects lone surrogates', () => {
    expect(isWellFormed('ok 😀')).toBe(true);
    expect(isWellFormed('bad \uD83D')).toBe(false);
  });
});
