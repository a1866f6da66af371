import { sha256 } from '../../model/text.js';
import {
  CodePointCursor,
  linesOf,
  slugId,
  type ConvertOptions,
  type ProblemAt,
  type Quote,
} from './common.js';
import { kindOf, readProperties, schemaSkipReason, SkipCounter, type Kind } from './ftm-schemata.js';

export type { Kind } from './ftm-schemata.js';

/**
 * Step 1 of the FollowTheMoney import (src/io/import/ftm.ts): each NDJSON line read as an FtM entity; the
 * entities of schemata we map kept (each FtM id, and the id derived from it, once), the others counted as
 * skipped, as are the properties we do not read. Only a broken line (not JSON, no id or schema, values that
 * are not strings, an id given twice) is a problem.
 */

export interface FtmRecord {
  line: number;
  ftmId: string;
  schema: string;
  props: Record<string, string[]>;
  quote: Quote;
  /** Id part shared by the records derived from this entity. */
  part: string;
  kind: Kind;
  ourId: string;
}

const KIND_PREFIX: Record<Kind, string> = {
  Actor: 'ac-ftm-',
  Event: 'ev-ftm-',
  Place: 'pl-ftm-',
  Source: 'src-ftm-',
  Link: 'cl-ftm-',
};

/**
 * The id part of an FtM id. FtM ids are case-sensitive (OpenSanctions' `NK-2Nn…`), ours lower-case: an id
 * with capitals ends in a hash of its exact spelling, so that `A` and `a` stay two records.
 */
export function idPart(ftmId: string): string {
  if (!/[A-Z]/.test(ftmId)) return slugId('', ftmId);
  const head = ftmId
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 49)
    .replace(/-+$/, '');
  return `${head ? `${head}-` : ''}${sha256(ftmId).slice(0, 10)}`;
}

export const first = (r: FtmRecord, prop: string) => r.props[prop]?.[0];
export const all = (r: FtmRecord, prop: string) => r.props[prop] ?? [];

/** An FtM entity as one line gives it: pure, before ids are compared with other lines. */
interface FtmEntity {
  ftmId: string;
  schema: string;
  /** Undefined: a schema the import does not map. */
  kind: Kind | undefined;
  props: Record<string, string[]>;
}

/** The properties of a line (arrays of strings; blank values dropped), noting in `bad` what is not. */
function lineProperties(properties: unknown, bad: string[]): Record<string, string[]> {
  const props: Record<string, string[]> = {};
  if (properties === undefined) return props;
  if (!properties || typeof properties !== 'object' || Array.isArray(properties)) {
    bad.push('"properties" must be an object');
    return props;
  }
  for (const [k, v] of Object.entries(properties)) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      bad.push(`properties.${k} must be an array of strings`);
    } else {
      const values = (v as string[]).filter((x) => x.trim() !== '');
      if (values.length) props[k] = values;
    }
  }
  return props;
}

/** One NDJSON line as an FtM entity (of a schema we map or not), or why it is not one. */
export function parseFtmLine(raw: string): FtmEntity | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return { problem: `not valid JSON: ${(err as Error).message}` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: 'not a JSON object' };
  const o = parsed as Record<string, unknown>;
  const bad: string[] = [];
  if (typeof o.id !== 'string' || !o.id.trim()) bad.push('"id" must be a non-empty string');
  if (typeof o.schema !== 'string' || !o.schema) bad.push('"schema" must be a string');
  const props = lineProperties(o.properties, bad);
  if (bad.length) return { problem: bad.join('; ') };
  const schema = o.schema as string;
  return { ftmId: o.id as string, schema, kind: kindOf(schema), props };
}

export interface FtmFile {
  records: FtmRecord[];
  byFtmId: Map<string, FtmRecord>;
  /** Ids of the file's entities of schemata we do not map, with their schema. */
  unmapped: Map<string, string>;
  lines: number;
}

/** Counts the properties of a mapped entity that the import does not read. */
function countUnread(entity: FtmEntity & { kind: Kind }, skips: SkipCounter): void {
  const reads = readProperties(entity.schema, entity.kind);
  for (const prop of Object.keys(entity.props)) {
    if (reads.includes(prop)) continue;
    skips.add(
      `property ${entity.schema}.${prop}`,
      'not mapped to the graph: the value stays readable in the stored file, which every claim of the entity quotes',
    );
  }
}

/** Step 1: every line read; the well-formed records kept, each FtM id (and the id derived from it) once. */
export function readRecords(
  text: string,
  problem: ProblemAt,
  skips: SkipCounter,
  onProgress: ConvertOptions['onProgress'],
): FtmFile {
  const cursor = new CodePointCursor(text);
  const lines = linesOf(text);
  const records: FtmRecord[] = [];
  const byFtmId = new Map<string, FtmRecord>();
  const byPart = new Map<string, FtmRecord>();
  const unmapped = new Map<string, string>();
  const firstLine = new Map<string, number>();
  for (const [i, l] of lines.entries()) {
    if (i % 1000 === 0) onProgress?.(i, lines.length);
    const raw = text.slice(l.start, l.end);
    if (!raw.trim()) continue;
    const entity = parseFtmLine(raw);
    if ('problem' in entity) {
      problem(l.line, entity.problem);
      continue;
    }
    const { ftmId, kind } = entity;
    const before = firstLine.get(ftmId);
    if (before !== undefined) {
      problem(l.line, `id ${ftmId} also on line ${before}: merge the fragments of an entity first`);
      continue;
    }
    firstLine.set(ftmId, l.line);
    if (!kind) {
      skips.add(`schema ${entity.schema}`, schemaSkipReason(entity.schema));
      unmapped.set(ftmId, entity.schema);
      continue;
    }
    const part = idPart(ftmId);
    const clash = byPart.get(part);
    if (clash) {
      problem(l.line, `ids ${ftmId} and ${clash.ftmId} (line ${clash.line}) map to the same id ${part}`);
      continue;
    }
    countUnread({ ...entity, kind }, skips);
    const rec: FtmRecord = {
      ...entity,
      kind,
      line: l.line,
      quote: cursor.quote(l.start, l.end),
      part,
      ourId: `${KIND_PREFIX[kind]}${part}`,
    };
    records.push(rec);
    byFtmId.set(ftmId, rec);
    byPart.set(part, rec);
  }
  return { records, byFtmId, unmapped, lines: lines.length };
}
