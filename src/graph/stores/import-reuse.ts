import type { Executor, Row } from '../executor.js';
import * as q from '../queries/import-reuse.js';
import { str } from '../values.js';

/** The stored records an import may reuse (queries/import-reuse.ts), as typed rows. */

/** A stored entity an identifier of the file points at. */
export interface IdentifierHolder {
  id: string;
  kind: string;
  type: string;
  /** The file's keys it holds (canonical). */
  hits: string[];
  createdAt: string;
}

/** A stored entity the full-text index found for a name of the file. */
export interface NameHolder {
  id: string;
  type: string;
  names: string[];
  /** Places it is PART_OF (by visible claims). */
  parents: string[];
  createdAt: string;
}

/** How many full-text hits to ask for per name: exact names rank first (shortest fields score highest). */
const NAME_HITS = 50;

const strings = (v: unknown): string[] => ((v as unknown[] | null) ?? []).map(String);

/** Which of the ids are stored already (entities or merged entities). */
export async function storedIds(executor: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await executor.read(q.storedIds, { ids });
  return new Set(rows.map((r) => String(r.id)));
}

/** The visible entities holding any of the canonical identifier keys. */
export async function identifierHolders(executor: Executor, keys: string[]): Promise<IdentifierHolder[]> {
  if (!keys.length) return [];
  const rows = await executor.read(q.byIdentifier, { keys });
  return rows.map((r) => ({
    id: String(r.id),
    kind: String(r.kind),
    type: String(r.type),
    hits: strings(r.hits),
    createdAt: str(r.createdAt) ?? '',
  }));
}

/** For each ref, the visible entities of its kind found by its name's phrase. */
export async function nameHolders(
  executor: Executor,
  rows: { ref: string; kind: string; query: string }[],
): Promise<Map<string, NameHolder[]>> {
  const out = new Map<string, NameHolder[]>();
  if (!rows.length) return out;
  for (const r of await executor.read(q.byName, { rows, limit: NAME_HITS })) {
    out.set(
      String(r.ref),
      ((r.found as Row[] | null) ?? []).map((f) => ({
        id: String(f.id),
        type: String(f.type),
        names: strings(f.names),
        parents: strings(f.parents),
        createdAt: str(f.createdAt) ?? '',
      })),
    );
  }
  return out;
}
