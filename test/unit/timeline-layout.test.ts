import { describe, expect, it } from 'vitest';
import type { ViewNode } from '../../web/src/model.js';
import {
  axisTicks,
  DAY,
  GAP,
  labelWidth,
  layoutTimeline,
  packLanes,
  toDay,
  type TimelineItem,
} from '../../web/src/timeline-layout.js';

/** The explorer's timeline geometry: where each event is drawn, and that nothing overlaps. */
function event(id: string, earliest: string | null, latest: string | null = earliest, label = id): ViewNode {
  return {
    id,
    kind: 'EVENT',
    label,
    type: null,
    conflict: false,
    sensitivity: 'public',
    date: earliest || latest ? { earliest, latest, text: `${earliest} – ${latest}` } : null,
  };
}

/** Items of one lane never overlap: each starts at least GAP after the previous one's footprint ends. */
function expectNoOverlap(items: TimelineItem[]): void {
  const byLane = new Map<number, TimelineItem[]>();
  for (const it of items) byLane.set(it.lane, [...(byLane.get(it.lane) ?? []), it]);
  for (const lane of byLane.values()) {
    const sorted = [...lane].sort((a, b) => a.x0 - b.x0);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.x0, `${sorted[i]!.event.id} after ${sorted[i - 1]!.event.id}`).toBeGreaterThanOrEqual(
        sorted[i - 1]!.end + GAP,
      );
  }
}

const byId = (items: TimelineItem[], id: string) => items.find((i) => i.event.id === id)!;

describe('timeline layout', () => {
  it('draws nothing without a dated event, and counts the undated ones', () => {
    expect(layoutTimeline([], 800)).toBeNull();
    expect(layoutTimeline([event('a', null)], 800)).toBeNull();
    const layout = layoutTimeline([event('a', null), event('b', '2022-05-01'), event('c', null)], 800)!;
    expect(layout.items.map((i) => i.event.id)).toEqual(['b']);
    expect(layout.undated).toBe(2);
  });

  it('orders items by date, left to right, inside the margins', () => {
    const layout = layoutTimeline(
      [event('late', '2022-09-01'), event('early', '2022-01-15'), event('mid', '2022-05-01')],
      800,
    )!;
    expect(layout.items.map((i) => i.event.id)).toEqual(['early', 'mid', 'late']);
    expect(layout.width).toBe(800);
    for (const it of layout.items) {
      expect(it.x0).toBeGreaterThanOrEqual(layout.left);
      expect(it.x0 + it.w).toBeLessThanOrEqual(layout.right);
    }
    // Days map linearly: mid is where its date falls between the two others.
    const [early, mid, late] = layout.items;
    const share = (toDay('2022-05-01') - toDay('2022-01-15')) / (toDay('2022-09-01') - toDay('2022-01-15'));
    expect((mid!.x0 - early!.x0) / (late!.x0 - early!.x0)).toBeCloseTo(share, 6);
  });

  it('draws a known day as a dot and an uncertain date as the range of days it may fall on', () => {
    const layout = layoutTimeline(
      [
        event('day', '2022-04-30'),
        event('month', '2022-05-01', '2022-05-31'),
        event('after', '2022-04-30', null),
      ],
      1000,
    )!;
    const day = byId(layout.items, 'day');
    const month = byId(layout.items, 'month');
    const after = byId(layout.items, 'after');
    expect(day.exact).toBe(true);
    expect(month.exact).toBe(false);
    expect(month.range).toBe('2022-05-01 – 2022-05-31');
    expect(after.range).toBe('2022-04-30 – …');
    // 30 April and 1 May are a day apart: the month is 31 such days wide. An open end runs to the axis end.
    const perDay = month.x0 - day.x0;
    expect(perDay).toBeGreaterThan(1);
    expect(month.w).toBeCloseTo(31 * perDay, 6);
    expect(day.w).toBe(Math.max(8, perDay));
    expect(after.x0 + after.w).toBeGreaterThanOrEqual(layout.right);
    expect(after.labelX).toBeLessThanOrEqual(layout.right - 40);
  });

  it('puts events that do not collide in one lane', () => {
    const layout = layoutTimeline(
      [event('a', '2020-01-01'), event('b', '2021-01-01'), event('c', '2022-01-01')],
      1200,
    )!;
    expect(layout.lanes).toBe(1);
    expect(layout.items.every((i) => i.lane === 0)).toBe(true);
  });

  it('stacks events of the same days in as many lanes as needed, none overlapping', () => {
    const same = Array.from({ length: 5 }, (_, i) => event(`same-${i}`, '2022-05-03'));
    const layout = layoutTimeline([...same, event('far', '2023-06-01')], 800)!;
    expect(layout.lanes).toBe(5);
    expect(new Set(same.map((e) => byId(layout.items, e.id).lane)).size).toBe(5);
    // The far event fits in the first lane again.
    expect(byId(layout.items, 'far').lane).toBe(0);
    expect(layout.height).toBe(16 + 10 + 5 * 26);
    expectNoOverlap(layout.items);
  });

  it('counts a label as part of the item: a long name pushes its neighbour to another lane', () => {
    const short = layoutTimeline([event('a', '2022-01-01'), event('b', '2022-01-10')], 800)!;
    expect(short.lanes).toBe(1);
    const long = layoutTimeline(
      [
        event('a', '2022-01-01', '2022-01-01', 'A very long name for the first event'),
        event('b', '2022-01-10'),
      ],
      800,
    )!;
    expect(byId(long.items, 'a').end - byId(long.items, 'a').x0).toBe(
      labelWidth(byId(long.items, 'a').event.label),
    );
    expect(long.lanes).toBe(2);
    expectNoOverlap(long.items);
  });

  it('never overlaps items, whatever the mix of dates', () => {
    // A deterministic jumble: days, months, open ranges, over three years.
    const events: ViewNode[] = [];
    for (let i = 0; i < 60; i++) {
      const start = new Date(Date.UTC(2020, (i * 7) % 36, 1 + ((i * 13) % 27)));
      const iso = start.toISOString().slice(0, 10);
      const end = new Date(start.getTime() + ((i * 17) % 90) * DAY).toISOString().slice(0, 10);
      const kind = i % 5;
      events.push(
        event(
          `e${i}`,
          kind === 4 ? null : iso,
          kind === 0 ? iso : kind === 3 ? null : end,
          `Event ${'x'.repeat(i % 11)}`,
        ),
      );
    }
    const layout = layoutTimeline(events, 900)!;
    expect(layout.items).toHaveLength(60);
    expectNoOverlap(layout.items);
    // Greedy packing: an item sits in a later lane only because every earlier lane was taken there.
    layout.items.forEach((it, i) => {
      for (let lane = 0; lane < it.lane; lane++) {
        const last = layout.items.slice(0, i).findLast((o) => o.lane === lane)!;
        expect(last.end + GAP).toBeGreaterThan(it.x0);
      }
    });
    expect(layout.lanes).toBeGreaterThan(1);
  });

  it('is never narrower than 300 px, and is 600 px when the container has no width yet', () => {
    expect(layoutTimeline([event('a', '2022-01-01')], 120)!.width).toBe(300);
    expect(layoutTimeline([event('a', '2022-01-01')], 0)!.width).toBe(600);
  });
});

