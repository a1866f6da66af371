import { AppError, ErrorCode } from '../../errors.js';
import { rebuildEventPlaces } from './event-places.js';
import type { BundleRecords } from '../../model/export-records.js';
import {
  KEY_AUDIT_OPERATIONS,
  STORE_KEY_LABELS,
  STORE_LEFT_OUT_LABELS,
  keyLabelOf,
  type StoreDump,
  type StoreNode,
  type StoreProperties,
  type StoreRelationship,
  type StoreValue,
} from '../../model/store.js';
import type { Executor, Row, Tx } from '../executor.js';
import * as q from '../queries/backup.js';
import { readConsistently, type ConsistentReadOptions } from './consistent-read.js';
import { readBundleRecords } from './export-bundle.js';

/**
 * The backup's reads and the restore's writes (src/services/backup.ts). The read pages every node of the
 * store by key label and key (keyset cursors) with its outgoing relationships, all in one read
 * transaction beside the readable records, made again if a write committed meanwhile (readConsistently),
 * so the backup is one consistent view. The restore writes every node and relationship in ONE write transaction, in UNWIND batches grouped by label set and type.
 */

const PAGE = 500;
const BATCH = 1_000;

/** A Cypher value type (valueType()) and the tag a backup gives it (plain: strings, booleans, string lists). */
const TAGS: Record<string, string> = {
  'STRING NOT NULL': 'plain',
  'BOOLEAN NOT NULL': 'plain',
  'LIST<STRING NOT NULL> NOT NULL': 'plain',
  'LIST<NOTHING> NOT NULL': 'plain',
  'INTEGER NOT NULL': 'int',
  'FLOAT NOT NULL': 'float',
  'DATE NOT NULL': 'date',
  'ZONED DATETIME NOT NULL': 'datetime',
  'LOCAL DATETIME NOT NULL': 'localdatetime',
  'ZONED TIME NOT NULL': 'time',
  'LOCAL TIME NOT NULL': 'localtime',
  'DURATION NOT NULL': 'duration',
  'LIST<INTEGER NOT NULL> NOT NULL': 'int[]',
  'LIST<FLOAT NOT NULL> NOT NULL': 'float[]',
  'LIST<BOOLEAN NOT NULL> NOT NULL': 'bool[]',
};

/** A float JSON can hold as a number, or its text (NaN, Infinity). */
const float = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : String(v));

function storeValue(type: string, v: unknown, where: string): StoreValue {
  const tag = TAGS[type];
  if (!tag) throw new Error(`${where}: a ${type} cannot be backed up`);
  if (tag === 'plain') return v as StoreValue;
  if (tag === 'float') return { float: float(v) };
  if (tag === 'float[]') return { 'float[]': (v as unknown[]).map(float) };
  return { [tag]: v } as StoreValue;
}

/** [[key, type, value]] rows as properties sorted by key. */
function properties(typed: unknown, where: string): StoreProperties {
  const out: StoreProperties = {};
  const list = (typed as [string, string, unknown][]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [k, t, v] of list) out[k] = storeValue(t, v, `${where}.${k}`);
  return out;
}

type Outgoing = [string, string[], string | null, [string, string, unknown][]];
interface ReadNode extends StoreNode {
  key: string;
  out: Outgoing[];
}

const nodeRef = (label: string, key: string) => `${label}\u0000${key}`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every node and relationship of the store, canonical, in the caller's transaction. */
export async function readStore(tx: Tx): Promise<StoreDump> {
  const unkeyed = await tx.run(q.unkeyedNodes, { leftOut: STORE_LEFT_OUT_LABELS });
  if (unkeyed.length) {
    throw new AppError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      `The store holds nodes a backup cannot carry (${unkeyed.map((r) => `${String(r.count)} × ${JSON.stringify(r.labels)}`).join(', ')}); nothing was exported`,
    );
  }
  const migrations = (await tx.run(q.appliedMigrations)).map((r) => String(r.id));
  const nodes: ReadNode[] = [];
  for (const { label } of STORE_KEY_LABELS) {
    let after = '';
    const found: ReadNode[] = [];
    for (;;) {
      const page: Row[] = await tx.run(q.backupNodes[label]!, { after, limit: PAGE });
      for (const r of page) {
        const labels = (r.labels as string[]).sort(cmp);
        // A node with two key labels is read under the first only.
        if (keyLabelOf(labels)?.label !== label) continue;
        const key = String(r.key);
        found.push({
          key,
          labels,
          properties: properties(r.props, `${label} ${key}`),
          out: r.out as Outgoing[],
        });
      }
      if (page.length < PAGE) break;
      after = String(page[page.length - 1]!.key);
    }
    nodes.push(...found.sort((a, b) => cmp(a.key, b.key)));
  }
  const position = new Map(nodes.map((n, i) => [nodeRef(keyLabelOf(n.labels)!.label, n.key), i] as const));
  const relationships: StoreRelationship[] = [];
  nodes.forEach((n, from) => {
    for (const [type, labels, key, props] of n.out) {
      const end = keyLabelOf(labels);
      const to = end && key !== null ? position.get(nodeRef(end.label, key)) : undefined;
      if (to === undefined) {
        throw new AppError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          `${type} from ${n.key} ends at a node a backup cannot carry (${JSON.stringify(labels)}); nothing was exported`,
        );
      }
      relationships.push({ type, from, to, properties: properties(props, `${type} from ${n.key}`) });
    }
  });
  relationships.sort(
    (a, b) =>
      a.from - b.from ||
      cmp(a.type, b.type) ||
      a.to - b.to ||
      cmp(JSON.stringify(a.properties), JSON.stringify(b.properties)),
  );
  return {
    migrations,
    nodes: nodes.map(({ labels, properties: p }) => ({ labels, properties: p })),
    relationships,
  };
}

