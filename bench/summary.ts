/**
 * Growth between scales and where the issue #7 targets stand, from the results files of one day.
 *
 *   npx tsx bench/summary.ts [YYYY-MM-DD]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';

interface Q {
  name: string;
  selective: boolean;
  failed?: string;
  ng?: string;
  roundTripsOurs?: number;
  latencyMs?: { ours: { p50: number; p95: number }; ng: { p50: number } | null; floor: { p50: number } };
  ratio?: { oursOverNgP50: number | null; oursOverFloorP50: number };
}
interface R {
  scale: string;
  queries: Q[];
  http: { ratio: number; oursOverNg?: number; oursOverCeiling?: number } | null;
  peakRssMiB?: { ours: number | null };
  imports: { bulkOverNaive: number } | null;
}

const day = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const scales = ['10k', '100k', '1m'];
const reports = new Map<string, R>();
for (const s of scales) {
  const file = path.join(projectRoot, 'bench', 'results', `${day}-scale-${s}.json`);
  if (existsSync(file)) reports.set(s, JSON.parse(readFileSync(file, 'utf8')) as R);
}
const present = scales.filter((s) => reports.has(s));
const names = reports.get(present[0]!)!.queries.map((q) => q.name);
const find = (s: string, n: string) => reports.get(s)?.queries.find((q) => q.name === n);
const last = present.at(-1)!;

console.log(
  `| query | selective | ${present.map((s) => `ours p95 ${s}`).join(' | ')} | p95 growth 10k→${last} |`,
);
console.log(`| --- | --- | ${present.map(() => '--:').join(' | ')} | --: |`);
for (const n of names) {
  const cells = present.map((s) => {
    const q = find(s, n);
    return q?.failed ? 'failed' : String(q?.latencyMs?.ours.p95 ?? '—');
  });
  const a = find('10k', n)?.latencyMs?.ours.p95;
  const b = find(last, n)?.latencyMs?.ours.p95;
  const growth = a && b ? (b / a).toFixed(2) : '—';
  console.log(
    `| ${n} | ${find(present[0]!, n)!.selective ? 'yes' : 'no'} | ${cells.join(' | ')} | ${growth} |`,
  );
}

console.log('\nTargets per scale:');
for (const s of present) {
  const r = reports.get(s)!;
  const timed = r.queries.filter((q) => !q.failed && q.latencyMs);
  const ng = timed.filter((q) => q.ratio?.oursOverNgP50 != null).map((q) => q.ratio!.oursOverNgP50!);
  const sorted = [...ng].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  const median = sorted.length ? (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2 : NaN;
  const trips = timed
    .filter((q) => (q.roundTripsOurs ?? 0) > 1)
    .map((q) => `${q.name} (${q.roundTripsOurs})`);
  const floor = timed
    .filter((q) => q.ratio!.oursOverFloorP50 > 1.25)
    .map((q) => `${q.name} ${q.ratio!.oursOverFloorP50}`);
  console.log(`- ${s}: round trips > 1: ${trips.join(', ') || 'none'}`);
  console.log(
    `  ours/@neo4j/graphql p50: median ${median.toFixed(3)} over ${ng.length} queries; above 1.0: ${
      timed
        .filter((q) => (q.ratio?.oursOverNgP50 ?? 0) > 1)
        .map((q) => `${q.name} ${q.ratio!.oursOverNgP50}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`  ours/floor p50 above 1.25: ${floor.join(', ') || 'none'}`);
  if (r.http)
    console.log(
      `  HTTP req/s ours / bare Apollo: ${r.http.ratio}; ours / @neo4j/graphql: ${r.http.oursOverNg ?? '—'}; ours / driver ceiling: ${r.http.oursOverCeiling ?? '—'}`,
    );
  if (r.peakRssMiB) console.log(`  API peak RSS: ${r.peakRssMiB.ours ?? '—'} MiB`);
  if (r.imports) console.log(`  import bulk / naive: ${r.imports.bulkOverNaive}×`);
}
