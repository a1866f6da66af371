import http from 'node:http';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * A schema-driven fuzzer for the GraphQL endpoint: random documents (valid and not), hostile strings,
 * malformed HTTP. Everything is derived from a seed, and each request from (seed, index), so one
 * failing request can be reproduced alone.
 */

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast, good enough for fuzzing, and the same on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = (seed ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    this.c ^= seed;
    this.b ^= stream;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks a subset of k distinct items. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length) out.push(pool.splice(this.int(pool.length), 1)[0]!);
    return out;
  }
}

/** FNV-1a, for seeding from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------------
// Hostile values

/** Strings that look like Cypher. They must be stored and returned literally, never executed. */
export const CYPHER_INJECTIONS = [
  '"}) MATCH (n) DETACH DELETE n //',
  "' OR 1=1 --",
  '$visible',
  '`n`) DETACH DELETE n //',
  '`',
  "'}) RETURN 1 UNION MATCH (n) RETURN n.id AS id //",
  '"; CALL dbms.security.listUsers() //',
  "\\'}) SET n.sensitivity = 'public' //",
  '{id: $id}',
  '${jndi:ldap://127.0.0.1/x}',
];

/** GraphQL inside strings: data, never a document. */
export const GRAPHQL_INJECTIONS = [
  '{ __schema { types { name } } }',
  '" } } mutation { revokeApiKey(id: "x") } #',
  'query { auditLog { edges { node { id } } } }',
  '\\" ) { id } }',
];

/** Scripts, directions, control and odd code points. */
export const ODD_STRINGS = [
  'درعا',
  'ريف دمشق',
  'المرصد السوري لحقوق الإنسان',
  'abc\u202Edef',
  '\u202Eevil\u202C',
  '\u2066isolated\u2069 text',
  'mixed \u200F\u200E marks',
  'a\u0000b',
  '\u0000',
  '😀 emoji 👨‍👩‍👧‍👦',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎',
  '\u{10FFFF}',
  '\uFFFE\uFFFF',
  '\uFEFFbom',
  'line\r\nbreaks\tand tabs',
  '\u0085\u2028\u2029',
  'e\u0301 vs é',
  'Ｆｕｌｌｗｉｄｔｈ',
  'İstanbul ß',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '<script>alert(1)</script>',
  '%s%n%x%d',
  '../../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '1e309',
  '\\',
  '"',
  '+-&&||!(){}[]^"~*?:\\/',
  'a~',
  '*',
  'title:x OR name:y',
  '/.*/',
];

/** Lone surrogates: not well-formed Unicode, to be refused (they cannot be stored as UTF-8). */
export const LONE_SURROGATES = ['\uD800', 'x\uDC00y', 'abc\uDBFF'];

export const HOSTILE_STRINGS = [
  ...CYPHER_INJECTIONS,
  ...GRAPHQL_INJECTIONS,
  ...ODD_STRINGS,
  ...LONE_SURROGATES,
];

const WORDS = [
  'Daraa',
  "Dar'a",
  'amnesty',
  'release',
  'Sednaya',
  'decree',
  'prisoners',
  'Damascus',
  'SOHR',
  'women',
  'people_released',
  'organization',
  'city',
  'release_batch',
];
const ALPHABET = [
  ...'abcxyzABCXYZ0189 -_.:/\'"\\{}()[]$`#@!?*~^&|<>=,;\n\t',
  'é',
  'ß',
  'ع',
  'د',
  'ر',
  'ا',
  '中',
  '😀',
  '\u202E',
  '\u2066',
  '\u0000',
  '\u0007',
  '\uD800',
  '\uDC00',
  '\u200D',
  '\u0301',
];
const DATES = [
  '2022',
  '2022-04',
  '2022-04-30',
  '2022-02-30',
  '2022-13',
  '30 April',
  '',
  '2022-04-30T10:00:00Z',
];
const INSTANTS = [
  '2022-04-30T10:00:00Z',
  '2022-04-30T10:00:00+03:00',
  '2022-04-30',
  'yesterday',
  '9999-99-99',
];
const LANGS = ['en', 'ar', 'fr', 'en-GB', 'zh-Hant', 'x', '', 'EN', 'ar-SY-x-test'];
const URLS = [
  'https://example.org/a?b=c#d',
  'javascript:alert(1)',
  'not a url',
  'ftp://x',
  'http://127.0.0.1/',
];
const SCHEMES = ['wikidata', 'acled', 'opensanctions', 'ftm', 'url', 'iso3166', 'other', 'nope'];
/** Opaque cursors: garbage, base64 of the wrong JSON, of the right shape with wrong types, hostile. */
const CURSORS = [
  '',
  'abc',
  '////',
  'eyJhIjoxfQ',
  'bnVsbA',
  'WzEsMiwzXQ',
  Buffer.from(JSON.stringify(['2022-04-30'])).toString('base64url'),
  Buffer.from(JSON.stringify([null, { $gt: 1 }])).toString('base64url'),
  Buffer.from(JSON.stringify(['"}) MATCH (n) DETACH DELETE n //', 'ev-x'])).toString('base64url'),
  Buffer.from('\uD800'.repeat(10), 'utf16le').toString('base64'),
];

