/**
 * Where the timeline draws each event: pure geometry, no DOM (timeline.ts draws it; the unit tests check
 * it). Days map linearly onto [left, right]; an item spans the days its date may fall on (a day-precise
 * date is one day wide); items, with their labels, are packed into lanes so that none overlaps another.
 */
import type { ViewNode } from './model.js';

export const DAY = 86_400_000;
/** Horizontal room between two items in a lane. */
export const GAP = 4;
export const LANE_HEIGHT = 26;
export const AXIS_Y = 16;
const MARGIN = 10;
const MIN_WIDTH = 300;

export const toDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
export const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Room a label takes (an estimate: the SVG is laid out before it is measured). */
export const labelWidth = (label: string): number => 10 + label.length * 6;

export interface TimelineItem {
  event: ViewNode;
  /** Bounds of the date in ms (UTC midnight), null when open-ended. */
  earliest: number | null;
  latest: number | null;
  /** A single known day (drawn as a dot), rather than a range of days (a bar). */
  exact: boolean;
  /** "2022-04-30 – …": the days an uncertain date may fall on. */
  range: string;
  /** Start of the bar and its width. */
  x0: number;
  w: number;
  /** Where the item's footprint (bar or label, whichever is longer) ends. */
  end: number;
  labelX: number;
  lane: number;
}

export interface Tick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  lanes: number;
  /** By start, left to right. */
  items: TimelineItem[];
  ticks: Tick[];
  /** Events in view without a date, not drawn. */
  undated: number;
}

type Dated = { event: ViewNode; earliest: number | null; latest: number | null };

function dated(events: readonly ViewNode[]): Dated[] {
  return events
    .filter((e) => e.date && (e.date.earliest || e.date.latest))
    .map((event) => ({
      event,
      earliest: event.date!.earliest ? toDay(event.date!.earliest) : null,
      latest: event.date!.latest ? toDay(event.date!.latest) : null,
    }));
}

/** Month ticks for up to 8 months, quarters up to about 2.5 years, years beyond; never more than 60. */
export function axisTicks(min: number, max: number, x: (t: number) => number): Tick[] {
  const spanDays = (max - min) / DAY;
  const yearly = spanDays > 900;
  const every = yearly ? 12 : spanDays > 240 ? 3 : 1;
  const start = new Date(min);
  const tick = new Date(Date.UTC(start.getUTCFullYear(), yearly ? 0 : start.getUTCMonth(), 1));
  const ticks: Tick[] = [];
  for (let i = 0; i < 60 && tick.getTime() <= max; i++) {
    const t = tick.getTime();
    if (t >= min)
      ticks.push({ x: x(t), label: yearly ? String(tick.getUTCFullYear()) : isoDay(t).slice(0, 7) });
    tick.setUTCMonth(tick.getUTCMonth() + every);
  }
  return ticks;
}

/**
 * Packs items into lanes, left to right: each goes into the first lane whose last footprint ends at
 * least GAP before it starts, else into a new lane. Returns the number of lanes.
 */
export function packLanes(items: { x0: number; end: number; lane: number }[]): number {
  const laneEnds: number[] = [];
  for (const it of items) {
    let lane = laneEnds.findIndex((end) => end + GAP <= it.x0);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = it.end;
    it.lane = lane;
  }
  return laneEnds.length;
}

/** The timeline of the dated events among `events`, `containerWidth` wide; null when none is dated. */
export function layoutTimeline(events: readonly ViewNode[], containerWidth: number): TimelineLayout | null {
  const spans = dated(events);
  if (!spans.length) return null;
  const known = spans.flatMap((s) => [s.earliest, s.latest]).filter((t): t is number => t !== null);
  const pad = Math.max(15 * DAY, (Math.max(...known) - Math.min(...known)) * 0.05);
  const min = Math.min(...known) - pad;
  const max = Math.max(...known) + pad;
  const width = Math.max(MIN_WIDTH, containerWidth || 600);
  const left = MARGIN;
  const right = width - MARGIN;
  const x = (t: number) => left + ((t - min) / (max - min)) * (right - left);

  const items: TimelineItem[] = spans
    .map((s) => {
      const x0 = x(s.earliest ?? min);
      const w = Math.max(8, x((s.latest ?? max) + DAY) - x0);
      const range = `${s.earliest !== null ? isoDay(s.earliest) : '…'} – ${s.latest !== null ? isoDay(s.latest) : '…'}`;
      return {
        ...s,
        exact: s.earliest !== null && s.earliest === s.latest,
        range,
        x0,
        w,
        end: x0 + Math.max(w, labelWidth(s.event.label)),
        // Labels start where the item starts, so an open-ended range cannot push its label out of view.
        labelX: Math.min(x0, right - 40),
        lane: 0,
      };
    })
    .sort((a, b) => a.x0 - b.x0);
  const lanes = packLanes(items);
  return {
    width,
    height: AXIS_Y + 10 + lanes * LANE_HEIGHT,
    left,
    right,
    lanes,
    items,
    ticks: axisTicks(min, max, x),
    undated: events.length - spans.length,
  };
}
