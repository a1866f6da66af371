import { z } from 'zod';
import { STORE_LABEL_SETS, STORE_REL_TYPES, keyLabelOf, type StoreDump } from '../../model/store.js';
import type { Problem, RecordSet } from '../../model/rows.js';

/**
 * The `store` section of a full hrkg-bundle/1 export: a backup of every node and relationship of the
 * store, typed (src/model/store.ts says what it holds and leaves out). Here: its schema, its validation
 * against the model's allow-list and against the readable part of the bundle, and the sources' texts
 * put back (the section leaves them to `sources[]`, so that no text is stored twice).
 */

const plain = z.union([z.string(), z.boolean(), z.array(z.string())]);
const intValue = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);
const floatValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
const text = z.string();

export const StoreValue = z.union([
  plain,
  z.object({ int: intValue }).strict(),
  z.object({ float: floatValue }).strict(),
  z.object({ date: text }).strict(),
  z.object({ datetime: text }).strict(),
  z.object({ localdatetime: text }).strict(),
  z.object({ time: text }).strict(),
  z.object({ localtime: text }).strict(),
  z.object({ duration: text }).strict(),
  z.object({ 'int[]': z.array(intValue) }).strict(),
  z.object({ 'float[]': z.array(floatValue) }).strict(),
  z.object({ 'bool[]': z.array(z.boolean()) }).strict(),
]);

const Properties = z.record(z.string().min(1), StoreValue);

export const StoreSection = z
  .object({
    /** Ids of the migrations applied to the store the backup was taken from; a restore needs the same. */
    migrations: z.array(z.string()),
    nodes: z.array(z.object({ labels: z.array(z.string()).min(1), properties: Properties }).strict()),
    relationships: z.array(
      z
        .object({
          type: z.string(),
          from: z.number().int(),
          to: z.number().int(),
          properties: Properties,
        })
        .strict(),
    ),
  })
  .strict();

const LABEL_SETS = new Set(STORE_LABEL_SETS.map((l) => l.join(':')));

/** Problems of the section on its own: labels, types, keys, ends. */
function shapeProblems(store: StoreDump): Problem[] {
  const problems: Problem[] = [];
  const keys = new Set<string>();
  store.nodes.forEach((n, i) => {
    const p = `store.nodes[${i}]`;
    if (!LABEL_SETS.has(n.labels.join(':'))) {
      problems.push({
        path: `${p}.labels`,
        message: `labels ${n.labels.join(':')} are not the model's (sorted)`,
      });
      return;
    }
    const k = keyLabelOf(n.labels)!;
    const key = n.properties[k.key];
    if (typeof key !== 'string' || !key) {
      problems.push({ path: `${p}.properties.${k.key}`, message: `a ${k.label} needs its ${k.key}` });
    } else if (keys.has(`${k.label}:${key}`)) {
      problems.push({ path: `${p}.properties.${k.key}`, message: `a second ${k.label} ${key}` });
    } else keys.add(`${k.label}:${key}`);
  });
  store.relationships.forEach((r, i) => {
    const p = `store.relationships[${i}]`;
    if (!STORE_REL_TYPES.includes(r.type))
      problems.push({ path: `${p}.type`, message: `relationship type ${r.type} is not the model's` });
    for (const end of ['from', 'to'] as const) {
      if (r[end] < 0 || r[end] >= store.nodes.length)
        problems.push({ path: `${p}.${end}`, message: `no node ${r[end]} in the store section` });
    }
  });
  return problems;
}

/**
 * The section checked and completed: allowed labels and types, unique keys, existing ends, every record
 * of the readable part present with its label, and each Source's text taken from `sources[]`.
 */
export function checkStoreSection(
  store: StoreDump,
  rows: RecordSet,
): { store: StoreDump; problems: Problem[] } {
  const problems = shapeProblems(store);
  if (problems.length) return { store, problems };
  const labelsOf = new Map<string, string[]>();
  for (const n of store.nodes) {
    const k = keyLabelOf(n.labels)!;
    labelsOf.set(`${k.label}:${String(n.properties[k.key])}`, n.labels);
  }
  const expect = (label: string, id: string, path: string, extra?: string) => {
    const labels = labelsOf.get(`${label}:${id}`);
    if (!labels || (extra && !labels.includes(extra)))
      problems.push({ path, message: `${id} is not in the store section as a ${extra ?? label}` });
  };
  rows.sources.forEach((s) => expect('Source', s.id, `sources(${s.id})`));
  rows.entities.forEach((e) => expect('Entity', e.id, `entities(${e.id})`, e.kind));
  rows.claims.forEach((c) => expect('Claim', c.id, `claims(${c.id})`));
  rows.excerpts.forEach((x) => expect('Excerpt', x.id, `excerpts(${x.id})`));
  rows.figures.forEach((f) => expect('Figure', f.id, `figures(${f.id})`));
  const texts = new Map(rows.sources.map((s) => [s.id, s.text] as const));
  const nodes = store.nodes.map((n, i) => {
    if (!n.labels.includes('Source')) return n;
    const id = String(n.properties.id);
    const t = texts.get(id);
    if (t === undefined) {
      problems.push({ path: `store.nodes[${i}]`, message: `source ${id} has no text in sources[]` });
      return n;
    }
    if ('text' in n.properties)
      problems.push({ path: `store.nodes[${i}].properties.text`, message: 'the text is in sources[]' });
    return { ...n, properties: { ...n.properties, text: t } };
  });
  return { store: { ...store, nodes }, problems };
}
