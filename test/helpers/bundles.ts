import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { sha256 } from '../../src/model/text.js';
import { statement, type Executor } from '../../src/graph/executor.js';
import { DERIVED_RELS } from '../../src/model/store.js';

/** A unique suffix so each test's records are its own (tests share one database and run in parallel). */
export function uniq(): string {
  return randomUUID().slice(0, 8);
}

/** Writes a bundle document to a fresh temp folder and returns its path. */
export function writeBundle(doc: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-bundle-'));
  const file = path.join(dir, 'bundle.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

/** A small valid bundle: one source with the given text, an actor, an event, a place and claims. */
export function fixtureBundle(u: string, text: string, claims: Record<string, unknown>[] = []) {
  return {
    format: 'hrkg-bundle/1',
    recordedBy: 'test',
    recordedAt: '2026-11-25T10:00:00Z',
    sources: [
      {
        id: `src-t${u}`,
        text,
        sha256: sha256(text),
        title: `Test source ${u}`,
        language: 'en',
        publisher: `ac-t${u}`,
      },
    ],
    actors: [
      {
        id: `ac-t${u}`,
        type: 'organization',
        name: `Monitor ${u}`,
        aliases: [{ value: `مرصد ${u}`, lang: 'ar' }],
      },
    ],
    places: [{ id: `pl-t${u}`, type: 'city', name: `Town ${u}` }],
    events: [
      {
        id: `ev-t${u}`,
        type: 'release_batch',
        name: `Release ${u}`,
        date: { precision: 'month', value: '2022-05', qualifier: 'approximate' },
      },
    ],
    claims,
  };
}

const idsPresent = statement(
  'test.idsPresent',
  `UNWIND $ids AS id
   OPTIONAL MATCH (n {id: id})
   WITH id, n WHERE n IS NOT NULL
   RETURN collect(id) AS present`,
);

/** Which of these ids exist in the graph, under any label. */
export async function presentIds(executor: Executor, ids: string[]): Promise<string[]> {
  const rows = await executor.read(idsPresent, { ids });
  return (rows[0]?.present as string[]) ?? [];
}

const subgraphDigest = statement<{ ids: string[]; within: boolean }>(
  'test.subgraphDigest',
  `MATCH (n) WHERE n.id IN $ids
   // Derived rows (an event's IN_PLACE) are not evidence: rebuilt whenever a place link above it is added.
   OPTIONAL MATCH (n)-[r]->(m) WHERE (NOT $within OR m.id IN $ids) AND NOT type(r) IN ${JSON.stringify(DERIVED_RELS)}
   WITH n, collect({type: type(r), to: m.id, props: properties(r)}) AS rels
   RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, rels ORDER BY id`,
);

/** JSON with object keys sorted at every level, so equal values always print the same. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A digest of the given nodes, their properties and their outgoing relationships; `within`: only those
 * between the given nodes (other test files' imports may reuse a sample record and link their own to it).
 */
export async function digest(executor: Executor, ids: string[], within = false): Promise<string> {
  const rows = await executor.read(subgraphDigest, { ids, within });
  const canon = rows.map((r) => ({
    ...r,
    labels: [...(r.labels as string[])].sort(),
    rels: (r.rels as unknown[]).map(canonical).sort(),
  }));
  return sha256(canonical(canon));
}
