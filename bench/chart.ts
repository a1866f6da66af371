/**
 * The scale curve as a picture: p50 and p95 of every query against the number of events, for our API,
 * @neo4j/graphql and the Cypher floor, on log axes (one small chart per query). Vega-Lite, rendered to SVG
 * headless in Node (no browser, no canvas: text widths are estimated).
 *
 *   npx tsx bench/chart.ts [YYYY-MM-DD]        # writes bench/results/<date>-scale-curve.svg
 *
 * bench/scale.ts calls it after every full run, so the chart always shows the results of that day at
 * each scale run so far (a scale not run that day is absent, never taken from another day).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { projectRoot } from '../src/paths.js';

const SCALES = ['10k', '100k', '1m'] as const;
const RUNNERS = { ours: 'ours', ng: '@neo4j/graphql', floor: 'Cypher floor' } as const;

interface Stats {
  p50: number;
  p95: number;
}
interface Report {
  date: string;
  graph: { nodes: number };
  shape?: { events?: number };
  queries: {
    name: string;
    failed?: string;
    latencyMs?: Record<'ours' | 'floor', Stats> & { ng: Stats | null };
  }[];
}

export interface Point {
  query: string;
  events: number;
  runner: string;
  stat: 'p50' | 'p95';
  ms: number;
}

const EVENTS: Record<(typeof SCALES)[number], number> = { '10k': 1e4, '100k': 1e5, '1m': 1e6 };

/** The points of one day's full runs (the `-only-` re-runs of single queries are not mixed in). */
export function curvePoints(day: string, dir = path.join(projectRoot, 'bench', 'results')): Point[] {
  const points: Point[] = [];
  for (const scale of SCALES) {
    const file = path.join(dir, `${day}-scale-${scale}.json`);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    for (const q of report.queries) {
      if (q.failed || !q.latencyMs) continue;
      for (const [key, runner] of Object.entries(RUNNERS) as [keyof typeof RUNNERS, string][]) {
        const s = q.latencyMs[key];
        if (!s) continue;
        for (const stat of ['p50', 'p95'] as const)
          points.push({ query: q.name, events: EVENTS[scale], runner, stat, ms: s[stat] });
      }
    }
  }
  return points;
}

export function curveSpec(day: string, points: Point[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Latency against graph size, ${day}`,
      subtitle: 'p50 solid, p95 dashed; client-side ms, log axes; flat is the target',
    },
    data: { values: points },
    facet: { field: 'query', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 200,
      height: 140,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'events',
          type: 'quantitative',
          scale: { type: 'log', domain: [8e3, 1.2e6] },
          axis: { values: [1e4, 1e5, 1e6], format: '~s' },
          title: 'events',
        },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms' },
        color: {
          field: 'runner',
          type: 'nominal',
          scale: { domain: Object.values(RUNNERS), range: ['#1f77b4', '#d62728', '#7f7f7f'] },
        },
        strokeDash: {
          field: 'stat',
          type: 'nominal',
          scale: {
            domain: ['p50', 'p95'],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
        },
        detail: [{ field: 'runner' }, { field: 'stat' }],
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export async function renderCurveSvg(day: string, points: Point[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(curveSpec(day, points)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the day's curve to SVG; returns the file written, or null when that day has no full run. */
export async function writeCurveChart(day: string): Promise<string | null> {
  const points = curvePoints(day);
  if (!points.length) return null;
  const svg = await renderCurveSvg(day, points);
  const file = path.join(projectRoot, 'bench', 'results', `${day}-scale-curve.svg`);
  writeFileSync(file, svg);
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const day = process.argv[2] ?? new Date().toISOString().slice(0, 10);
  const file = await writeCurveChart(day);
  console.log(file ? `Written to ${path.relative(projectRoot, file)}` : `No full scale run on ${day}`);
}
