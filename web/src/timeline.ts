/**
 * The timeline strip: the events in view on a day axis. A day-precise date is a dot; an uncertain date
 * (month, year, approximate, open-ended) is drawn as the range of days it may fall on, so nothing looks
 * more precise than the source said. Items are focusable and select their event. The geometry is
 * timeline-layout.ts's.
 */
import { h } from './format.js';
import type { ViewNode } from './model.js';
import {
  AXIS_Y,
  LANE_HEIGHT,
  layoutTimeline,
  type TimelineItem,
  type TimelineLayout,
} from './timeline-layout.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function axis(layout: TimelineLayout): SVGElement[] {
  const { left, right } = layout;
  return [
    svg('line', { x1: left, x2: right, y1: AXIS_Y, y2: AXIS_Y, class: 'axis' }),
    ...layout.ticks.flatMap((t) => [
      svg('line', { x1: t.x, x2: t.x, y1: AXIS_Y - 4, y2: AXIS_Y + 4, class: 'tick' }),
      svg('text', { x: t.x + 2, y: AXIS_Y - 6, class: 'tick-label' }, t.label),
    ]),
  ];
}

function item(it: TimelineItem, selected: string | null, onSelect: (id: string) => void): SVGGElement {
  const { event, exact } = it;
  const y = AXIS_Y + 10 + it.lane * LANE_HEIGHT;
  const g = svg('g', {
    class: `tl-item${exact ? ' exact' : ' uncertain'}${event.id === selected ? ' selected' : ''}`,
    tabindex: 0,
    role: 'button',
    'data-event': event.id,
    'data-uncertain': exact ? 'false' : 'true',
    'aria-label': `${event.label}: ${event.date!.text}${exact ? '' : ` (uncertain, ${it.range})`}`,
  });
  g.append(
    svg('title', {}, `${event.label} — ${event.date!.text}${exact ? '' : ` (may fall on ${it.range})`}`),
  );
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
  g.append(svg('text', { x: it.labelX, y: y + 9, class: 'tl-label' }, event.label));
  g.addEventListener('click', () => onSelect(event.id));
  g.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      onSelect(event.id);
    }
  });
  return g;
}

export function renderTimeline(
  container: HTMLElement,
  events: ViewNode[],
  selected: string | null,
  onSelect: (id: string) => void,
): void {
  container.replaceChildren(); // measured empty: the strip's width is the page's, not its content's
  const layout = layoutTimeline(events, container.clientWidth);
  if (!layout) {
    container.append(
      h(
        'p',
        { class: 'muted' },
        events.length ? `${events.length} event(s) in view, none dated.` : 'No events in view.',
      ),
    );
    return;
  }
  const root = svg('svg', {
    width: layout.width,
    height: layout.height,
    role: 'group',
    'aria-label': `Timeline of ${layout.items.length} dated events in view`,
  });
  root.append(...axis(layout), ...layout.items.map((it) => item(it, selected, onSelect)));
  container.append(root);
  if (layout.undated)
    container.append(h('p', { class: 'muted small' }, `${layout.undated} undated event(s) not shown.`));
}
