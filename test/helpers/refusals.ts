import { expect } from 'vitest';
import type { GraphQLResponse } from './app.js';

/** Where in the arguments the refused value sits, as the server reports it: ['input', 'excerpts', 0]. */
export type InputPath = readonly (string | number)[];

export interface RefusalOptions {
  /**
   * The refusal needs no database work (roles, document limits, input that is wrong on its face): the
   * response reports zero round trips. Development responses carry `extensions.roundTrips`, counted by
   * the request's executor (test/integration/round-trips.test.ts relies on the same count).
   */
  beforeDatabase?: boolean;
  /** Further extensions the error carries (a limit, candidates, the current version, ...). */
  extensions?: Record<string, unknown>;
  /** The HTTP status, when the refusal has its own (400 for documents refused before execution). */
  status?: number;
  /**
   * Other errors may follow the first: validation reports every rule a document breaks (eleven @include
   * directives are over the limit, and ten repeats). Otherwise the refusal is the only error.
   */
  otherErrors?: boolean;
}

type RefusalError = NonNullable<GraphQLResponse<unknown>['errors']>[number];

/**
 * Asserts that a GraphQL response is a refusal: one error with the given extensions.code, a readable
 * message, the given input path (when given), and no data given back (data null, or null for every field
 * asked). With `beforeDatabase`, it also asserts that no statement ran. Returns the error for further checks.
 */
export function expectRefused(
  res: GraphQLResponse<unknown>,
  code: string,
  path?: InputPath,
  opts: RefusalOptions = {},
): RefusalError {
  const seen = JSON.stringify({ status: res.status, errors: res.errors, data: res.data });
  if (opts.otherErrors) expect(res.errors?.length, seen).toBeGreaterThan(0);
  else expect(res.errors, seen).toHaveLength(1);
  const err = res.errors![0]!;
  expect(err.extensions?.code, seen).toBe(code);
  if (path) expect(err.extensions?.inputPath, seen).toEqual(path);
  if (opts.extensions) expect(err.extensions, seen).toMatchObject(opts.extensions);
  expect(err.message.trim().length, seen).toBeGreaterThan(5);
  expect(
    Object.values(res.data ?? {}).filter((v) => v !== null),
    seen,
  ).toEqual([]);
  if (opts.status !== undefined) expect(res.status, seen).toBe(opts.status);
  if (opts.beforeDatabase) expect(res.extensions?.roundTrips, `round trips of ${seen}`).toBe(0);
  return err;
}
