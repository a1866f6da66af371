import { RELATIONS, RELATION_TYPES, type RelationSpec } from '../../model/graph-model.js';
import type { Executor, Row } from '../executor.js';
import * as q from '../queries/check.js';
import * as eventPlaces from '../queries/event-places.js';
import { num, str, strs } from '../values.js';

/**
 * Reads of the integrity check, one page per read transaction (keyset cursors: see queries/check.ts).
 * Each returns the cursor for the next page (null: the store has no more) and what the page found.
 */

export interface Page<T> {
  /** The cursor for the next page; null when this page was the last (empty). */
  next: string | null;
  scanned: number;
  found: T;
}

/** Operations whose audit records name a merge record (merge-…) among their affected ids. */
export const MERGE_OPERATIONS = ['mergeEntities', 'unmergeEntities'] as const;

function page<T>(row: Row | undefined, found: (r: Row) => T): Page<T> {
  const scanned = num(row?.scanned) ?? 0;
  return { next: scanned > 0 ? str(row!.last) : null, scanned, found: found(row ?? {}) };
}

export async function claimsPage(
  ex: Executor,
  after: string,
  limit: number,
): Promise<Page<{ withoutExcerpt: string[]; edgesDisagree: string[] }>> {
  const [row] = await ex.read(q.claimsPage, { after, limit });
  return page(row, (r) => ({ withoutExcerpt: strs(r.withoutExcerpt), edgesDisagree: strs(r.edgesDisagree) }));
}

export interface StoredSource {
  id: string;
  text: string | null;
  sha256: string | null;
}

export async function sourcesPage(ex: Executor, after: string, limit: number): Promise<Page<StoredSource[]>> {
  const rows = await ex.read(q.sourcesPage, { after, limit });
  const sources = rows.map((r) => ({ id: String(r.id), text: str(r.text), sha256: str(r.sha256) }));
  return { next: sources.at(-1)?.id ?? null, scanned: sources.length, found: sources };
}

export interface StoredExcerpt {
  id: string;
  exact: string | null;
  start: number | null;
  end: number | null;
  sourceIds: string[];
}

export async function excerptsPage(
  ex: Executor,
  after: string,
  limit: number,
): Promise<Page<StoredExcerpt[]>> {
  const rows = await ex.read(q.excerptsPage, { after, limit });
  const excerpts = rows.map((r) => ({
    id: String(r.id),
    exact: str(r.exact),
    start: num(r.start),
    end: num(r.end),
    sourceIds: strs(r.sourceIds),
  }));
  return { next: excerpts.at(-1)?.id ?? null, scanned: excerpts.length, found: excerpts };
}

export async function sourceText(ex: Executor, id: string): Promise<string | null> {
  const [row] = await ex.read(q.sourceText, { id });
  return str(row?.text);
}

/** The model's relation rules, as the check statement takes them. */
const RELATION_RULES: q.RelationRuleParam[] = RELATION_TYPES.map((type) => {
  const spec: RelationSpec = RELATIONS[type];
  return {
    type,
    fromTypes: spec.fromTypes ?? null,
    toTypes: spec.toTypes ?? null,
    hasPosition: spec.hasPosition ?? false,
  };
});

/** An entity's identifiers as stored: the JSON shown, and the keys lookups find. */
export interface StoredIdentifiers {
  id: string;
  identifiersJson: string | null;
  identifierKeys: string[];
}

export async function relationsPage(
  ex: Executor,
  after: string,
  limit: number,
): Promise<Page<{ withoutClaim: string[]; misfit: string[]; identified: StoredIdentifiers[] }>> {
  const [row] = await ex.read(q.relationsPage, {
    after,
    limit,
    types: RELATION_TYPES,
    rules: RELATION_RULES,
  });
  return page(row, (r) => ({
    withoutClaim: strs(r.withoutClaim),
    misfit: strs(r.misfit),
    identified: ((r.identified as Row[] | null) ?? []).map((i) => ({
      id: String(i.id),
      identifiersJson: str(i.identifiersJson),
      identifierKeys: strs(i.identifierKeys),
    })),
  }));
}

export async function auditMergesPage(ex: Executor, after: string, limit: number): Promise<Page<string[]>> {
  const [row] = await ex.read(q.auditMergesPage, { after, limit, operations: MERGE_OPERATIONS });
  return page(row, (r) => strs(r.missingMerges));
}

export async function figuresPage(ex: Executor, after: string, limit: number): Promise<Page<string[]>> {
  const [row] = await ex.read(q.figuresPage, { after, limit });
  return page(row, (r) => strs(r.textNotQuoted));
}

/** Events (a page of entities) whose IN_PLACE rows are stale. */
export async function eventPlacesPage(ex: Executor, after: string, limit: number): Promise<Page<string[]>> {
  const [row] = await ex.read(eventPlaces.stalePage, { after, limit });
  return page(row, (r) => strs(r.stale));
}