/**
 * The readable records and the store, read in one transaction as the store was at one moment (made again
 * if a write committed meanwhile, see readConsistently): a backup whose two parts say the same.
 */
export async function readBackup(
  executor: Executor,
  opts: ConsistentReadOptions = {},
): Promise<{ records: BundleRecords; store: StoreDump; attempts: number }> {
  const read = await readConsistently(
    executor,
    'backup.read',
    'the backup',
    readBundleRecords,
    readStore,
    opts,
  );
  return { records: read.first, store: read.second, attempts: read.attempts };
}

/** A property as the restore statements take it: key, tag, value. */
function typedParam(k: string, v: StoreValue): { k: string; t: string; v: unknown } {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const [[t, value]] = Object.entries(v) as [[string, unknown]];
    return { k, t, v: value };
  }
  return { k, t: 'plain', v };
}

const typedParams = (p: StoreProperties) => Object.entries(p).map(([k, v]) => typedParam(k, v));

export interface RestoreCounts {
  nodes: number;
  relationships: number;
}

/**
 * Writes a validated store dump into a store that holds no records (only what a backup leaves out, and
 * the audit records of its own keys), in ONE transaction; refuses (CONFLICT, nothing written) otherwise,
 * and refuses a dump taken at another schema version.
 */
export async function restoreStore(
  executor: Executor,
  dump: StoreDump,
  onProgress?: (done: number, total: number) => void,
  /** Runs in the transaction after every write, before commit: a throw refuses the restore whole. */
  verify?: (tx: Tx) => Promise<void>,
): Promise<RestoreCounts> {
  const total = dump.nodes.length + dump.relationships.length;
  return executor.writeTx('backup.restore', async (tx) => {
    const migrations = (await tx.run(q.appliedMigrations)).map((r) => String(r.id));
    if (JSON.stringify(migrations) !== JSON.stringify(dump.migrations)) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `The backup was taken at schema ${dump.migrations.at(-1) ?? '(none)'}, this store is at ${migrations.at(-1) ?? '(none)'}: restore it with the version of hrkg that took it`,
      );
    }
    const found = await tx.run(q.anyRecord, {
      leftOut: STORE_LEFT_OUT_LABELS,
      keyOperations: KEY_AUDIT_OPERATIONS,
    });
    if (found.length) {
      throw new AppError(
        ErrorCode.CONFLICT,
        `A backup is restored only into an empty store; this one holds records (${JSON.stringify(found[0]!.labels)}). Nothing was written`,
      );
    }
    let done = 0;
    onProgress?.(done, total);
    const eids: string[] = new Array<string>(dump.nodes.length);
    const byLabels = new Map<string, number[]>();
    dump.nodes.forEach((n, i) => {
      const key = n.labels.join(':');
      if (!byLabels.has(key)) byLabels.set(key, []);
      byLabels.get(key)!.push(i);
    });
    for (const [labels, positions] of byLabels) {
      const stmt = q.restoreNodes[labels];
      if (!stmt) throw new Error(`No restore statement for labels ${labels}`); // validated before
      for (let i = 0; i < positions.length; i += BATCH) {
        const rows = positions
          .slice(i, i + BATCH)
          .map((p) => ({ i: p, props: typedParams(dump.nodes[p]!.properties) }));
        for (const r of await tx.run(stmt, { rows })) eids[Number(r.i)] = String(r.eid);
        done += rows.length;
        onProgress?.(done, total);
      }
    }
    const byType = new Map<string, StoreRelationship[]>();
    for (const r of dump.relationships) {
      if (!byType.has(r.type)) byType.set(r.type, []);
      byType.get(r.type)!.push(r);
    }
    for (const [type, rels] of byType) {
      const stmt = q.restoreRelationships[type];
      if (!stmt) throw new Error(`No restore statement for relationship type ${type}`); // validated before
      for (let i = 0; i < rels.length; i += BATCH) {
        const rows = rels
          .slice(i, i + BATCH)
          .map((r) => ({ a: eids[r.from]!, b: eids[r.to]!, props: typedParams(r.properties) }));
        await tx.run(stmt, { rows });
        done += rows.length;
        onProgress?.(done, total);
      }
    }
    // Derived rows a backup leaves out (DERIVED_RELS), rebuilt from what was restored.
    await rebuildEventPlaces(tx);
    await verify?.(tx);
    return { nodes: dump.nodes.length, relationships: dump.relationships.length };
  });
}
