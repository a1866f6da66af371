#!/usr/bin/env node
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pino, type Logger } from 'pino';
import { KEY_ROLES, type Viewer } from '../model/access.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { openDatabase, type Database } from '../graph/database.js';
import { passwordFile } from '../graph/embedded-password.js';
import { migrate } from '../graph/migrate.js';
import { BundleError, loadBundleFile } from '../io/bundle/resolve.js';
import { SENSITIVITIES, type Sensitivity } from '../model/enums.js';
import { KeyService } from '../services/keys.js';
import { loadBundle, SAMPLE_BUNDLE } from '../services/import.js';

/**
 * `kg`: the command line of the knowledge graph, for the machine that holds the data (whoever runs it is
 * trusted as admin, as with the first API key). Talks to NEO4J_URI, or starts the embedded Neo4j on
 * NEO4J_DATA_DIR. Output that is data goes to stdout; errors, warnings and (on a terminal only) a
 * progress line go to stderr. Exit codes: 0 done, 1 failed, 2 usage error.
 */

const IMPORT_FORMATS = ['bundle', 'ftm', 'acled'] as const;
const EXPORT_FORMATS = ['bundle', 'ftm', 'acled', 'prov', 'graphml'] as const;
/** The CLI acts as an admin on the machine that holds the data. */
const CLI_VIEWER: Viewer = { role: 'admin', keyId: null, name: 'kg cli' };

const HELP: Record<string, string> = {
  kg: `Usage: kg <command> [options]

The knowledge graph's command line. It uses the Neo4j at NEO4J_URI, or starts the embedded one
(NEO4J_DATA_DIR, default .neo4j/data; a running server holds that folder: then set NEO4J_URI).

Commands:
  seed [FILE]                          Load the sample graph, or a bundle FILE, again (idempotent)
  migrate                              Apply pending database migrations
  import FILE --format bundle|ftm|acled
                                       Import a file: all of it, or nothing when any problem is found
  export --format bundle|ftm|acled|prov|graphml [-o FILE]
                                       Export the graph to stdout, or to FILE
  keys create --role viewer|analyst|admin --name NAME
                                       Create an API key; its secret is printed once
  keys revoke ID                       Revoke an API key
  check-bundle FILE                    Validate a bundle file without a database, and summarise it

Options:
  -h, --help                           Show help for kg or for a command

Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, NEO4J_DATA_DIR, LOG_LEVEL (default warn).
Exit codes: 0 done, 1 failed, 2 usage error.`,
  seed: `Usage: kg seed [FILE]

Loads the sample bundle (data/sohr-2022-amnesty.bundle.yaml), or the bundle FILE, in one transaction,
even when it was loaded before (records are upserted by id, so loading twice changes nothing twice).
Applies pending migrations first. A bundle with problems is refused whole, every problem listed.`,
  'check-bundle': `Usage: kg check-bundle FILE

Validates a bundle file (hrkg-bundle/1) as kg seed and kg import would, without a database: every problem
is listed with its path (exit 1), or a one-line summary of what it holds is printed (exit 0).`,
  migrate: `Usage: kg migrate

Applies the migrations not yet recorded in the graph, in order.`,
  import: `Usage: kg import FILE --format bundle|ftm|acled [--recorded-by NAME]

Imports a hrkg bundle (YAML or JSON), FollowTheMoney entities (NDJSON) or ACLED events (CSV). The whole
file is checked first: any problem refuses it, with every problem listed (by line for NDJSON and CSV),
and nothing is written. Ids are deterministic: importing a file again changes nothing.

Options:
  --format F          bundle, ftm or acled (required)
  --recorded-by NAME  Who imports (FtM and ACLED claims; a bundle names its own curator)`,
  export: `Usage: kg export --format bundle|ftm|acled|prov|graphml [-o FILE] [--clearance LEVEL]

Writes the whole graph: bundle (hrkg-bundle/1 JSON, lossless, importable), ftm (FollowTheMoney NDJSON),
acled (ACLED-style CSV), prov (PROV-JSON) or graphml (Gephi, Cytoscape). To stdout unless -o is given
(the file appears only when the export is complete).

Options:
  --format F          The format (required)
  -o, --output FILE   Write to FILE instead of stdout
  --clearance LEVEL   Export only what this clearance sees: public, restricted or confidential
                      (default confidential: everything)`,
  keys: `Usage: kg keys create --role viewer|analyst|admin --name NAME
       kg keys revoke ID

Manages API keys. Only the sha256 of a secret is stored: the secret is printed once, on creation.
Revoked keys stop working within 30 seconds on running servers.`,
  'keys create': `Usage: kg keys create --role viewer|analyst|admin --name NAME

Creates an API key and prints its id, then its secret (once; only its hash is stored).

Options:
  --role R     viewer, analyst or admin (required)
  --name NAME  Who will use it; recorded with everything the key does (required)`,
  'keys revoke': `Usage: kg keys revoke ID

Revokes the API key ID (key-...). Revoking an unknown or revoked key fails.`,
};

/** A mistake in how kg was called: exit code 2, with a pointer to the help. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command = 'kg',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into usage errors of the command. */
function parse(
  command: string,
  args: string[],
  options: Options,
  maxPositionals: number,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // parseArgs' advice on positionals starting with "-" does not apply to kg's arguments.
    const message = firstLine((err as Error).message).replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(message, command);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`,
      command,
    );
  }
  return parsed;
}

function oneOf<T extends string>(command: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`--${option} is required (${allowed.join(', ')})`, command);
  if (!allowed.includes(value as T)) {
    throw new UsageError(
      `--${option} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
      command,
    );
  }
  return value as T;
}

