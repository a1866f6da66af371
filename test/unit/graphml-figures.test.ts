import { describe, expect, it } from 'vitest';
import { amountText, FigureSummaries } from '../../src/io/export/graphml-figures.js';
import { nodeXml } from '../../src/io/export/graphml.js';
import type { ExportFigure, ExportNode } from '../../src/io/export/index.js';

function figure(over: Partial<ExportFigure>): ExportFigure {
  return {
    id: `fg-${Math.random()}`,
    measure: 'people_released',
    value: null,
    min: null,
    max: null,
    qualifier: 'exact',
    unit: 'people',
    subgroup: null,
    text: null,
    duration: null,
    sex: null,
    ageGroup: null,
    category: null,
    subjectId: 'ev-1',
    shareOfId: null,
    duringId: null,
    claimId: 'cl-1',
    claimStatus: 'asserted',
    ...over,
  };
}

const event: ExportNode = {
  id: 'ev-1',
  kind: 'Event',
  type: 'release_batch',
  name: 'Releases',
  date: null,
  endDate: null,
  latitude: null,
  longitude: null,
};

describe('GraphML figure attributes', () => {
  it('writes amounts, ranges and open ranges with their unit', () => {
    expect(amountText(figure({ value: 1160 }))).toBe('1160');
    expect(amountText(figure({ min: 1000, max: 1200 }))).toBe('1000-1200');
    expect(amountText(figure({ min: 1000 }))).toBe('>=1000');
    expect(amountText(figure({ max: 50, unit: 'days' }))).toBe('<=50 days');
    expect(amountText(figure({ value: 12.5, unit: 'percent' }))).toBe('12.5 percent');
  });

  it('keeps every value claims give (disagreement stays visible), subgroups apart, retracted ones out', () => {
    const s = new FigureSummaries();
    s.add(figure({ value: 1168 }));
    s.add(figure({ value: 1160 }));
    s.add(figure({ value: 1160 }));
    s.add(figure({ min: 1000, max: 1200 }));
    s.add(figure({ value: 40, sex: 'female' }));
    s.add(figure({ value: 9999, claimStatus: 'retracted' }));
    s.add(figure({ value: 5, claimStatus: null }));
    s.add(figure({ measure: 'deaths_in_custody', value: 3 }));
    expect(s.text('ev-1')).toBe(
      'deaths_in_custody=3; people_released=1000-1200|1160|1168; people_released (female)=40',
    );
    // Extents of whole-population figures only: the subgroup's 40 is not the minimum of the releases.
    expect(s.extents('ev-1')).toEqual({
      fig_deaths_in_custody_min: 3,
      fig_deaths_in_custody_max: 3,
      fig_people_released_min: 1000,
      fig_people_released_max: 1200,
    });
    expect(s.text('ev-other')).toBeNull();
    expect(s.extents('ev-other')).toEqual({});
  });

  it('names a measure given in several units by its unit too, with key ids safe in XML', () => {
    const s = new FigureSummaries();
    s.add(figure({ measure: 'detention length', value: 30, unit: 'days' }));
    s.add(figure({ measure: 'detention length', value: 2, unit: 'other' }));
    expect([...s.numericKeys().values()]).toEqual([
      { id: 'fig_detention_length_days_min', name: 'detention length_days_min' },
      { id: 'fig_detention_length_days_max', name: 'detention length_days_max' },
      { id: 'fig_detention_length_other_min', name: 'detention length_other_min' },
      { id: 'fig_detention_length_other_max', name: 'detention length_other_max' },
    ]);
  });

  it('puts dates, coordinates and figures on the node, typed by the keys', () => {
    const s = new FigureSummaries();
    s.add(figure({ value: 27 }));
    const xml = nodeXml(
      {
        ...event,
        date: {
          value: '2013-05',
          precision: 'month',
          qualifier: 'exact',
          earliest: '2013-05-01',
          latest: '2013-05-31',
          text: null,
        },
        endDate: {
          value: '2015',
          precision: 'year',
          qualifier: 'exact',
          earliest: '2015-01-01',
          latest: '2015-12-31',
          text: null,
        },
      },
      s,
    );
    expect(xml).toContain('<data key="start">2013-05-01</data><data key="end">2015-12-31</data>');
    expect(xml).toContain('<data key="date">2013-05</data><data key="end_date">2015</data>');
    expect(xml).toContain('<data key="figures">people_released=27</data>');
    expect(xml).toContain('<data key="fig_people_released_min">27</data>');
    expect(nodeXml({ ...event, kind: 'Place', latitude: 34.1794, longitude: -36.5 })).toContain(
      '<data key="latitude">34.1794</data><data key="longitude">-36.5</data>',
    );
  });
});