describe('lane packing', () => {
  it('reuses the first lane that is free again', () => {
    const items = [
      { x0: 0, end: 50, lane: -1 },
      { x0: 10, end: 30, lane: -1 },
      { x0: 36, end: 80, lane: -1 },
      { x0: 54, end: 60, lane: -1 },
    ];
    expect(packLanes(items)).toBe(2);
    // 36 starts 6 after lane 1's end (30), not GAP after lane 0's (50); 54 fits after lane 0's 50.
    expect(items.map((i) => i.lane)).toEqual([0, 1, 1, 0]);
  });
});

describe('timeline axis', () => {
  const scale = (min: number, max: number) => (t: number) => ((t - min) / (max - min)) * 1000;
  const ticks = (from: string, to: string) =>
    axisTicks(toDay(from), toDay(to), scale(toDay(from), toDay(to)));

  it('ticks months over a few months, quarters over a year or two, years beyond', () => {
    expect(ticks('2022-03-15', '2022-06-20').map((t) => t.label)).toEqual(['2022-04', '2022-05', '2022-06']);
    expect(ticks('2022-01-10', '2023-03-01').map((t) => t.label)).toEqual([
      '2022-04',
      '2022-07',
      '2022-10',
      '2023-01',
    ]);
    expect(ticks('2015-06-01', '2022-06-01').map((t) => t.label)).toEqual([
      '2016',
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
    ]);
  });

  it('keeps ticks inside the axis, in order, and at most 60', () => {
    for (const [from, to] of [
      ['2022-03-15', '2022-06-20'],
      ['1900-01-01', '2022-01-01'],
    ] as const) {
      const t = ticks(from, to);
      expect(t.length).toBeLessThanOrEqual(60);
      for (let i = 0; i < t.length; i++) {
        expect(t[i]!.x).toBeGreaterThanOrEqual(0);
        expect(t[i]!.x).toBeLessThanOrEqual(1000);
        if (i) expect(t[i]!.x).toBeGreaterThan(t[i - 1]!.x);
      }
    }
  });
});