const count = (n: number) => n.toLocaleString('en-US');

/** "exporting 1,234/10,000", redrawn in place on a terminal; nothing at all otherwise. */
class ProgressLine {
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

const formatCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${count(v)} ${k}`)
    .join(', ');

/** "56 record(s) left out of the ftm export: 50 × <reason> (pl-a, pl-b, ...); 6 × <reason> (...)" */
function skippedSummary(format: string, skipped: { id: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  const groups = [...byReason].map(([reason, ids]) => {
    const shown = ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', ...' : '');
    return `${count(ids.length)} × ${reason} (${shown})`;
  });
  return `${count(skipped.length)} record(s) left out of the ${format} export: ${groups.join('; ')}`;
}

/** The process's logger: pino at warn (unless LOG_LEVEL says otherwise), on stderr so stdout stays data. */
function cliLogger(level: string): Logger {
  return pino({ name: 'kg', level }, pino.destination({ dest: 2, sync: true }));
}

/** Opens the database (migrating when asked), runs the work, and always closes it. */
async function withDatabase<T>(
  opts: { migrate: boolean },
  work: (db: Database, logger: Logger) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' });
  const logger = cliLogger(config.logLevel);
  const progress = new ProgressLine('');
  if (!config.neo4j.uri) progress.note(`starting the embedded Neo4j in ${config.neo4j.embedded.dataDir} ...`);
  let db: Database;
  try {
    db = await openDatabase(config, logger);
  } catch (err) {
    throw explainOpenError(err, config);
  } finally {
    progress.clear();
  }
  const stop = () => {
    void db.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (opts.migrate) await migrate(db.executor, logger);
    return await work(db, logger);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await db.close();
  }
}

/** An embedded store held by a running server is the usual reason kg cannot start: say what to do. */
function explainOpenError(err: unknown, config: Config): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (
    !config.neo4j.uri &&
    /Another Neo4j process|StoreLocked|store_lock|Unable to get lock|FileLock/i.test(message)
  ) {
    const file = passwordFile(config.neo4j.embedded.dataDir);
    return new Error(
      `the embedded Neo4j data folder ${config.neo4j.embedded.dataDir} is locked by a running process ` +
        '(probably the server): set NEO4J_URI to its Bolt URI (logged at startup as neo4jUri)' +
        (existsSync(file) && !config.neo4j.password
          ? ` and NEO4J_PASSWORD to the password kept in ${file}`
          : '') +
        ' and run kg again',
    );
  }
  if (!config.neo4j.uri) {
    return new Error(
      `could not start the embedded Neo4j: ${firstLine(message)} (or set NEO4J_URI to a running Neo4j)`,
    );
  }
  return new Error(`${firstLine(message)} (NEO4J_URI=${config.neo4j.uri})`);
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? s;

async function readable(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new Error(`cannot read ${file}: no such file`);
  }
}

/** Says which records a load left as they were, so nobody believes the file's values are now in the graph. */
function reportKept(kept: { changedSince: string[]; stricterKept: string[] }): void {
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

async function seed(args: string[]): Promise<number> {
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

async function checkBundle(args: string[]): Promise<number> {
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

async function migrateCommand(args: string[]): Promise<number> {
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

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    'import',
    args,
    { format: { type: 'string' }, 'recorded-by': { type: 'string' } },
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
        onProgress: progress.update,
      });
      progress.clear();
      process.stdout.write(`Imported ${file} (sha256 ${r.sha256.slice(0, 12)}): ${formatCounts(r.counts)}\n`);
      reportKept(r.kept);
      return 0;
    } finally {
      progress.clear();
    }
  });
}

async function exportCommand(args: string[]): Promise<number> {
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

async function keys(args: string[]): Promise<number> {
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

function help(command: string): number {
  process.stdout.write(`${HELP[command]}\n`);
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  seed,
  migrate: migrateCommand,
  import: importCommand,
  export: exportCommand,
  keys,
  'check-bundle': checkBundle,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      return rest[0] && HELP[rest.join(' ')] ? help(rest.join(' ')) : help('kg');
    }
    if (command === undefined) throw new UsageError('a command is needed');
    const run = COMMANDS[command];
    if (!run) {
      throw new UsageError(
        command.startsWith('-') ? `unknown option ${command}` : `unknown command ${JSON.stringify(command)}`,
      );
    }
    return await run(rest);
  } catch (err) {
    return report(err);
  }
}

/** Prints the failure on stderr: one line, or for a refused bundle one line per problem. Returns the exit code. */
function report(err: unknown): number {
  if (err instanceof UsageError) {
    const helpCmd = err.command === 'kg' ? 'kg --help' : `kg ${err.command} --help`;
    process.stderr.write(`kg: ${err.message} (see ${helpCmd})\n`);
    return 2;
  }
  if (err instanceof BundleError) {
    const lines = err.problems.map((p) => `  ${p.path}: ${p.message}`);
    process.stderr.write(
      `kg: refused, nothing written: ${err.problems.length} problem(s):\n${lines.join('\n')}\n`,
    );
    return 1;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`kg: invalid configuration: ${err.issues.join('; ')}\n`);
    return 1;
  }
  const message = err instanceof AppError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`kg: ${firstLine(message)}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') {
    process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  }
  return 1;
}

// A reader that stops early (kg export ... | head) is not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') process.stderr.write(`kg: cannot write to stdout: ${err.message}\n`);
  process.exit(err.code === 'EPIPE' ? 0 : 1);
});

// The exit code is set, not forced: pending stdout writes drain before the process ends.
process.exitCode = await main(process.argv.slice(2));
