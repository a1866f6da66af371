#!/usr/bin/env node
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { BundleError } from '../io/bundle/resolve.js';
import {
  checkBundle,
  checkCommand,
  exportCommand,
  importCommand,
  keys,
  migrateCommand,
  seed,
} from './commands.js';
import { firstLine, help, HELP, UsageError } from './usage.js';

/**
 * `kg`: the command line of the knowledge graph, for the machine that holds the data (whoever runs it is
 * trusted as admin, as with the first API key). Talks to NEO4J_URI, or starts the embedded Neo4j on
 * NEO4J_DATA_DIR. Output that is data goes to stdout; errors, warnings and (on a terminal only) a
 * progress line go to stderr. Exit codes: 0 done, 1 failed, 2 usage error. Commands: src/cli/commands.ts.
 */

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  seed,
  migrate: migrateCommand,
  import: importCommand,
  export: exportCommand,
  keys,
  'check-bundle': checkBundle,
  check: checkCommand,
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
