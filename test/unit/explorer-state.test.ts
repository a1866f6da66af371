import { describe, expect, it } from 'vitest';
import { emptyState, parseState, serializeState } from '../../web/src/state.js';

/** The explorer's view state in the URL fragment: what a shared link carries. */
describe('explorer view state', () => {
  it('round-trips through the fragment', () => {
    const state = {
      open: ['ev-amnesty-releases-2022', 'pl-aleppo'],
      selected: 'rel-abc',
      kinds: ['EVENT' as const, 'PLACE' as const],
      limit: 25,
      from: 'pl-aleppo',
      to: 'ac-syrian-president',
      query: 'ريف دمشق',
    };
    expect(parseState(`#${serializeState(state)}`)).toEqual(state);
  });

  it('leaves defaults out of the link and reads an empty fragment as the default view', () => {
    expect(serializeState(emptyState())).toBe('');
    expect(parseState('')).toEqual(emptyState());
  });

  it('ignores what it does not know: unknown kinds, limits off the list, repeated ids', () => {
    const s = parseState('#kinds=EVENT,SECRET&limit=100000&open=a,b,a');
    expect(s.kinds).toEqual(['EVENT']);
    expect(s.limit).toBe(100);
    expect(s.open).toEqual(['a', 'b']);
  });
});
