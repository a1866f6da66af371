import type { ActorType } from '../../model/enums.js';
import type { EntityKind } from '../../model/graph-model.js';
import {
  CodePointCursor,
  linesOf,
  slugId,
  type ConvertOptions,
  type ProblemAt,
  type Quote,
} from './common.js';

/**
 * Step 1 of the FollowTheMoney import (src/io/import/ftm.ts): each NDJSON line read as an entity of a
 * schema we import, or refused with its line; each FtM id (and the id derived from it) kept once.
 */

export const ACTOR_SCHEMAS: Record<string, ActorType> = {
  Person: 'person',
  Organization: 'organization',
  Company: 'organization',
  PublicBody: 'public_body',
  LegalEntity: 'unknown',
};
const DOCUMENT_SCHEMAS = new Set(['Article', 'Document', 'PlainText']);
const LINK_SCHEMAS = new Set(['UnknownLink', 'Membership']);
const SUPPORTED = [...Object.keys(ACTOR_SCHEMAS), 'Event', 'Address', ...DOCUMENT_SCHEMAS, ...LINK_SCHEMAS];

export interface FtmRecord {
  line: number;
  ftmId: string;
  schema: string;
  props: Record<string, string[]>;
  quote: Quote;
  /** Id part shared by the records derived from this entity. */
  part: string;
  kind: EntityKind | 'Source' | 'Link';
  ourId: string;
}

export type Kind = FtmRecord['kind'];

const KIND_PREFIX: Record<Kind, string> = {
  Actor: 'ac-ftm-',
  Event: 'ev-ftm-',
  Place: 'pl-ftm-',
  Source: 'src-ftm-',
  Link: 'cl-ftm-',
};

function kindOf(schema: string): Kind | undefined {
  if (schema in ACTOR_SCHEMAS) return 'Actor';
  if (schema === 'Event') return 'Event';
  if (schema === 'Address') return 'Place';
  if (DOCUMENT_SCHEMAS.has(schema)) return 'Source';
  if (LINK_SCHEMAS.has(schema)) return 'Link';
  return undefined;
}

export const first = (r: FtmRecord, prop: string) => r.props[prop]?.[0];
export const all = (r: FtmRecord, prop: string) => r.props[prop] ?? [];

/** An FtM entity as one line gives it: pure, before ids are compared with other lines. */
interface FtmEntity {
  ftmId: string;
  schema: string;
  kind: Kind;
  props: Record<string, string[]>;
}

/** The properties of a line (arrays of strings; blank values dropped), noting in `bad` what is not. */
function readProperties(properties: unknown, bad: string[]): Record<string, string[]> {
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
      props[k] = (v as string[]).filter((x) => x.trim() !== '');
    }
  }
  return props;
}

/** One NDJSON line as an FtM entity of a schema we import, or why it is not one. */
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
  const props = readProperties(o.properties, bad);
  if (bad.length) return { problem: bad.join('; ') };
  const ftmId = o.id as string;
  const schema = o.schema as string;
  const kind = kindOf(schema);
  if (!kind)
    return { problem: `schema ${schema} (${ftmId}) cannot be imported; supported: ${SUPPORTED.join(', ')}` };
  return { ftmId, schema, kind, props };
}

/** Step 1: every line read; the well-formed records kept, each FtM id (and the id derived from it) once. */
export function readRecords(
  text: string,
  problem: ProblemAt,
  onProgress: ConvertOptions['onProgress'],
): { records: FtmRecord[]; byFtmId: Map<string, FtmRecord>; lines: number } {
  const cursor = new CodePointCursor(text);
  const lines = linesOf(text);
  const records: FtmRecord[] = [];
  const byFtmId = new Map<string, FtmRecord>();
  const byPart = new Map<string, FtmRecord>();
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
    const before = byFtmId.get(ftmId);
    if (before) {
      problem(l.line, `id ${ftmId} also on line ${before.line}: merge the fragments of an entity first`);
      continue;
    }
    const part = slugId('', ftmId);
    const clash = byPart.get(part);
    if (clash) {
      problem(l.line, `ids ${ftmId} and ${clash.ftmId} (line ${clash.line}) map to the same id ${part}`);
      continue;
    }
    const rec: FtmRecord = {
      ...entity,
      line: l.line,
      quote: cursor.quote(l.start, l.end),
      part,
      ourId: `${KIND_PREFIX[kind]}${part}`,
    };
    records.push(rec);
    byFtmId.set(ftmId, rec);
    byPart.set(part, rec);
  }
  return { records, byFtmId, lines: lines.length };
}
