import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../src/paths.js';

/**
 * A validator for FollowTheMoney entities built from the schema YAML files of FtM 3.8
 * (shared/reference/followthemoney-schema), read the way followthemoney/schema.py reads them: a schema
 * inherits the properties of every schema it `extends` (transitively, its own definitions winning);
 * `required` applies to the schema that lists it (FtM does not inherit it); abstract schemata cannot
 * be instantiated; a property without a type is a string.
 */

/** The schema folder: beside the clone in CI (../shared), else the workstation copy. */
export function ftmSchemaDir(): string {
  const beside = path.resolve(projectRoot, '../shared/reference/followthemoney-schema');
  return existsSync(beside) ? beside : '/work/shared/reference/followthemoney-schema';
}

export interface FtmEntityLike {
  id: unknown;
  schema: unknown;
  properties: unknown;
}

interface PropertySpec {
  type?: string;
  range?: string;
  maxLength?: number;
}

interface SchemaSpec {
  abstract?: boolean;
  extends?: string[];
  required?: string[];
  properties?: Record<string, PropertySpec>;
}

export interface ResolvedProperty {
  name: string;
  type: string;
  range: string | null;
  maxLength: number | null;
  /** The schema that defines it. */
  definedBy: string;
}

export interface ResolvedSchema {
  name: string;
  abstract: boolean;
  /** The schema itself and all its ancestors. */
  schemata: Set<string>;
  required: string[];
  properties: Map<string, ResolvedProperty>;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?)?)?$/;

/** Whether a value is an ISO 8601 prefix FtM accepts as a date (2022, 2022-04, 2022-04-30, ...T10:00:00). */
export function isFtmDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return false;
  if (d !== undefined) {
    const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    if (Number(d) < 1 || Number(d) > days) return false;
  }
  if (h !== undefined && Number(h) > 23) return false;
  if (mi !== undefined && Number(mi) > 59) return false;
  if (s !== undefined && Number(s) > 59) return false;
  return true;
}

/** Checks of value syntax per FtM property type (types not listed accept any non-empty string). */
const TYPE_CHECKS: Record<string, (v: string) => boolean> = {
  date: isFtmDate,
  // Two-letter ISO 3166 codes in lower case, as FtM stores them (plus its few special territory codes).
  country: (v) => /^[a-z]{2}(-[a-z0-9]{2,3})?$|^[a-z]{4}$/.test(v),
  // Three-letter ISO 639 codes.
  language: (v) => /^[a-z]{3}$/.test(v),
  url: (v) => {
    try {
      return ['http:', 'https:', 'ftp:', 'mailto:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  },
  number: (v) => v.trim() !== '' && Number.isFinite(Number(v.replace(/,/g, ''))),
  checksum: (v) => /^[0-9a-f]{40}$/.test(v),
  mimetype: (v) => /^[\w.+-]+\/[\w.+-]+$/.test(v),
};

export class FtmModel {
  private readonly specs = new Map<string, SchemaSpec>();
  private readonly resolved = new Map<string, ResolvedSchema>();

  constructor(dir = ftmSchemaDir()) {
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    if (files.length < 10) throw new Error(`No FtM schema files in ${dir}`);
    for (const file of files) {
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, SchemaSpec>;
      for (const [name, spec] of Object.entries(doc)) this.specs.set(name, spec ?? {});
    }
  }

  get names(): string[] {
    return [...this.specs.keys()];
  }

  schema(name: string): ResolvedSchema | undefined {
    const cached = this.resolved.get(name);
    if (cached) return cached;
    const spec = this.specs.get(name);
    if (!spec) return undefined;
    const schemata = new Set([name]);
    const properties = new Map<string, ResolvedProperty>();
    for (const parentName of spec.extends ?? []) {
      const parent = this.schema(parentName);
      if (!parent) throw new Error(`${name} extends unknown schema ${parentName}`);
      for (const s of parent.schemata) schemata.add(s);
      for (const [k, p] of parent.properties) if (!properties.has(k)) properties.set(k, p);
    }
    for (const [k, p] of Object.entries(spec.properties ?? {})) {
      properties.set(k, {
        name: k,
        type: p?.type ?? 'string',
        range: p?.range ?? null,
        maxLength: p?.maxLength ?? null,
        definedBy: name,
      });
    }
    const out: ResolvedSchema = {
      name,
      abstract: spec.abstract === true,
      schemata,
      required: spec.required ?? [],
      properties,
    };
    this.resolved.set(name, out);
    return out;
  }

  isA(schema: string, parent: string): boolean {
    return this.schema(schema)?.schemata.has(parent) ?? false;
  }

  /**
   * Every problem of every entity, as "id: problem" lines (empty when all are valid). Entity-typed values
   * must name an entity of the same export whose schema is (a descendant of) the property's range.
   */
  validate(entities: readonly FtmEntityLike[]): string[] {
    const problems: string[] = [];
    const schemaOfId = new Map<string, string>();
    for (const e of entities) {
      if (typeof e.id !== 'string' || !e.id)
        problems.push(`${JSON.stringify(e.id)}: id must be a non-empty string`);
      else if (schemaOfId.has(e.id)) problems.push(`${e.id}: duplicate id`);
      else schemaOfId.set(e.id, String(e.schema));
    }
    for (const e of entities) {
      const id = String(e.id);
      const extra = Object.keys(e as object).filter((k) => !['id', 'schema', 'properties'].includes(k));
      if (extra.length) problems.push(`${id}: unexpected keys ${extra.join(', ')}`);
      const schema = typeof e.schema === 'string' ? this.schema(e.schema) : undefined;
      if (!schema) {
        problems.push(`${id}: unknown schema ${JSON.stringify(e.schema)}`);
        continue;
      }
      if (schema.abstract) problems.push(`${id}: schema ${schema.name} is abstract`);
      if (!e.properties || typeof e.properties !== 'object' || Array.isArray(e.properties)) {
        problems.push(`${id}: properties must be an object`);
        continue;
      }
      const props = e.properties as Record<string, unknown>;
      for (const [name, values] of Object.entries(props)) {
        const prop = schema.properties.get(name);
        if (!prop) {
          problems.push(`${id}: ${schema.name} has no property ${name}`);
          continue;
        }
        if (!Array.isArray(values)) {
          problems.push(`${id}: ${name} must be a list of strings`);
          continue;
        }
        for (const v of values) {
          if (typeof v !== 'string' || !v) {
            problems.push(`${id}: ${name} has a value that is not a non-empty string: ${JSON.stringify(v)}`);
            continue;
          }
          if (prop.maxLength !== null && v.length > prop.maxLength)
            problems.push(`${id}: ${name} value longer than ${prop.maxLength}`);
          const check = TYPE_CHECKS[prop.type];
          if (check && !check(v))
            problems.push(`${id}: ${name} (${prop.type}) has an invalid value ${JSON.stringify(v)}`);
          if (prop.type === 'entity') {
            const target = schemaOfId.get(v);
            if (!target) problems.push(`${id}: ${name} references ${v}, which is not in the export`);
            else if (prop.range && !this.isA(target, prop.range))
              problems.push(`${id}: ${name} references ${v} (${target}), not a ${prop.range}`);
          }
        }
      }
      for (const name of schema.required) {
        const values = props[name];
        if (!Array.isArray(values) || values.length === 0)
          problems.push(`${id}: ${schema.name} requires ${name}`);
      }
    }
    return problems;
  }
}
