import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curvePoints, renderCurveSvg } from '../../bench/chart.js';

/** The bench's scale-curve chart (issue #17): points from a day's full runs, rendered to SVG headless. */
describe('bench scale-curve chart', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-chart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stats = (p50: number, p95: number) => ({ n: 20, p50, p95, p99: p95, mean: p50 });
  const report = (scale: number) => ({
    date: '2026-12-01T00:00:00Z',
    graph: { nodes: 1 },
    queries: [
      {
        name: 'search',
        latencyMs: { ours: stats(5 * scale, 9 * scale), ng: stats(6, 10), floor: stats(4, 8) },
      },
      { name: 'neighborhood2', latencyMs: { ours: stats(7, 12), ng: null, floor: stats(6, 11) } },
      { name: 'provenanceHub', failed: 'timeout' },
    ],
  });
  writeFileSync(path.join(dir, '2026-12-01-scale-10k.json'), JSON.stringify(report(1)));
  writeFileSync(path.join(dir, '2026-12-01-scale-100k.json'), JSON.stringify(report(2)));
  // A re-run of one query and another day's run are not part of the day's curve.
  writeFileSync(path.join(dir, '2026-12-01-scale-1m-only-search.json'), JSON.stringify(report(50)));
  writeFileSync(path.join(dir, '2026-11-30-scale-1m.json'), JSON.stringify(report(50)));

  it("takes p50 and p95 of each runner from the day's full runs only, leaving out failed queries", () => {
    const points = curvePoints('2026-12-01', dir);
    expect(new Set(points.map((p) => p.events))).toEqual(new Set([1e4, 1e5]));
    expect(points.filter((p) => p.query === 'provenanceHub')).toEqual([]);
    expect(points.filter((p) => p.query === 'neighborhood2').map((p) => p.runner)).not.toContain(
      '@neo4j/graphql',
    );
    expect(points).toContainEqual({ query: 'search', events: 1e5, runner: 'ours', stat: 'p95', ms: 18 });
    expect(points).toHaveLength(2 * (3 * 2 + 2 * 2));
  });

  it('renders an SVG with a chart per query and the three runners', async () => {
    const svg = await renderCurveSvg('2026-12-01', curvePoints('2026-12-01', dir));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['search', 'neighborhood2', 'ours', '@neo4j/graphql', 'Cypher floor', 'p95'])
      expect(svg).toContain(text);
  });
});
