/**
 * THE CYPHER REGISTRY: every statement, and every variant of every statement, that the application can run.
 *
 * Tests hold our Cypher the way neo4j/graphql's do: a unit test keeps this registry complete
 * (test/unit/cypher-registry.test.ts), an integration test EXPLAINs every entry against the test Neo4j and
 * refuses bad plans (test/integration/cypher-plans.test.ts, allow-list in ./plan-rules.ts), and inline
 * snapshots show the Cypher of the statements that matter most in every review
 * (test/unit/cypher-snapshots.test.ts).
 *
 * How it is built, so that nothing needs listing by hand but the variants of factories:
 * - every module under src/graph/queries is imported and its exports walked: a Statement ({name, cypher}),
 *   and records or arrays of them (one statement per entity kind, relationship type, move type...), are
 *   entries as they are;
 * - an exported function is a factory when it returns a Statement: FACTORY_VARIANTS below lists the
 *   arguments to call it with, one list per variant the application can ask for (listing orders x embeds x
 *   anchors, neighbourhood depths, path lengths, pages with and without a total). Any other exported
 *   function must be a Cypher fragment helper (it returns a string); the unit test calls each with
 *   placeholder arguments and fails on an exported function that is neither;
 * - statements declared outside src/graph/queries (migrations' ledger, the system service) are read from
 *   the source when both their name and their Cypher are plain literals (INLINE_EXCEPTIONS lists the rest,
 *   with the reason).
 *
 * Adding a statement to a queries module needs nothing here. Adding a factory needs one line in
 * FACTORY_VARIANTS; the unit test says so. Run the checks with
 *   npx vitest run --project unit test/unit/cypher-registry.test.ts test/unit/cypher-snapshots.test.ts
 *   npx vitest run test/integration/cypher-plans.test.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Statement } from '../../src/graph/executor.js';
import { projectRoot } from '../../src/paths.js';

export const QUERIES_DIR = path.join(projectRoot, 'src/graph/queries');

export interface Entry {
  /** The statement's name (unique: logs, transaction metadata and benchmarks know it by it). */
  readonly name: string;
  readonly cypher: string;
  /** Where it comes from: `listing.eventsPage("DATE_ASC", {…}, "place")`, `merge.moveRels.ABOUT`, `src/graph/migrate.ts`. */
  readonly origin: string;
}

/* ----------------------------------------------------------------------------------------------------------
 * The explicit list: factories and the variants the application can ask each of them for.
 * Keyed by `<queries module>.<export>`; each value is the list of argument lists to call the factory with.
 * -------------------------------------------------------------------------------------------------------- */

const EMBEDS = [false, true].flatMap((relations) =>
  [false, true].flatMap((claims) => [false, true].map((total) => ({ relations, claims, total }))),
);
const ORDERS = ['DATE_ASC', 'DATE_DESC', 'NAME_ASC'] as const;
const ANCHORS = ['all', 'actor', 'place'] as const;

export const FACTORY_VARIANTS: Readonly<Record<string, readonly (readonly unknown[])[]>> = {
  // Every order x every embed (relations, claims, totalCount are chosen by the GraphQL selection) x anchor.
  'listing.eventsPage': ORDERS.flatMap((o) => EMBEDS.flatMap((e) => ANCHORS.map((a) => [o, e, a]))),
  // The timeline has no totalCount field: its embeds never ask for a total.
  'listing.timeline': EMBEDS.filter((e) => !e.total).flatMap((e) => ANCHORS.map((a) => [e, a])),
  'listing.entitiesPage': (['Actor', 'Place'] as const).flatMap((l) => EMBEDS.map((e) => [l, e])),
  'listing.sourcesPage': [[false], [true]],
  'audit.auditPage': [[false], [true]],
  // Depths and lengths the schema accepts (explore service: depth 1..3, maxLength 1..6).
  'explore.neighborhood': [[1], [2], [3]],
  'explore.paths': [[1], [2], [3], [4], [5], [6]],
};

/**
 * Statements outside src/graph/queries whose name or Cypher is computed, so cannot be read from the source,
 * with the reason they are not EXPLAINed here. Keyed by `<file> <name as written>`.
 */
export const INLINE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'src/graph/migrate.ts `migration.${m.id}.${i + 1}`':
    'schema commands (constraints, indexes) of the migrations: EXPLAIN does not apply to them; test/integration/migrations.test.ts runs them',
  'src/graph/stores/warm-up.ts `warm-up.${stmt.name}`':
    'EXPLAIN of statements the registry already holds (the warm-up fills the plan cache); test/integration/warm-up.test.ts runs them',
};

