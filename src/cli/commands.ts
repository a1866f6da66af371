import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { loadBundleFile } from '../io/bundle/resolve.js';
import { KEY_ROLES, type Viewer } from '../model/access.js';
import { SENSITIVITIES, type Sensitivity } from '../model/enums.js';
import { loadBundle, SAMPLE_BUNDLE } from '../services/import.js';
import { KeyService } from '../services/keys.js';
import { migrate } from '../graph/migrate.js';
import { readable, withDatabase } from './database.js';
import {
  checkReport,
  count,
  formatCounts,
  ProgressLine,
  reportImportSkipped,
  reportKept,
  skippedSummary,
} from './output.js';
import { help, oneOf, parse, UsageError } from './usage.js';

/** kg's commands, one function each: parse the arguments, do the work, print, return the exit code. */

export const IMPORT_FORMATS = ['bundle', 'ftm', 'acled'] as const;
export const EXPORT_FORMATS = ['bundle', 'ftm', 'acled', 'prov', 'graphml'] as const;
/** The CLI acts as an admin on the machine that holds the data. */
export const CLI_VIEWER: Viewer = { role: 'admin', keyId: null, name: 'kg cli' };

export async function seed(args: string[]): Promise<number> {
  const { values, positionals } = parse('seed', args, {}, 1);
  if (values.help) return help('seed');
  const file = positionals[0] ?? SAMPLE_BUNDLE;
  await readable(file);
  return withDatabase({ migrate: true }, async (db, logger) => {
    const r = await loadBundle(db.executor, file, { force: true, logger });
    process.stdout.write(`Loaded ${file} in ${r.ms} ms: ${formatCounts({ ...r.counts })}\n`);
    if (r.kept) reportKept(r.kept);
    return 0;
  });
}

export async function checkBundle(args: string[]): Promise<number> {
  const { values, positionals } = parse('check-bundle', args, {}, 1);
  if (values.help) return help('check-bundle');
  const file = positionals[0];
  if (!file) throw new UsageError('a bundle FILE is needed', 'check-bundle');
  await readable(file);
  const b = await loadBundleFile(file);
  process.stdout.write(
    `OK: ${b.sources.length} sources, ${b.entities.length} entities, ${b.claims.length} claims, ` +
      `${b.excerpts.length} excerpts, ${b.figures.length} figures, ${b.relations.length} relations\n`,
  );
  return 0;
}

/** `kg check`: the store's integrity check; exit 1, with the ids, on any violation. */
export async function checkCommand(args: string[]): Promise<number> {
  const { values } = parse('check', args, { json: { type: 'boolean' } }, 0);
  if (values.help) return help('check');
  const { checkStore } = await import('../services/check.js');
  return withDatabase({ migrate: false }, async (db) => {
    const progress = new ProgressLine('checking');
    try {
      const report = await checkStore(db.executor, {
        onProgress: (what, n) => progress.note(`checking ${what}: ${count(n)}`),
      });
      progress.clear();
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : checkReport(report));
      return report.clean ? 0 : 1;
    } finally {
      progress.clear();
    }
  });
}

