import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.js';
import { formatDate, formatNumber, formatRange, splitAtCodePoints } from '../../web/src/format.js';
import type { GraphNodePartsFragment } from '../../web/src/generated/graphql.js';
import {
  errorMessage,
  expandedMessage,
  exportDocument,
  hitView,
  listOrder,
  opensInGraph,
  pathNode,
  stamp,
  toViewNode,
  viewerLabel,
  type SearchHit,
  type ViewNode,
} from '../../web/src/model.js';
import { emptyState } from '../../web/src/state.js';

/** The explorer's pure helpers: how answers of the API become what the page shows. */
describe('explorer dates and numbers', () => {
  const date = (over: Partial<Parameters<typeof formatDate>[0] & object>) => ({
    value: '2022-04-30',
    precision: 'day' as const,
    qualifier: 'exact' as const,
    earliest: '2022-04-30',
    latest: '2022-04-30',
    text: null,
    ...over,
  });

  it('never says a date more precisely than it is known', () => {
    expect(formatDate(date({}))).toBe('30 April 2022');
    expect(formatDate(date({ value: '2022-05', precision: 'month' }))).toBe('May 2022');
    expect(formatDate(date({ value: '2022', precision: 'year' }))).toBe('2022');
    expect(formatDate(date({ value: '2022-05', precision: 'month', qualifier: 'after' }))).toBe(
      'not before May 2022',
    );
    expect(formatDate(date({ qualifier: 'before' }))).toBe('not after 30 April 2022');
    expect(formatDate(date({ qualifier: 'approximate' }))).toBe('about 30 April 2022');
  });

  it('falls back to the source’s words, or says it does not know', () => {
    expect(formatDate(null)).toBe('undated');
    expect(formatDate(date({ precision: 'unknown', value: null, text: 'early spring' }))).toBe(
      'early spring',
    );
    expect(formatDate(date({ precision: 'unknown', value: null }))).toBe('date unknown');
  });

  it('shows the day range a date covers, open ends as …', () => {
    expect(formatRange(date({}))).toBe('2022-04-30');
    expect(formatRange(date({ earliest: '2022-05-01', latest: '2022-05-31' }))).toBe(
      '2022-05-01 – 2022-05-31',
    );
    expect(formatRange(date({ earliest: '2022-05-01', latest: null }))).toBe('2022-05-01 – …');
    expect(formatRange(date({ earliest: null, latest: null }))).toBe('');
    expect(formatRange(undefined)).toBe('');
  });

  it('groups thousands, and shows a missing number as a dash', () => {
    expect(formatNumber(1168)).toBe('1,168');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
  });
});

describe('explorer code points (src/model/code-points.ts)', () => {
  const text = 'a😀b𝕏c ريف دمشق';

  it('cut a text at code-point offsets: astral characters count once', () => {
    expect(splitAtCodePoints(text, 1, 4)).toEqual(['a', '😀b𝕏', 'c ريف دمشق']);
    expect(splitAtCodePoints(text, 6, 9)).toEqual(['a😀b𝕏c ', 'ريف', ' دمشق']);
    expect(splitAtCodePoints(text, 0, 0)).toEqual(['', '', text]);
    expect(splitAtCodePoints(text, 1, 4).join('')).toBe(text);
  });
});

describe('explorer view nodes', () => {
  const node = (over: Partial<GraphNodePartsFragment>): GraphNodePartsFragment => ({
    id: 'x',
    kind: 'EVENT',
    label: 'X',
    type: null,
    node: { id: 'x' },
    ...over,
  });

  it('keeps an event’s date for the timeline, and no one else’s', () => {
    const date = {
      value: '2022-05',
      precision: 'month' as const,
      qualifier: 'exact' as const,
      earliest: '2022-05-01',
      latest: '2022-05-31',
      text: null,
    };
    expect(toViewNode(node({ node: { id: 'x', date } as never })).date).toEqual({
      earliest: '2022-05-01',
      latest: '2022-05-31',
      text: 'May 2022',
    });
    expect(toViewNode(node({ node: { id: 'x', date: null } as never })).date).toBeNull();
    expect(toViewNode(node({ kind: 'PLACE', node: { id: 'x', date } as never })).date).toBeNull();
  });

  it('flags contradicted figures and restricted records', () => {
    const figure = toViewNode(
      node({
        kind: 'FIGURE',
        node: { id: 'f', sensitivity: 'restricted', conflicts: [{ id: 'c' }] } as never,
      }),
    );
    expect(figure).toMatchObject({ conflict: true, sensitivity: 'restricted' });
    expect(toViewNode(node({ node: { id: 'x', conflicts: [] } as never }))).toMatchObject({
      conflict: false,
      sensitivity: 'public',
    });
  });

  it('names path hops by type, figures by measure and value', () => {
    expect(pathNode({ __typename: 'Place', id: 'pl', name: 'Aleppo' } as never)).toMatchObject({
      kind: 'PLACE',
      label: 'Aleppo',
    });
    expect(
      pathNode({ __typename: 'Figure', id: 'fg', measure: 'released', value: 1168 } as never),
    ).toMatchObject({
      kind: 'FIGURE',
      label: 'released: 1168',
    });
    expect(pathNode({ __typename: 'Source', id: 'src' } as never)).toMatchObject({
      kind: 'OTHER',
      label: 'src',
    });
  });

  it('lists records by kind, then name', () => {
    const n = (id: string, kind: ViewNode['kind'], label: string) => ({
      ...toViewNode(node({ id, label })),
      kind,
    });
    const sorted = listOrder([n('1', 'PLACE', 'Aleppo'), n('2', 'EVENT', 'Zeta'), n('3', 'EVENT', 'Alpha')]);
    expect(sorted.map((x) => x.id)).toEqual(['3', '2', '1']);
  });
});

