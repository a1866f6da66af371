import { statement, type Statement } from '../executor.js';
import {
  DERIVED_RELS,
  STORE_KEY_LABELS,
  STORE_LABEL_SETS,
  STORE_REL_TYPES,
  assertStoreLabel as assertLabel,
  assertStoreRelType as assertRelType,
} from '../../model/store.js';

/**
 * The backup (src/graph/stores/backup.ts): every node and relationship of the store as it is, with each
 * property's type, and the restore that writes them back exactly. Labels and relationship types are
 * interpolated only from the model's backup allow-list (src/model/store.ts); values are parameters.
 */

/** The key of node `n`: its key label's key property (null for a node with no key label). */
const KEY_OF = (n: string) =>
  `CASE ${STORE_KEY_LABELS.map((k) => `WHEN ${n}:${assertLabel(k.label)} THEN ${n}.${k.key}`).join(' ')} ELSE null END`;

/** Properties of `x` as [[key, Cypher value type, value]], `skip` left out. */
const TYPED = (x: string, skip = 'false') =>
  `[k IN keys(${x}) WHERE NOT (${skip}) | [k, valueType(${x}[k]), ${x}[k]]]`;

/** The keyset cursor of a backup page ('' before the first). */
export type BackupPageParams = { after: string; limit: number };

/**
 * One page of the nodes of a key label, by key, with their outgoing relationships (type, end node's
 * labels and key, typed properties). A Source's text is left out: the readable part of the backup has it.
 */
export const backupNodes: Readonly<Record<string, Statement<BackupPageParams>>> = Object.fromEntries(
  STORE_KEY_LABELS.map(({ label, key }) => [
    label,
    statement<BackupPageParams>(
      `backup.nodes.${label}`,
      `MATCH (n:${assertLabel(label)}) WHERE n.${key} > $after
       WITH n ORDER BY n.${key} LIMIT toInteger($limit)
       RETURN n.${key} AS key, labels(n) AS labels, ${TYPED('n', "k = 'text' AND n:Source")} AS props,
              COLLECT {
                MATCH (n)-[r]->(m) WHERE NOT type(r) IN ['${DERIVED_RELS.join("', '")}']
                RETURN [type(r), labels(m), ${KEY_OF('m')}, ${TYPED('r')}]
              } AS out
       ORDER BY key`,
    ),
  ]),
);

/** Nodes a backup cannot carry (no key label, or no key) and that are not left out on purpose. */
export const unkeyedNodes = statement<{ leftOut: readonly string[] }>(
  'backup.unkeyedNodes',
  `MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $leftOut) AND ${KEY_OF('n')} IS NULL
   RETURN labels(n) AS labels, count(*) AS count ORDER BY count DESC LIMIT 10`,
);

/** The applied migrations (the backup's schema version). */
export const appliedMigrations = statement(
  'backup.migrations',
  'MATCH (m:Migration) RETURN m.id AS id ORDER BY id',
);

/** A record of the store a restore would add to: anything but what a backup leaves out (and key and export audits). */
export const anyRecord = statement<{ leftOut: readonly string[]; keyOperations: readonly string[] }>(
  'backup.anyRecord',
  `MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $leftOut)
     AND NOT (n:AuditRecord AND (n.operation IN $keyOperations OR n:ReadAudit))
   RETURN labels(n) AS labels LIMIT 1`,
);

/** A typed property (see TypedParam in the store) as the type it was backed up with. */
const DECODE = (p: string) => `CASE ${p}.t
    WHEN 'int' THEN toInteger(${p}.v)
    WHEN 'float' THEN toFloat(${p}.v)
    WHEN 'date' THEN date(${p}.v)
    WHEN 'datetime' THEN datetime(${p}.v)
    WHEN 'localdatetime' THEN localdatetime(${p}.v)
    WHEN 'time' THEN time(${p}.v)
    WHEN 'localtime' THEN localtime(${p}.v)
    WHEN 'duration' THEN duration(${p}.v)
    WHEN 'int[]' THEN [x IN ${p}.v | toInteger(x)]
    WHEN 'float[]' THEN [x IN ${p}.v | toFloat(x)]
    ELSE ${p}.v END`;

/** Rows of a node batch: position, typed properties; returns each node's element id by position. */
export type RestoreNodeParams = { rows: { i: number; props: { k: string; t: string; v: unknown }[] }[] };

/** One statement per label set of the model (labels cannot be parameters), keyed by the sorted labels joined with ':'. */
export const restoreNodes: Readonly<Record<string, Statement<RestoreNodeParams>>> = Object.fromEntries(
  STORE_LABEL_SETS.map((labels) => [
    labels.join(':'),
    statement<RestoreNodeParams>(
      `backup.restoreNodes.${labels.join(':')}`,
      `UNWIND $rows AS r
       CREATE (n:${labels.map(assertLabel).join(':')})
       FOREACH (p IN r.props | SET n[p.k] = ${DECODE('p')})
       RETURN r.i AS i, elementId(n) AS eid`,
    ),
  ]),
);

/** Rows of a relationship batch: the ends' element ids (created in this transaction), typed properties. */
export type RestoreRelParams = {
  rows: { a: string; b: string; props: { k: string; t: string; v: unknown }[] }[];
};

/** One statement per relationship type of the allow-list. */
export const restoreRelationships: Readonly<Record<string, Statement<RestoreRelParams>>> = Object.fromEntries(
  STORE_REL_TYPES.map((type) => [
    type,
    statement<RestoreRelParams>(
      `backup.restoreRelationships.${type}`,
      `UNWIND $rows AS r
         MATCH (a) WHERE elementId(a) = r.a
         WITH a, r
         MATCH (b) WHERE elementId(b) = r.b
         CREATE (a)-[x:${assertRelType(type)}]->(b)
         FOREACH (p IN r.props | SET x[p.k] = ${DECODE('p')})`,
    ),
  ]),
);
