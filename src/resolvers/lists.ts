import { nestedList } from '../cost.js';
import { AppError, ErrorCode } from '../errors.js';
import { pageSize } from '../services/pagination.js';

/**
 * A nested list (Entity.claims, Claim.excerpts, ...) by its coordinate's limits (src/limits.ts). With `first`,
 * at most that many (LIMIT_EXCEEDED above the max, before any database work). Without it, the whole list when
 * it is within the default, and LIMIT_EXCEEDED when it is longer: evidence is never cut off unasked. The cost
 * check counts each list by the same number.
 */
export async function firstOf<T>(
  coordinate: string,
  items: T[] | Promise<T[]>,
  first: number | null | undefined,
): Promise<T[]> {
  const limits = nestedList(coordinate);
  const n = pageSize(first, limits);
  const all = await items;
  if ((first === null || first === undefined) && all.length > n) {
    const field = coordinate.split('.')[1];
    throw new AppError(
      ErrorCode.LIMIT_EXCEEDED,
      `This record has more than ${n} ${field}: ask for them with ${field}(first: …) (at most ${limits.max}), or page through them with provenance(id, first, after)`,
      { limit: n, count: all.length },
    );
  }
  return all.slice(0, n);
}