describe('explorer search hits', () => {
  const hit = (kind: string, node: object, matched: string): SearchHit =>
    ({ score: 1, kind, matched, node }) as unknown as SearchHit;

  it('opens an excerpt’s source, and shows the matched words when they are not the title', () => {
    expect(
      hitView(hit('EXCERPT', { id: 'ex-1', source: { id: 'src-1', title: 'Report' } }, 'were released')),
    ).toEqual({ kind: 'EXCERPT', target: 'src-1', title: 'Report', matched: 'were released' });
    expect(hitView(hit('PLACE', { id: 'pl-1', name: 'Rif Dimashq' }, 'ريف دمشق'))).toMatchObject({
      target: 'pl-1',
      matched: 'ريف دمشق',
    });
    expect(hitView(hit('PLACE', { id: 'pl-1', name: 'Aleppo' }, 'Aleppo')).matched).toBeNull();
  });

  it('opens entities in the graph, evidence in the panel only', () => {
    expect(['EVENT', 'ACTOR', 'PLACE', 'FIGURE'].every(opensInGraph)).toBe(true);
    expect(opensInGraph('SOURCE') || opensInGraph('EXCERPT')).toBe(false);
  });
});

describe('explorer notices and exports', () => {
  it('says how many neighbours an expansion showed, and when the limit cut it', () => {
    const base = { name: 'Aleppo', nodes: 11, truncated: false, limit: 10, added: 3 };
    expect(expandedMessage(base)).toEqual({ text: 'Expanded “Aleppo”: 10 neighbours.', kind: 'info' });
    expect(expandedMessage({ ...base, added: 0 }).text).toBe('“Aleppo” has no further neighbours to show.');
    const cut = expandedMessage({ ...base, truncated: true });
    expect(cut.kind).toBe('warn');
    expect(cut.text).toContain('more than the limit of 10');
  });

  it('shows API errors with their code', () => {
    expect(errorMessage(new ApiError('Too many requests', 'RATE_LIMITED', 429))).toBe(
      'Too many requests (RATE_LIMITED)',
    );
    expect(errorMessage(new Error('boom'))).toBe('Something went wrong: boom');
  });

  it('names the viewer', () => {
    expect(viewerLabel({ role: 'anonymous', name: null, clearance: 'public' } as never)).toBe(
      'anonymous (public records)',
    );
    expect(viewerLabel({ role: 'analyst', name: 'Rania', clearance: 'restricted' } as never)).toBe(
      'Rania — analyst',
    );
  });

  it('stamps file names without characters file systems refuse', () => {
    expect(stamp(new Date('2026-11-25T10:00:59.123Z'))).toBe('2026-11-25T10-00-59');
  });

  it('exports the view with its link, and the edges without their claims', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    const edge = {
      id: 'rel-1',
      source: 'a',
      target: 'b',
      type: 'LOCATED_IN',
      role: null,
      position: null,
      label: 'LOCATED_IN',
    };
    const doc = exportDocument({
      now,
      link: 'http://x/#open=a',
      viewer: 'anonymous',
      state: emptyState(),
      path: null,
      nodes: [],
      edges: [{ ...edge, extra: 'dropped' } as typeof edge],
    });
    expect(doc).toMatchObject({ format: 'hrkg-explorer-view/1', exportedAt: '2026-11-25T10:00:00.000Z' });
    expect(doc.edges).toEqual([edge]);
  });
});