/** A string of n code points from a mixed alphabet (lone surrogates included now and then). */
export function randomText(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.pick(ALPHABET);
  return s;
}

/** 10 KB to about 1 MB: a repeated hostile pattern, or random text. */
export function hugeString(rng: Rng): string {
  const size = Math.floor(10_000 * Math.pow(100, rng.next()));
  const unit = rng.chance(0.5) ? rng.pick([...HOSTILE_STRINGS, 'x', 'ع', '😀']) : randomText(rng, 64);
  return unit.repeat(Math.ceil(size / Math.max(1, unit.length))).slice(0, size);
}

/** A string value, with a hint from the argument's name for plausible values. */
export function fuzzString(rng: Rng, hint = '', tame = false, small = false): string {
  if (tame) return tameString(rng, hint);
  const r = rng.next();
  if (r < 0.005) return small ? rng.pick(HOSTILE_STRINGS) : hugeString(rng);
  if (r < 0.35) return rng.pick(HOSTILE_STRINGS);
  if (r < 0.4) return rng.pick(['', ' ', '\t\n', 'x'.repeat(rng.range(290, 5001))]);
  if (r < 0.5) return randomText(rng, rng.range(1, 40));
  const h = hint.toLowerCase();
  if (/lang/.test(h)) return rng.pick(LANGS);
  if (/date|earliest|latest|asof|period/.test(h)) return rng.pick(DATES);
  if (/^(from|to|at|retrievedat)$/.test(h)) return rng.pick(INSTANTS);
  if (/url/.test(h)) return rng.pick(URLS);
  if (/scheme/.test(h)) return rng.pick(SCHEMES);
  if (h === 'after') return rng.pick(CURSORS);
  if (h === 'measure') return rng.pick(['people_released', 'Bad Measure', 'x'.repeat(200)]);
  if (h === 'property') return rng.pick(['date', 'scope', 'endDate', '1bad', '']);
  return rng.pick(WORDS) + (rng.chance(0.3) ? ` ${rng.pick(WORDS)}` : '');
}

/** Hostile but storable strings (no lone surrogates, nothing huge), or plausible values for the hint. */
function tameString(rng: Rng, hint: string): string {
  const h = hint.toLowerCase();
  if (/lang/.test(h)) return rng.pick(['en', 'ar', 'fr', 'en-GB']);
  if (/^(value|earliest|latest)$/.test(h)) return rng.pick(['2022', '2022-04', '2022-04-30']);
  if (/^(from|to|at|retrievedat)$/.test(h)) return rng.pick(INSTANTS.slice(0, 3));
  if (/url/.test(h)) return URLS[0]!;
  if (/scheme/.test(h)) return rng.pick(SCHEMES.slice(0, 7));
  if (h === 'measure') return 'people_released';
  if (h === 'property') return 'scope';
  if (rng.chance(0.6)) return rng.pick([...CYPHER_INJECTIONS, ...GRAPHQL_INJECTIONS, ...ODD_STRINGS]);
  return rng.pick(WORDS);
}

// ---------------------------------------------------------------------------------------------------
// GraphQL values

/** An enum value in a document (an identifier, not a string). */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** A value in a document: scalars, enums, lists and input objects. */
type Value = string | number | boolean | null | EnumValue | Value[] | { [k: string]: Value };

/** Prints a value as a GraphQL literal (strings JSON-escaped, which GraphQL reads the same). */
export function printLiteral(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof EnumValue) return v.name;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '1e999';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => printLiteral(x)).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}: ${printLiteral(x)}`)
    .join(', ')}}`;
}

