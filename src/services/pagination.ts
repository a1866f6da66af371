import { AppError, badInput, ErrorCode } from '../errors.js';

/** Page size: default when absent, refused (before any database work) when out of range. */
export function pageSize(
  first: number | null | undefined,
  opts: { default: number; max: number },
  argPath = 'first',
): number {
  if (first === null || first === undefined) return opts.default;
  if (!Number.isInteger(first) || first < 1)
    throw badInput(`${argPath} must be a positive integer`, [argPath]);
  if (first > opts.max) {
    throw new AppError(ErrorCode.LIMIT_EXCEEDED, `${argPath} may be at most ${opts.max}`, {
      inputPath: [argPath],
      limit: opts.max,
    });
  }
  return first;
}

/**
 * Opaque keyset cursors: the sort key of the last edge, base64url-encoded JSON. A cursor names a
 * position in the order, not an offset, so pages stay stable when records are added before it.
 */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | null | undefined,
  arity: number,
  argPath = 'after',
): unknown[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity) return key;
  } catch {
    // fall through to the error below
  }
  throw badInput(`${argPath} is not a cursor this field returned`, [argPath]);
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a page from rows fetched with LIMIT first + 1 (the extra row only says whether more follow). */
export function toPage<R, T>(
  rows: R[],
  first: number,
  key: (r: R) => unknown[],
  node: (r: R) => T,
): Page<T> & { rows: R[] } {
  const kept = rows.slice(0, first);
  const edges = kept.map((r) => ({ cursor: encodeCursor(key(r)), node: node(r) }));
  return {
    rows: kept,
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
