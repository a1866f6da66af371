import { describe, expect, it } from 'vitest';
import { durationProblem, figureConflictKey, shareOfProblem } from '../../src/model/claims.js';

describe('a figure duration (ISO 8601)', () => {
  it.each(['P4Y', 'P18M', 'P2W', 'P10D', 'PT36H', 'PT90M', 'PT30S', 'P1Y6M', 'P1DT12H', 'P1.5Y', 'P0D'])(
    'accepts %s',
    (d) => expect(durationProblem(d)).toBeNull(),
  );

  it.each(['P', '4Y', 'PT', 'P1YT', 'p4y', 'P4', 'P4Y ', 'P-4Y', 'PY', 'P4H', 'P1.5Y2M', 'four years', ''])(
    'refuses %j',
    (d) => expect(durationProblem(d)).toMatch(/ISO 8601|fraction/),
  );

  it('refuses absurdly long values', () => expect(durationProblem(`P${'9'.repeat(50)}Y`)).not.toBeNull());
});

describe('the share rule (loader and API alike)', () => {
  const whole = { claimId: 'cl-whole', kind: 'figure', status: 'asserted', unit: 'people' };
  it('allows a part in the whole’s unit or in percent', () => {
    expect(shareOfProblem({ claimId: 'cl-part', unit: 'people' }, whole)).toBeNull();
    expect(shareOfProblem({ claimId: 'cl-part', unit: 'percent' }, whole)).toBeNull();
    expect(
      shareOfProblem({ claimId: 'cl-part', unit: 'percent' }, { ...whole, status: 'disputed' }),
    ).toBeNull();
  });
  it('refuses other units, non-figure, retracted and itself', () => {
    expect(shareOfProblem({ claimId: 'cl-part', unit: 'days' }, whole)).toMatch(/unit/);
    expect(
      shareOfProblem({ claimId: 'cl-part', unit: 'people' }, { ...whole, kind: 'statement', unit: null }),
    ).toBe('cl-whole is not a figure claim');
    expect(shareOfProblem({ claimId: 'cl-part', unit: 'people' }, { ...whole, status: 'retracted' })).toBe(
      'cl-whole is retracted',
    );
    expect(shareOfProblem({ claimId: 'cl-whole', unit: 'people' }, whole)).toMatch(/itself/);
  });
});

describe('the figure sameness key', () => {
  const base = {
    measure: 'people_hanged',
    subgroup: null,
    unit: 'people',
    periodStart: null,
    periodEnd: null,
  };
  it('is unchanged for figures without the new parts (stored keys stay valid)', () => {
    expect(figureConflictKey(base)).toBe('figure|people_hanged||people||');
    expect(figureConflictKey({ ...base, sex: null, ageGroup: null, category: null, duration: null })).toBe(
      'figure|people_hanged||people||',
    );
  });
  it('tells apart a count over four years, women, children and army defectors', () => {
    const keys = [
      figureConflictKey(base),
      figureConflictKey({ ...base, duration: 'P4Y' }),
      figureConflictKey({ ...base, duration: 'P2Y' }),
      figureConflictKey({ ...base, sex: 'female' }),
      figureConflictKey({ ...base, ageGroup: 'child' }),
      figureConflictKey({ ...base, category: 'army_defectors' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