/* -------------------------------------------------------------------------------------------------------- */

export function isStatement(v: unknown): v is Statement {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Statement).name === 'string' &&
    typeof (v as Statement).cypher === 'string'
  );
}

export interface QueryModule {
  /** The file's name without .ts: `listing`, `export-bundle`. */
  readonly module: string;
  readonly file: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Every module under src/graph/queries, imported. */
export async function queryModules(): Promise<QueryModule[]> {
  const files = readdirSync(QUERIES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  return Promise.all(
    files.map(async (f) => {
      const file = path.join(QUERIES_DIR, f);
      const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      return { module: f.replace(/\.ts$/, ''), file, exports };
    }),
  );
}

/** Statements in a value: the value itself, or those in a record or array of them (nested at most twice). */
function statementsIn(value: unknown, origin: string, depth = 0): Entry[] {
  if (isStatement(value)) return [{ name: value.name, cypher: value.cypher, origin }];
  if (depth >= 2 || typeof value !== 'object' || value === null) return [];
  if (value instanceof Map) {
    return [...value].flatMap(([k, v]) => statementsIn(v, `${origin}.${String(k)}`, depth + 1));
  }
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return [];
  return Object.entries(value).flatMap(([k, v]) => statementsIn(v, `${origin}.${k}`, depth + 1));
}

/** A placeholder argument for probing helpers: reads as a string and can be called like a projection. */
function placeholder(): unknown {
  const f = (x: unknown) => String(x);
  return Object.assign(f, { toString: () => 'probe', [Symbol.toPrimitive]: () => 'probe' });
}

export type FunctionKind = 'factory' | 'helper' | 'unclassified';

/**
 * What an exported function is: a factory (listed in FACTORY_VARIANTS), a fragment helper (it returns a
 * string when called with placeholders), or neither (an unlisted factory, or something new: the unit
 * test fails on it).
 */
export function classify(key: string, fn: (...args: unknown[]) => unknown): FunctionKind {
  if (key in FACTORY_VARIANTS) return 'factory';
  try {
    const out = fn(...Array.from({ length: Math.max(fn.length, 1) }, placeholder));
    return typeof out === 'string' ? 'helper' : 'unclassified';
  } catch {
    return 'unclassified';
  }
}

function describeArgs(args: readonly unknown[]): string {
  return args.map((a) => JSON.stringify(a)).join(', ');
}

export interface Walk {
  readonly entries: Entry[];
  /** `<module>.<export>` of exported functions that are neither listed factories nor fragment helpers. */
  readonly unclassified: string[];
  /** FACTORY_VARIANTS keys that name no exported function. */
  readonly staleFactories: string[];
}

/** Walks the exports of the queries modules: statements, records of them, and the listed factory variants. */
export function walk(modules: readonly QueryModule[]): Walk {
  const entries: Entry[] = [];
  const unclassified: string[] = [];
  const seen = new Set<string>();
  for (const { module, exports } of modules) {
    for (const [name, value] of Object.entries(exports)) {
      const key = `${module}.${name}`;
      if (typeof value !== 'function') {
        entries.push(...statementsIn(value, key));
        continue;
      }
      const fn = value as (...args: unknown[]) => unknown;
      const kind = classify(key, fn);
      if (kind === 'unclassified') unclassified.push(key);
      if (kind !== 'factory') continue;
      seen.add(key);
      for (const args of FACTORY_VARIANTS[key]!) {
        entries.push(...statementsIn(fn(...args), `${key}(${describeArgs(args)})`));
      }
    }
  }
  const staleFactories = Object.keys(FACTORY_VARIANTS).filter((k) => !seen.has(k));
  return { entries, unclassified, staleFactories };
}

/* ----------------------------------------------------------------------------------------------------------
 * Statements declared outside src/graph/queries, read from the source.
 * -------------------------------------------------------------------------------------------------------- */

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Stands for each `${…}` of a template literal in the text literalAt returns. */
export const HOLE = '\u0000';

/** The end of the `${…}` whose `{` is at `open` (nested braces and string literals skipped). */
function holeEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i += 1) {
    const c = src[i];
    if (c === "'" || c === '"' || c === '`') i = literalAt(src, i)!.end - 1;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return src.length;
}

/** A JS string literal at `at` (after whitespace): its text (HOLE for each `${…}`) and where it ends. */
function literalAt(src: string, at: number): { text: string; end: number; template: boolean } | null {
  let i = at;
  while (/\s/.test(src[i] ?? '')) i += 1;
  const quote = src[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return null;
  let text = '';
  for (i += 1; i < src.length && src[i] !== quote; i += 1) {
    if (src[i] === '\\') {
      i += 1;
      text += src[i] === 'n' ? '\n' : src[i];
    } else if (quote === '`' && src[i] === '$' && src[i + 1] === '{') {
      i = holeEnd(src, i + 1) - 1;
      text += HOLE;
    } else text += src[i];
  }
  return { text, end: i + 1, template: text.includes(HOLE) };
}

/** `statement(` calls in a source text: the literal name and Cypher, or what was written when not literal. */
export function statementCalls(src: string): { name: string; cypher: string | null; written: string }[] {
  const out: { name: string; cypher: string | null; written: string }[] = [];
  for (const m of src.matchAll(/\bstatement(?:<[^>(]*>)?\(/g)) {
    const at = m.index + m[0].length;
    const name = literalAt(src, at);
    if (!name) continue; // the definition, or a call with a computed name (a helper's parameter)
    const written = src.slice(at, name.end).trim();
    let i = name.end;
    while (/\s/.test(src[i] ?? '')) i += 1;
    const cypher = src[i] === ',' ? literalAt(src, i + 1) : null;
    const literal = !name.template && cypher !== null && !cypher.template;
    out.push({ name: name.text, cypher: literal ? cypher.text : null, written });
  }
  return out;
}

/**
 * Statement names a queries module spells out: the literal first argument of every call to `statement`, to a
 * `…Statement` helper or to `cached` (a template's `${…}` parts match anything). Each must name at least one
 * registry entry, or a statement escaped the walk (not exported, or a factory variant not listed).
 */
export function declaredNames(src: string): RegExp[] {
  const out: RegExp[] = [];
  for (const m of src.matchAll(/\b(?:statement|\w+Statement|cached)(?:<[^>(]*>)?\(/g)) {
    const name = literalAt(src, m.index + m[0].length);
    if (!name) continue;
    const parts = name.text.split(HOLE).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    out.push(new RegExp(`^${parts.join('.*')}$`));
  }
  return out;
}

export interface Inline {
  readonly entries: Entry[];
  /** `<file> <name as written>` of statements whose name or Cypher is computed. */
  readonly computed: string[];
}

/** Statements created with literal name and Cypher in src/ outside src/graph/queries. */
export function inlineStatements(): Inline {
  const entries: Entry[] = [];
  const computed: string[] = [];
  for (const file of tsFiles(path.join(projectRoot, 'src'))) {
    if (file.startsWith(QUERIES_DIR + path.sep) || file.endsWith(`${path.sep}executor.ts`)) continue;
    const rel = path.relative(projectRoot, file);
    for (const call of statementCalls(readFileSync(file, 'utf8'))) {
      if (call.cypher === null) computed.push(`${rel} ${call.written}`);
      else entries.push({ name: call.name, cypher: call.cypher, origin: rel });
    }
  }
  return { entries, computed };
}

/* -------------------------------------------------------------------------------------------------------- */

export interface Registry {
  /** One entry per statement name, in module order. */
  readonly entries: readonly Entry[];
  /** The entry of a statement name; throws when there is none. */
  get(name: string): Entry;
}

/** Same name with different Cypher: each name must mean one statement. */
export function nameClashes(entries: readonly Entry[]): string[] {
  const byName = new Map<string, Entry>();
  const clashes: string[] = [];
  for (const e of entries) {
    const other = byName.get(e.name);
    if (other && other.cypher !== e.cypher) clashes.push(`${e.name}: ${other.origin} and ${e.origin}`);
    byName.set(e.name, other ?? e);
  }
  return clashes;
}

function dedupe(entries: readonly Entry[]): Entry[] {
  const byName = new Map<string, Entry>();
  for (const e of entries) if (!byName.has(e.name)) byName.set(e.name, e);
  return [...byName.values()];
}

/** Every statement and variant the application can run (see the header). */
export async function loadRegistry(): Promise<Registry> {
  const { entries: walked } = walk(await queryModules());
  const entries = dedupe([...walked, ...inlineStatements().entries]);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    entries,
    get(name) {
      const e = byName.get(name);
      if (!e) throw new Error(`No statement named ${name} in the Cypher registry`);
      return e;
    },
  };
}
