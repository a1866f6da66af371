import { describe, expect, it } from 'vitest';
import { relationId, relationStarts } from '../../src/model/ids.js';

/**
 * A relationship is looked up by id through the entity id index: relationStarts gives the ids its start
 * node may have, which must include the real one whatever hyphens the ids hold.
 */
describe('relationStarts', () => {
  it('narrows a relationship id to its possible start nodes', () => {
    expect(relationStarts('rel-part_of-pl-rif-dimashq-pl-syria')).toEqual([
      'pl',
      'pl-rif',
      'pl-rif-dimashq',
      'pl-rif-dimashq-pl',
    ]);
  });

  it.each([
    ['INVOLVED_IN', 'ac-sohr', 'ev-amnesty-releases-2022', 'reporter'],
    ['INVOLVED_IN', 'ac-regime-security-services', 'ev-t1a2b3c4d', 'perpetrator'],
    ['PART_OF', 'pl-rif-dimashq', 'pl-syria', null],
    ['OCCURRED_IN', 'ev-a51f0888-91b4-4972-a82d-856786c5071c', 'pl-daraa', null],
    ['MEMBER_OF', 'ac-t9-coal', 'ac-t9-dup', null],
    ['LOCATED_IN', 'ac-مرصد', 'pl-ريف-دمشق', null],
  ])('finds the start of %s from %s to %s among its candidates', (type, from, to, role) => {
    const id = relationId(type, from, to, role);
    const starts = relationStarts(id);
    expect(starts).toContain(from);
    // Candidates are prefixes of what follows the type, never the whole of it.
    for (const s of starts) expect(id.startsWith(`rel-${type.toLowerCase()}-${s}-`)).toBe(true);
  });

  it.each([
    ['an entity id', 'ev-amnesty-decree-2022'],
    ['a bare prefix', 'rel-'],
    ['a type alone', 'rel-part_of'],
    ['one id, with no second to end it', 'rel-part_of-syria'],
    ['an empty string', ''],
  ])('gives no candidates for %s (%j)', (_case, id) => {
    expect(relationStarts(id)).toEqual([]);
  });
});
