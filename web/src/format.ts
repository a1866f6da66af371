import { codePoints, sliceCodePoints } from '../../src/model/code-points.js';

/** Display helpers: fuzzy dates as sources give them, code-point slicing, safe element building. */
import type { FuzzyDatePartsFragment } from './generated/graphql.js';

/** "30 April 2022", "April 2022 (approximate)", "not before May 2022"; never more precise than the date. */
export function formatDate(d: FuzzyDatePartsFragment | null | undefined): string {
  if (!d) return 'undated';
  if (d.precision === 'unknown' || !d.value) return d.text ?? 'date unknown';
  const [y, m, day] = d.value.split('-').map(Number);
  const month = m
    ? new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })
    : '';
  const base =
    d.precision === 'day' ? `${day} ${month} ${y}` : d.precision === 'month' ? `${month} ${y}` : `${y}`;
  switch (d.qualifier) {
    case 'approximate':
      return `about ${base}`;
    case 'before':
      return `not after ${base}`;
    case 'after':
      return `not before ${base}`;
    default:
      return base;
  }
}

/** The inclusive day range a fuzzy date covers, as shown next to it: "2022-04-01 – 2022-04-30". */
export function formatRange(d: FuzzyDatePartsFragment | null | undefined): string {
  if (!d || (!d.earliest && !d.latest)) return '';
  if (d.earliest === d.latest) return d.earliest ?? '';
  return `${d.earliest ?? '…'} – ${d.latest ?? '…'}`;
}

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '—' : n.toLocaleString('en-GB');
}

/** A text cut at two code-point offsets: before, between (end exclusive) and after. */
export function splitAtCodePoints(text: string, start: number, end: number): [string, string, string] {
  const points = codePoints(text);
  return [
    sliceCodePoints(points, 0, start),
    sliceCodePoints(points, start, end),
    sliceCodePoints(points, end, points.length),
  ];
}

type Child = Node | string | null | undefined | false;

/** Builds an element; text is always set as text, never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** Downloads a Blob under a file name (PNG and JSON exports of the view). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
