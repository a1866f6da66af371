import { describe, expect, it } from 'vitest';
import { fatalities } from '../../src/io/export/acled.js';
import type { AcledFigure, ExportAcledEvent } from '../../src/model/export-records.js';

/** ACLED's fatalities column from the figures of an event: which figures count. */

const figure = (id: string, value: number, claimStatus: string | null): AcledFigure => ({
  id,
  measure: 'fatalities',
  value,
  min: null,
  max: null,
  qualifier: 'approximately',
  unit: 'people',
  subgroup: null,
  claimStatus,
});

const event = (figures: AcledFigure[]) => ({ figures }) as unknown as ExportAcledEvent;

describe('ACLED export: fatalities', () => {
  it('takes the lowest reported total, as ACLED keeps the most conservative count', () => {
    expect(fatalities(event([figure('a', 5, 'asserted'), figure('b', 3, 'disputed')]))).toBe(3);
  });

  it('leaves out figures whose claim was superseded by a later release, retracted, or is hidden', () => {
    // Week 1 said 1; week 2 of the same dataset said 3 and superseded it: the export says 3.
    expect(fatalities(event([figure('week1', 1, 'superseded'), figure('week2', 3, 'asserted')]))).toBe(3);
    expect(fatalities(event([figure('a', 1, 'retracted'), figure('b', 4, 'asserted')]))).toBe(4);
    expect(fatalities(event([figure('a', 1, null)]))).toBe(0);
  });
});
