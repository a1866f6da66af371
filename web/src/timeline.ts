/**
 * The timeline strip: the events in view on a day axis. A day-precise date is a dot; an uncertain date
 * (month, year, approximate, open-ended) is drawn as the range of days it may fall on, so nothing looks
 * more precise than the source said. Items are focusable and select their event.
 */
import type { ViewNode } from './graph-view.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

const toDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export function renderTimeline(
  container: HTMLElement,
  events: ViewNode[],
  selected: string | null,
  onSelect: (id: string) => void,
): void {
  container.replaceChildren();
  const dated = events.filter((e) => e.date && (e.date.earliest || e.date.latest));
  const undated = events.length - dated.length;
  if (!dated.length) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = events.length ? `${events.length} event(s) in view, none dated.` : 'No events in view.';
    container.append(p);
    return;
  }
  const spans = dated.map((e) => {
    const earliest = e.date!.earliest ? toDay(e.date!.earliest) : null;
    const latest = e.date!.latest ? toDay(e.date!.latest) : null;
    return { e, earliest, latest };
  });
  const known = spans.flatMap((s) => [s.earliest, s.latest]).filter((t): t is number => t !== null);
  let min = Math.min(...known);
  let max = Math.max(...known);
  const pad = Math.max(15 * DAY, (max - min) * 0.05);
  min -= pad;
  max += pad;
  const width = Math.max(300, container.clientWidth || 600);
  const left = 10;
  const right = width - 10;
  const x = (t: number) => left + ((t - min) / (max - min)) * (right - left);

  // Lanes: each item goes into the first lane where it does not overlap the previous one.
  const laneEnds: number[] = [];
  const items = spans
    .map((s) => ({ ...s, x0: x(s.earliest ?? min), x1: x((s.latest ?? max) + DAY) }))
    .sort((a, b) => a.x0 - b.x0);
  const placed = items.map((it) => {
    const w = Math.max(8, it.x1 - it.x0);
    let lane = laneEnds.findIndex((end) => end + 4 <= it.x0);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = it.x0 + Math.max(w, 10 + it.e.label.length * 6);
    return { ...it, w, lane };
  });
  const laneH = 26;
  const axisY = 16;
  const height = axisY + 10 + laneEnds.length * laneH;
  const root = svg('svg', {
    width,
    height,
    role: 'group',
    'aria-label': `Timeline of ${dated.length} dated events in view`,
  });

  // Axis with month or year ticks.
  root.append(svg('line', { x1: left, x2: right, y1: axisY, y2: axisY, class: 'axis' }));
  const spanDays = (max - min) / DAY;
  const start = new Date(min);
  const tick = new Date(Date.UTC(start.getUTCFullYear(), spanDays > 900 ? 0 : start.getUTCMonth(), 1));
  const tickEvery = spanDays > 900 ? 12 : spanDays > 240 ? 3 : 1;
  for (let i = 0; i < 60 && tick.getTime() <= max; i++) {
    const t = tick.getTime();
    if (t >= min) {
      root.append(svg('line', { x1: x(t), x2: x(t), y1: axisY - 4, y2: axisY + 4, class: 'tick' }));
      const label = svg('text', { x: x(t) + 2, y: axisY - 6, class: 'tick-label' });
      label.textContent = tickEvery === 12 ? String(tick.getUTCFullYear()) : iso(t).slice(0, 7);
      root.append(label);
    }
    tick.setUTCMonth(tick.getUTCMonth() + tickEvery);
  }

  for (const it of placed) {
    const y = axisY + 10 + it.lane * laneH;
    const exact = it.earliest !== null && it.earliest === it.latest;
    const range = `${it.earliest !== null ? iso(it.earliest) : '…'} – ${it.latest !== null ? iso(it.latest) : '…'}`;
    const g = svg('g', {
      class: `tl-item${exact ? ' exact' : ' uncertain'}${it.e.id === selected ? ' selected' : ''}`,
      tabindex: 0,
      role: 'button',
      'data-event': it.e.id,
      'data-uncertain': exact ? 'false' : 'true',
      'aria-label': `${it.e.label}: ${it.e.date!.text}${exact ? '' : ` (uncertain, ${range})`}`,
    });
    const title = svg('title', {});
    title.textContent = `${it.e.label} — ${it.e.date!.text}${exact ? '' : ` (may fall on ${range})`}`;
    g.append(title);
    // The label on top, the date below it: a dot for a known day, a bar for the days it may fall on.
    if (exact) g.append(svg('circle', { cx: it.x0 + 4, cy: y + 16, r: 5 }));
    else
      g.append(
        svg('rect', {
          x: it.x0,
          y: y + 12,
          width: it.w,
          height: 8,
          rx: 3,
          class: it.latest === null || it.earliest === null ? 'open-ended' : '',
        }),
      );
    // Labels start where the item starts, so an open-ended range cannot push its label out of view.
    const text = svg('text', { x: Math.min(it.x0, right - 40), y: y + 9, class: 'tl-label' });
    text.textContent = it.e.label;
    g.append(text);
    g.addEventListener('click', () => onSelect(it.e.id));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        onSelect(it.e.id);
      }
    });
    root.append(g);
  }
  container.append(root);
  if (undated) {
    const p = document.createElement('p');
    p.className = 'muted small';
    p.textContent = `${undated} undated event(s) not shown.`;
    container.append(p);
  }
}
