import { parseArgs, type ParseArgsConfig } from 'node:util';

/** kg's help texts and argument parsing: usage errors exit with code 2 and point at the help. */

export const HELP: Record<string, string> = {
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
  check [--json]                       Check the store's integrity (before and after a restore)

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
  check: `Usage: kg check [--json]

The store's integrity check: reads the whole store, page by page, and verifies that
  - every claim is backed by an excerpt, and its subjectId/objectId match its ABOUT/OBJECT edges;
  - every excerpt is in one source, and its words are that source's text at its code-point offsets;
  - every source's sha256 is the sha256 of its text (UTF-8);
  - every relationship between entities cites claims, each about one of its ends;
  - every merge a merge or unmerge audit record names exists;
  - every figure's stated words (Figure.text) occur in an excerpt of its claim.
Run it before a backup and after a restore. Prints one line per invariant and, for each one violated,
how many records break it and their ids (the first 100). Progress goes to stderr on a terminal.
Exit codes: 0 clean, 1 any violation (or failure), 2 usage error.

Options:
  --json   Print the report as JSON (invariants with name, description, count and ids)`,
  migrate: `Usage: kg migrate

Applies the migrations not yet recorded in the graph, in order.`,
  import: `Usage: kg import FILE --format bundle|ftm|acled [--recorded-by NAME] [--dataset NAME]

Imports a hrkg bundle (YAML or JSON), FollowTheMoney entities (NDJSON) or ACLED events (CSV). The whole
file is checked first: any problem refuses it, with every problem listed (by line for NDJSON and CSV),
and nothing is written. Ids are deterministic: importing a file again changes nothing.
A backup (a full bundle export, with its store section) is restored: only into an empty store, whole.

Evidence is never changed in place. An FtM or ACLED file's claims are its own (keyed by record and file):
a second file about the same records adds claims citing its own lines, never rewrites the first file's.
Where a later release of the same dataset (same --dataset and publisher) says something else about a
record, its claim supersedes the earlier one (kept, readable, not counted as a conflict); where it says the
same, it corroborates. A bundle that would change a stored claim, figure or source text is refused.

Options:
  --format F          bundle, ftm or acled (required)
  --recorded-by NAME  Who imports (FtM and ACLED claims; a bundle names its own curator)
  --dataset NAME      The dataset the FtM or ACLED file is a release of (ACLED default: acled; FtM: none,
                      so two FtM files that disagree are a conflict, not a supersession)`,
  export: `Usage: kg export --format bundle|ftm|acled|prov|graphml [-o FILE] [--clearance LEVEL]

Writes the whole graph: bundle (hrkg-bundle/1 JSON, importable; with full clearance a backup holding
the whole store, restored by kg import into an empty store; with less a redacted share), ftm (FollowTheMoney NDJSON),
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
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command = 'kg',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, strict, with its errors turned into usage errors of the command. */
export function parse(
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

export function oneOf<T extends string>(
  command: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (value === undefined) throw new UsageError(`--${option} is required (${allowed.join(', ')})`, command);
  if (!allowed.includes(value as T)) {
    throw new UsageError(
      `--${option} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
      command,
    );
  }
  return value as T;
}

export const firstLine = (s: string) =>
  s
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? s;

export function help(command: string): number {
  process.stdout.write(`${HELP[command]}\n`);
  return 0;
}