export async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parse('migrate', args, {}, 0);
  if (values.help) return help('migrate');
  return withDatabase({ migrate: false }, async (db, logger) => {
    const report = await migrate(db.executor, logger);
    process.stdout.write(
      report.applied.length
        ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}\n`
        : `Nothing to apply: all ${report.alreadyApplied.length} migrations are already recorded in the graph.\n`,
    );
    return 0;
  });
}

export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'import',
    args,
    { format: { type: 'string' }, 'recorded-by': { type: 'string' }, dataset: { type: 'string' } },
    1,
  );
  if (values.help) return help('import');
  const file = positionals[0];
  if (!file) throw new UsageError('which file? kg import FILE --format bundle|ftm|acled', 'import');
  const format = oneOf('import', 'format', values.format, IMPORT_FORMATS);
  await readable(file);
  // Loaded on use, so that help, keys and seed do not depend on the import and export modules.
  const { importFile } = await import('../services/import.js');
  return withDatabase({ migrate: true }, async (db) => {
    const progress = new ProgressLine('importing');
    try {
      const r = await importFile(db.executor, file, format, {
        recordedBy: values['recorded-by'] as string | undefined,
        dataset: values.dataset as string | undefined,
        onProgress: progress.update,
      });
      progress.clear();
      process.stdout.write(`Imported ${file} (sha256 ${r.sha256.slice(0, 12)}): ${formatCounts(r.counts)}\n`);
      reportKept(r.kept);
      reportImportSkipped(r.skipped);
      return 0;
    } finally {
      progress.clear();
    }
  });
}

export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(
    'export',
    args,
    { format: { type: 'string' }, output: { type: 'string', short: 'o' }, clearance: { type: 'string' } },
    0,
  );
  if (values.help) return help('export');
  const format = oneOf('export', 'format', values.format, EXPORT_FORMATS);
  const clearance = oneOf('export', 'clearance', values.clearance ?? 'confidential', SENSITIVITIES);
  const output = values.output as string | undefined;
  if (output === '') throw new UsageError('-o needs a file name', 'export');
  const { exportBundle, exportGraph } = await import('../services/export.js');
  return withDatabase({ migrate: false }, async (db) => {
    // What a caller with this clearance may see: the same redaction the API applies.
    const visible = SENSITIVITIES.slice(0, SENSITIVITIES.indexOf(clearance as Sensitivity) + 1);
    const executor = db.executor.forRequest(`kg-export-${Date.now()}`, visible);
    // A file appears only whole: written beside it, renamed at the end.
    const partial = output ? `${output}.partial` : undefined;
    let file: WriteStream | undefined;
    if (partial) {
      file = createWriteStream(partial);
      // A folder that does not exist, or no permission: fail before reading anything.
      await once(file, 'open');
    }
    const out: NodeJS.WritableStream = file ?? process.stdout;
    const progress = new ProgressLine('exporting');
    try {
      let summary: string;
      if (format === 'bundle') {
        const r = await exportBundle(executor, out);
        summary = `exported ${formatCounts(r.counts)}`;
      } else {
        const r = await exportGraph(executor, format, out, { onProgress: progress.update });
        summary = `exported ${count(r.records)} records`;
        progress.clear();
        // Not progress: what the format cannot hold is worth a warning wherever stderr goes.
        if (r.skipped.length) process.stderr.write(`kg: warning: ${skippedSummary(format, r.skipped)}\n`);
      }
      if (file) {
        file.end();
        await finished(file);
        await rename(partial!, output!);
      }
      progress.clear();
      if (progress.enabled) process.stderr.write(`${summary}${output ? ` to ${output}` : ''}\n`);
      return 0;
    } catch (err) {
      if (file) {
        file.destroy();
        await rm(partial!, { force: true });
      }
      throw err;
    } finally {
      progress.clear();
    }
  });
}

export async function keys(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    if (sub === undefined) throw new UsageError('keys needs a subcommand: create or revoke', 'keys');
    return help('keys');
  }
  if (sub === 'create') {
    const { values } = parse('keys create', rest, { role: { type: 'string' }, name: { type: 'string' } }, 0);
    if (values.help) return help('keys create');
    const role = oneOf('keys create', 'role', values.role, KEY_ROLES);
    const name = values.name as string | undefined;
    if (!name?.trim()) throw new UsageError('--name is required: who will use the key', 'keys create');
    return withDatabase({ migrate: true }, async (db) => {
      const key = await new KeyService(db.executor, CLI_VIEWER).create(role, name);
      process.stdout.write(
        `Created ${key.role} key ${key.id} for ${key.name}. The secret is shown only now; store it:\n${key.secret}\n`,
      );
      return 0;
    });
  }
  if (sub === 'revoke') {
    const { values, positionals } = parse('keys revoke', rest, {}, 1);
    if (values.help) return help('keys revoke');
    const id = positionals[0];
    if (!id) throw new UsageError('which key? kg keys revoke ID', 'keys revoke');
    return withDatabase({ migrate: true }, async (db) => {
      await new KeyService(db.executor, CLI_VIEWER).revoke(id);
      process.stdout.write(`Revoked ${id}. Running servers refuse it within 30 seconds.\n`);
      return 0;
    });
  }
  throw new UsageError(`unknown keys subcommand ${JSON.stringify(sub)} (create or revoke)`, 'keys');
}