/** The value as JSON for `variables` (enums become their names). */
export function toJson(v: Value): unknown {
  if (v instanceof EnumValue) return v.name;
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/** What an id argument may be: sample ids are allowed in reads only, never in mutations. */
export interface IdPolicy {
  readIds: readonly string[];
  /** Unique, non-existent ids for mutations. */
  freshId(): string;
}

export interface GenContext {
  rng: Rng;
  mutation: boolean;
  /** Well-typed values only (hostile strings included), so that writes get accepted now and then. */
  tame?: boolean;
  /** Inside long lists: no huge strings (a body stays within a few MB). */
  small?: boolean;
  ids: IdPolicy;
  /** A unique, well-formed idempotency key. */
  idempotencyKey(): string;
  /**
   * Selections of root fields come from this many variants per field (seeded), most of the time. Each
   * distinct selection is a distinct Cypher statement that Neo4j must plan, which costs far more than
   * the request; a few variants per field keep the run fast and still cover every field's statement.
   */
  variants?: { seed: number; count: number };
}

/** A value of the wrong kind for the given type. */
function wrongValue(rng: Rng): Value {
  return rng.pick<() => Value>([
    () => fuzzString(rng),
    () => rng.range(-5, 5),
    () => 3.75,
    () => 2 ** 31,
    () => -(2 ** 53) - 10,
    () => rng.chance(0.5),
    () => null,
    () => new EnumValue(rng.pick(['UNKNOWN', 'true_', 'EVENT', 'public', 'zz'])),
    () => ({ bogus: 1 }),
    () => [1, 'x', null],
    () => [[[]]],
  ])();
}

function scalarValue(type: GraphQLScalarType, ctx: GenContext, hint: string): Value {
  const { rng } = ctx;
  switch (type.name) {
    case 'ID':
      if (!ctx.mutation && rng.chance(0.6)) return rng.pick(ctx.ids.readIds);
      if (rng.chance(0.15)) return rng.pick(HOSTILE_STRINGS);
      if (!ctx.small && rng.chance(0.015)) return hugeString(rng);
      if (rng.chance(0.05)) return rng.range(0, 99);
      return ctx.ids.freshId();
    case 'Int':
      if (ctx.tame) return rng.range(1, 10);
      return rng.pick<() => number>([
        () => rng.range(0, 12),
        () => rng.range(1, 120),
        () => -rng.range(1, 10),
        () => 0,
        () => 2147483647,
        () => rng.range(400, 1200),
      ])();
    case 'Float':
      return rng.pick([0, 0.5, 1, 1.5, -1, 1168, 1e308, 5e-324, -0.0001, rng.next() * 2000]);
    case 'Boolean':
      return rng.chance(0.5);
    default:
      if (hint === 'idempotencyKey') {
        return ctx.tame || rng.chance(0.8) ? ctx.idempotencyKey() : fuzzString(rng);
      }
      return fuzzString(rng, hint, ctx.tame, ctx.small);
  }
}

/** A value for an input type: usually of the right type, sometimes not. */
export function inputValue(type: GraphQLInputType, ctx: GenContext, hint: string, depth = 0): Value {
  const { rng, tame } = ctx;
  if (!tame && rng.chance(0.04)) return wrongValue(rng);
  if (type instanceof GraphQLNonNull) {
    return inputValue(type.ofType as GraphQLInputType, ctx, hint, depth);
  }
  if (!tame && rng.chance(0.02)) return null;
  if (type instanceof GraphQLList) {
    const item = type.ofType as GraphQLInputType;
    if (rng.chance(0.1)) return inputValue(item, ctx, hint, depth + 1); // a single value, coerced to a list
    if (!tame && rng.chance(0.03)) {
      const long = { ...ctx, small: true };
      return Array.from({ length: rng.range(50, 300) }, () => inputValue(item, long, hint, depth + 1));
    }
    return Array.from({ length: rng.range(0, tame ? 2 : 3) }, () => inputValue(item, ctx, hint, depth + 1));
  }
  if (type instanceof GraphQLEnumType) {
    const values = type.getValues().map((v) => v.name);
    return new EnumValue(tame || rng.chance(0.97) ? rng.pick(values) : rng.pick(['nope', 'PUBLIC', 'Event']));
  }
  if (type instanceof GraphQLScalarType) return scalarValue(type, ctx, hint);
  return inputObject(type as GraphQLInputObjectType, ctx, depth);
}

const ENTITY_TYPES: Record<string, string[]> = {};

function entityTypes(schema: GraphQLSchema, kind: string): string[] {
  const name = { EVENT: 'EventType', ACTOR: 'ActorType', PLACE: 'PlaceType' }[kind] ?? 'EventType';
  ENTITY_TYPES[name] ??= (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
  return ENTITY_TYPES[name];
}

let currentSchema: GraphQLSchema | undefined;

function inputObject(type: GraphQLInputObjectType, ctx: GenContext, depth: number): Value {
  const { rng } = ctx;
  const out: Record<string, Value> = {};
  if (depth > 4) return out;
  for (const f of Object.values(type.getFields())) {
    const required = f.type instanceof GraphQLNonNull && f.defaultValue === undefined;
    if (required ? ctx.tame || rng.chance(0.97) : rng.chance(ctx.tame ? 0.25 : 0.45)) {
      out[f.name] = inputValue(f.type, ctx, f.name, depth + 1);
    }
  }
  if (!ctx.tame && rng.chance(0.02))
    out[rng.pick(['bogus', 'id', '__typename', 'recordedBy'])] = fuzzString(rng);
  // Make entity inputs plausible more often than chance would: a type that fits the kind.
  if (
    type.name === 'CreateEntityInput' &&
    currentSchema &&
    out.kind instanceof EnumValue &&
    rng.chance(0.7)
  ) {
    out.type = rng.pick(entityTypes(currentSchema, out.kind.name));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Documents

export interface GeneratedDocument {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  mutation: boolean;
  /** Root fields asked for, by response key. */
  rootFields: { key: string; field: string; args: Record<string, unknown> }[];
}

interface DocState {
  ctx: GenContext;
  schema: GraphQLSchema;
  varDefs: string[];
  variables: Record<string, unknown>;
}

function printArg(
  state: DocState,
  arg: GraphQLArgument | { name: string; type: GraphQLInputType },
): {
  text: string;
  value: unknown;
} {
  const { rng } = state.ctx;
  const value = inputValue(arg.type, state.ctx, arg.name);
  // Variables carry lone surrogates and other raw values past the parser, to the resolvers.
  if (rng.chance(0.4)) {
    const name = `v${state.varDefs.length}`;
    let declared = String(arg.type);
    if (!state.ctx.tame && rng.chance(0.04))
      declared = rng.pick(['String', 'Int!', '[ID]', 'Unknown', 'Boolean!']);
    const dflt = rng.chance(0.05) ? ` = ${printLiteral(inputValue(arg.type, state.ctx, arg.name))}` : '';
    state.varDefs.push(`$${name}: ${declared}${dflt}`);
    // Now and then the variable is left out (its default, if any, applies): nothing to compare then.
    if (!state.ctx.tame && rng.chance(0.05)) return { text: `${arg.name}: $${name}`, value: undefined };
    state.variables[name] = toJson(value);
    return { text: `${arg.name}: $${name}`, value: toJson(value) };
  }
  return { text: `${arg.name}: ${printLiteral(value)}`, value: toJson(value) };
}

function printArgs(
  state: DocState,
  field: GraphQLField<unknown, unknown>,
): { text: string; values: Record<string, unknown> } {
  const { rng } = state.ctx;
  const parts: string[] = [];
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    const required = arg.type instanceof GraphQLNonNull && arg.defaultValue === undefined;
    if (required ? state.ctx.tame || rng.chance(0.97) : rng.chance(0.4)) {
      const { text, value } = printArg(state, arg);
      parts.push(text);
      values[arg.name] = value;
    }
  }
  if (!state.ctx.tame && rng.chance(0.02)) parts.push(`bogus: ${printLiteral(wrongValue(rng))}`);
  if (!state.ctx.tame && rng.chance(0.01) && parts.length) parts.push(parts[0]!); // duplicate argument
  return { text: parts.length ? `(${parts.join(', ')})` : '', values };
}

function directive(state: DocState): string {
  const { rng } = state.ctx;
  if (state.ctx.tame || !rng.chance(0.03)) return '';
  return rng.pick([
    ' @include(if: true)',
    ' @skip(if: false)',
    ' @skip(if: "yes")',
    ' @nope',
    ' @deprecated',
  ]);
}

function selection(state: DocState, type: GraphQLOutputType, depth: number, maxDepth: number): string {
  const { rng } = state.ctx;
  const named = getNamedType(type) as GraphQLNamedType;
  if (isLeafType(named)) return !state.ctx.tame && rng.chance(0.01) ? ' { id }' : '';
  if (!isCompositeType(named)) return '';
  const parts: string[] = [];
  if (rng.chance(0.15)) parts.push('__typename');
  if (isObjectType(named) || isInterfaceType(named)) {
    const fields = Object.values((named as GraphQLObjectType).getFields());
    const wanted = depth >= maxDepth ? fields.filter((f) => isLeafType(getNamedType(f.type))) : fields;
    for (const f of rng.sample(wanted, rng.range(1, 4))) parts.push(fieldText(state, f, depth, maxDepth));
  }
  if (isAbstractType(named) && depth < maxDepth) {
    for (const t of rng.sample(state.schema.getPossibleTypes(named), rng.range(0, 2))) {
      parts.push(`... on ${t.name}${selection(state, t, depth + 1, maxDepth)}`);
    }
  }
  if (!state.ctx.tame && rng.chance(0.02))
    parts.push(rng.pick(['nope', 'id(x: 1)', '... on Nope { id }', '...Missing']));
  if (!parts.length) parts.push('__typename');
  return ` { ${parts.join(' ')} }`;
}

function fieldText(
  state: DocState,
  f: GraphQLField<unknown, unknown>,
  depth: number,
  maxDepth: number,
): string {
  const { rng } = state.ctx;
  const alias = rng.chance(0.05) ? `a${rng.int(1000)}: ` : '';
  const args = printArgs(state, f);
  return `${alias}${f.name}${args.text}${directive(state)}${selection(state, f.type, depth + 1, maxDepth)}`;
}

/**
 * Root fields whose statements cost Neo4j the most (hundreds of ms each on a cold JVM with 2 cores):
 * picked less often so that 10,000 requests fit in about a minute. Each still runs hundreds of times.
 */
const HEAVY_FIELDS = new Set([
  'statistics',
  'neighborhood',
  'paths',
  'provenance',
  'matchCandidates',
  'conflicts',
  'timeline',
  'events',
]);

/** Page sizes for nested lists: absent, small, the largest allowed, over it, or wrong. */
const LIST_FIRSTS = [
  '',
  '(first: 1)',
  '(first: 50)',
  '(first: 500)',
  '(first: 501)',
  '(first: 0)',
  '(first: -3)',
];

/**
 * A walk that fans out through lists (#13.3): aliases of node(id) → relations → to → involvements → from →
 * relations/claims → excerpts → source, each list with a random page size. The cost must refuse the wide ones
 * before execution; the narrow ones must answer without hurting anyone.
 */
function fanOutDocument(ctx: GenContext): string {
  const { rng } = ctx;
  const f = () => rng.pick(LIST_FIRSTS);
  const leaf = rng.pick([
    'id',
    `claims${f()} { id excerpts${f()} { exact source { id title } } }`,
    `relations${f()} { id claims${f()} { id } }`,
  ]);
  const walk = `node(id: ${JSON.stringify(rng.pick(ctx.ids.readIds))}) { id ... on Entity {
    relations${f()} { to { id ... on Event { involvements${f()} { from { id ... on Entity { ${leaf} } } } } } } } }`;
  const n = rng.pick([1, 2, 10, 30]);
  return `{ ${Array.from({ length: n }, (_, i) => `w${i}: ${walk}`).join(' ')} }`;
}

/**
 * Source texts asked for in bulk (#13.4): the same ids many times, whole texts and slices with wild bounds.
 * The text budget and the response limit must answer them with LIMIT_EXCEEDED, never a 5xx.
 */
function largeTextDocument(ctx: GenContext): string {
  const { rng } = ctx;
  const id = JSON.stringify(rng.pick(ctx.ids.readIds));
  const ids = `[${Array.from({ length: rng.pick([1, 20, 100]) }, () => id).join(', ')}]`;
  const bound = () => rng.pick(['0', '1', '7', '100000', '100001', '2147483647', '-1']);
  const text = rng.pick(['text', `text(start: ${bound()})`, `text(start: ${bound()}, end: ${bound()})`]);
  const n = rng.pick([1, 5, 30]);
  return `{ ${Array.from({ length: n }, (_, i) => `t${i}: nodes(ids: ${ids}) { id ... on Source { ${text} length } ... on Event { claims { sources { ${text} } } } }`).join(' ')} }`;
}

/** A random operation over the schema's root fields: mostly well-typed, sometimes not, never huge. */
export function generateDocument(schema: GraphQLSchema, ctx: GenContext): GeneratedDocument {
  currentSchema = schema;
  const { rng } = ctx;
  if (!ctx.mutation && !ctx.tame && rng.chance(0.04)) {
    const query = rng.chance(0.5) ? fanOutDocument(ctx) : largeTextDocument(ctx);
    return { query, variables: undefined, operationName: undefined, mutation: false, rootFields: [] };
  }
  const state: DocState = { ctx, schema, varDefs: [], variables: {} };
  const root = ctx.mutation ? schema.getMutationType()! : schema.getQueryType()!;
  const fields = Object.values(root.getFields());
  const wild = !ctx.tame;
  const maxDepth = wild && rng.chance(0.03) ? rng.range(12, 16) : rng.range(1, 5);
  // Mutations: one root field (several are not more interesting, and a failing non-null field nulls
  // the whole data, hiding which writes succeeded). Queries: sometimes several.
  const n =
    wild && rng.chance(0.03) ? rng.range(31, 40) : ctx.mutation || rng.chance(0.8) ? 1 : rng.range(2, 3);
  const rootFields: GeneratedDocument['rootFields'] = [];
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let f = rng.pick(fields);
    if (HEAVY_FIELDS.has(f.name) && rng.chance(0.9)) f = rng.pick(fields); // about a tenth as often
    const key = `r${i}`;
    const args = printArgs(state, f);
    // Mutations always ask for the id, so accepted writes can be read back.
    const named = getNamedType(f.type);
    let sel: string;
    if (ctx.variants && maxDepth <= 5 && rng.chance(0.9)) {
      const vrng = new Rng(
        ctx.variants.seed ^ hashString(`${root.name}.${f.name}`),
        rng.int(ctx.variants.count),
      );
      sel = selection({ ...state, ctx: { ...ctx, rng: vrng } }, f.type, 1, vrng.range(1, 5));
    } else {
      sel = selection(state, f.type, 1, maxDepth);
    }
    if (ctx.mutation && isCompositeType(named) && 'getFields' in named && 'id' in named.getFields()) {
      sel = sel.replace(/^ \{/, ' { id');
    }
    parts.push(`${key}: ${f.name}${args.text}${directive(state)}${sel}`);
    rootFields.push({ key, field: f.name, args: args.values });
  }
  if (wild && rng.chance(0.01)) parts.push(Array.from({ length: 4100 }, () => '__typename').join(' ')); // token limit
  const opType = ctx.mutation ? 'mutation' : wild && rng.chance(0.02) ? 'subscription' : 'query';
  const opName = rng.chance(0.3) ? `Fz${rng.int(100)}` : '';
  const header =
    state.varDefs.length || opName || ctx.mutation || opType !== 'query'
      ? `${opType} ${opName}${state.varDefs.length ? `(${state.varDefs.join(', ')})` : ''} `
      : '';
  let query = `${header}{ ${parts.join(' ')} }`;
  let operationName: string | undefined = opName || undefined;
  if (wild && rng.chance(0.03)) {
    // Two operations: the name picks one (or a wrong name, or none, which is an error).
    query += ' query Other { serverInfo { version } }';
    operationName = rng.pick([opName || undefined, 'Other', 'Missing', undefined]);
  }
  if (wild && rng.chance(0.02)) query = query.slice(0, rng.int(query.length)); // truncated: a syntax error
  return {
    query,
    variables: Object.keys(state.variables).length || rng.chance(0.5) ? state.variables : undefined,
    operationName,
    mutation: ctx.mutation,
    rootFields,
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface FuzzRequest {
  /** generated: a schema-driven document; raw: malformed HTTP around it. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  doc?: GeneratedDocument;
  anonymous: boolean;
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

const MALFORMED_BODIES = [
  '',
  '{',
  '{"query": ',
  'null',
  'true',
  '"{ serverInfo { version } }"',
  '42',
  '[]',
  '[{"query": "{ serverInfo { version } }"}, {"query": "{ viewer { role } }"}]',
  '{"query": 1}',
  '{"query": null}',
  '{"query": ["{ viewer { role } }"]}',
  '{"query": {"a": 1}}',
  '{"query": "{ viewer { role } }", "variables": "not an object"}',
  '{"query": "{ viewer { role } }", "variables": [1, 2]}',
  '{"query": "{ viewer { role } }", "variables": 5}',
  '{"query": "{ viewer { role } }", "operationName": 5}',
  '{"query": "{ viewer { role } }", "extensions": "x"}',
  '{"query": "{ viewer { role } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
  '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}',
  '{"query": "query($x: Int) { viewer { role } }", "variables": {"__proto__": {"polluted": true}, "x": 1}}',
  '{"query": "{ viewer { role } }", "__proto__": {"query": "mutation { revokeApiKey(id: \\"x\\") }"}}',
  '{"query": "{ viewer { role } }",}',
  "{'query': '{ viewer { role } }'}",
  '{"query": "\\ud800"}',
  '{"query": "{ node(id: \\"\\ud800\\") { id } }"}',
  '{"query": "{ viewer { role } }"}{"query": "{ viewer { role } }"}',
  '\uFEFF{"query": "{ viewer { role } }"}',
  '{"query": "{ viewer { role } }", "query": "mutation { createApiKey(role: admin, name: \\"x\\") { secret } }"}',
];

const CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'application/graphql-response+json',
  'application/xml',
  'application/json; boundary=',
  '*/*',
  ';;;',
  'application/json, text/plain',
];

const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  '*/*',
  'text/html',
  'text/event-stream',
  'multipart/mixed; deferSpec=20220824',
  'application/xml',
  ';;;',
];

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

/**
 * Percent-encodes as a raw client would: a lone surrogate (which encodeURIComponent refuses with URIError)
 * goes out as its three WTF-8 bytes, which are not valid UTF-8: the server must cope with them too.
 */
export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** A query string for GET, percent-encoded, sometimes broken. */
function getPath(rng: Rng, doc: GeneratedDocument): string {
  const params: string[] = [];
  if (rng.chance(0.95)) params.push(`query=${percentEncode(doc.query)}`);
  if (doc.variables && rng.chance(0.8))
    params.push(`variables=${percentEncode(JSON.stringify(doc.variables))}`);
  if (doc.operationName) params.push(`operationName=${percentEncode(doc.operationName)}`);
  if (rng.chance(0.05)) params.push('variables=%7Bbroken');
  if (rng.chance(0.05)) params.push('query=%ZZ%');
  if (rng.chance(0.05)) params.push(`query=${encodeURIComponent('{ viewer { role } }')}`); // repeated
  if (rng.chance(0.03)) params.push('extensions=%7B%22persistedQuery%22%3A1%7D');
  return `/graphql?${params.join('&')}`;
}

/** Builds request #index: a generated document sent over POST or GET, or malformed HTTP. */
export function buildRequest(
  schema: GraphQLSchema,
  rng: Rng,
  ids: IdPolicy,
  idempotencyKey: () => string,
  auth: Record<string, string>,
  variants?: GenContext['variants'],
): FuzzRequest {
  const anonymous = rng.chance(0.5);
  const headers: Record<string, string> = anonymous
    ? rng.chance(0.05)
      ? { authorization: rng.pick(['Bearer nope', 'Bearer ', 'Basic YTpi', 'Bearer ' + 'k'.repeat(2000)]) }
      : {}
    : { ...auth };
  if (rng.chance(0.2)) headers.accept = rng.pick(ACCEPTS);
  if (rng.chance(0.05)) headers['x-request-id'] = rng.pick(['ok-1', 'a b', 'x'.repeat(300), '../../']);
  const mutation = rng.chance(0.3);
  const tame = rng.chance(0.3);
  const doc = generateDocument(schema, { rng, mutation, ids, idempotencyKey, tame, variants });
  const r = rng.next();

  if (r < 0.72) {
    headers['content-type'] = 'application/json';
    return {
      kind: 'post',
      method: 'POST',
      path: '/graphql',
      headers,
      body: JSON.stringify(doc),
      doc,
      anonymous,
    };
  }
  if (r < 0.85) {
    // GET: Apollo refuses it as a possible CSRF unless a preflight-forcing header is sent.
    if (rng.chance(0.6)) headers['apollo-require-preflight'] = 'true';
    return { kind: 'get', method: 'GET', path: getPath(rng, doc), headers, doc, anonymous };
  }
  const raw = rng.int(7);
  switch (raw) {
    case 0:
      headers['content-type'] = 'application/json';
      return {
        kind: 'malformed-json',
        method: 'POST',
        path: '/graphql',
        headers,
        body: rng.pick(MALFORMED_BODIES),
        anonymous,
      };
    case 1:
      headers['content-type'] = 'application/json';
      return {
        kind: 'random-bytes',
        method: 'POST',
        path: '/graphql',
        headers,
        body: randomBytes(rng, rng.range(1, 2000)),
        anonymous,
      };
    case 2: {
      headers['content-type'] = rng.pick(CONTENT_TYPES);
      const body = rng.chance(0.5) ? JSON.stringify(doc) : doc.query;
      return { kind: 'content-type', method: 'POST', path: '/graphql', headers, body, doc, anonymous };
    }
    case 3:
      // No content type at all.
      return {
        kind: 'no-content-type',
        method: 'POST',
        path: '/graphql',
        headers,
        body: JSON.stringify(doc),
        doc,
        anonymous,
      };
    case 4: {
      const method = rng.pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND']);
      headers['content-type'] = 'application/json';
      return { kind: 'method', method, path: '/graphql', headers, body: JSON.stringify(doc), doc, anonymous };
    }
    case 5: {
      const path = rng.pick([
        '/graphql/',
        '/graphql/../healthz',
        '/GRAPHQL',
        '/graphql%00',
        '/graphql?query=%7B%20viewer%20%7B%20role%20%7D%20%7D&query[]=x',
        `/graphql?query=${'%7B'.repeat(3000)}`,
        `/graphql?query=${encodeURIComponent('{ search(query: "' + 'x'.repeat(20000) + '") { edges { cursor } } }')}`,
        '/nope',
        '/healthz?x=%ZZ',
        '//graphql',
      ]);
      headers['apollo-require-preflight'] = 'true';
      return { kind: 'path', method: rng.pick(['GET', 'POST']), path, headers, anonymous };
    }
    default: {
      // Odd encodings of a valid document.
      headers['content-type'] = 'application/json';
      const enc = rng.pick(['gzip', 'deflate', 'br', 'x-nope', 'identity']);
      headers['content-encoding'] = enc;
      return {
        kind: `encoding-${enc}`,
        method: 'POST',
        path: '/graphql',
        headers,
        body: JSON.stringify(doc),
        doc,
        anonymous,
      };
    }
  }
}

/**
 * How long a fuzz request may wait for its answer: the server's transaction limit (30 s) plus what Neo4j
 * may spend planning a statement before the transaction counts. Plans are warmed at start-up, but Neo4j
 * replans a statement when the data it was planned on has changed enough (the fuzzer writes), and the
 * statements that apply the conflict rule take seconds to plan (bench/README.md), more with eight requests
 * in flight on two cores. A request still unanswered after this has taken the service down.
 */
export const ANSWER_WITHIN_MS = 60_000;

/** Sends a request over the agent; never throws for HTTP-level answers, only for broken connections. */
export function send(
  base: URL,
  req: FuzzRequest,
  agent: http.Agent,
  timeoutMs = ANSWER_WITHIN_MS,
): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const body =
      req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string | number> = { ...req.headers };
    if (body) headers['content-length'] = body.length;
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: FuzzResponse['json'];
          if (/json/.test(String(res.headers['content-type'] ?? ''))) {
            try {
              json = JSON.parse(text) as FuzzResponse['json'];
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** The request, printable: long strings cut, control characters escaped. */
export function describeRequest(index: number, seed: number, req: FuzzRequest): string {
  const cut = (s: string) => (s.length > 600 ? `${s.slice(0, 600)}… (${s.length} chars)` : s);
  const body =
    req.body === undefined ? '' : Buffer.isBuffer(req.body) ? `<${req.body.length} random bytes>` : req.body;
  return [
    `#${index} (FUZZ_SEED=${seed}) ${req.kind} ${req.method} ${cut(req.path)}`,
    `headers: ${JSON.stringify({ ...req.headers, authorization: req.headers.authorization ? '<key>' : undefined })}`,
    `body: ${JSON.stringify(cut(body))}`,
  ].join('\n  ');
}

/** Codes a GraphQL response carries, in order. */
export function errorCodes(res: FuzzResponse): string[] {
  return (res.json?.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE'));
}

export const isInternal = (res: FuzzResponse) =>
  res.status >= 500 || errorCodes(res).includes('INTERNAL_SERVER_ERROR');
