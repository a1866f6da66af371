import type { KeptRecords } from '../graph/stores/import.js';
import type { CheckReport } from '../services/check.js';
import type { ImportSkip } from '../io/import/common.js';

/** What kg prints: counts, a progress line on terminals, summaries of what was skipped or kept. */

export const count = (n: number) => n.toLocaleString('en-US');

/** "exporting 1,234/10,000", redrawn in place on a terminal; nothing at all otherwise. */
export class ProgressLine {
  private shown = false;
  private last = 0;

  constructor(
    private readonly verb: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update = (done: number, total: number): void => {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    this.stream.write(`\r\x1b[2K${this.verb} ${count(done)}/${count(total)}`);
    this.shown = true;
  };

  note(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

export const formatCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${count(v)} ${k}`)
    .join(', ');

/** "56 record(s) left out of the ftm export: 50 × <reason> (pl-a, pl-b, ...); 6 × <reason> (...)" */
export function skippedSummary(format: string, skipped: { id: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  const groups = [...byReason].map(([reason, ids]) => {
    const shown = ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', ...' : '');
    return `${count(ids.length)} × ${reason} (${shown})`;
  });
  return `${count(skipped.length)} record(s) left out of the ${format} export: ${groups.join('; ')}`;
}

/** Says which records a load left as they were, so nobody believes the file's values are now in the graph. */
export function reportKept(kept: KeptRecords): void {
  const list = (ids: string[]) =>
    ids.slice(0, 20).join(', ') + (ids.length > 20 ? `, … (${ids.length})` : '');
  if (kept.changedSince.length)
    process.stdout.write(
      `Kept ${kept.changedSince.length} record(s) changed through the API since they were loaded (the file's values were not applied): ${list(kept.changedSince)}\n`,
    );
  if (kept.stricterKept.length)
    process.stdout.write(
      `Kept the stricter stored sensitivity of ${kept.stricterKept.length} record(s) (use setSensitivity to lower it): ${list(kept.stricterKept)}\n`,
    );
}

/** What an import left out of the file (schemata, properties, columns it does not map), counted. */
export function reportImportSkipped(skipped: readonly ImportSkip[]): void {
  if (!skipped.length) return;
  const lines = skipped.map((s) => `  ${s.what} × ${String(s.count)}: ${s.reason}\n`);
  process.stdout.write(`Left out of the file (not mapped; nothing else refused):\n${lines.join('')}`);
}

/** The integrity check as text: one line per invariant, then the ids of the records that break it. */
export function checkReport(r: CheckReport): string {
  const read = Object.entries(r.scanned)
    .map(([k, v]) => `${count(v)} ${k}`)
    .join(', ');
  const lines = r.invariants.map((i) => {
    const head = `${i.count ? 'FAIL' : 'ok  '} ${i.name}: ${i.description}`;
    if (!i.count) return head;
    const more = i.count > i.ids.length ? ` … and ${count(i.count - i.ids.length)} more` : '';
    return `${head}\n     ${count(i.count)} record(s): ${i.ids.join(', ')}${more}`;
  });
  const failed = r.invariants.filter((i) => i.count).length;
  const verdict = r.clean ? 'clean' : `${failed} invariant(s) violated`;
  return `${lines.join('\n')}\nRead ${read} in ${count(r.ms)} ms: ${verdict}.\n`;
}
