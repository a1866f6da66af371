import {
  GraphQLError,
  getNamedType,
  getOperationAST,
  getVariableValues,
  getNullableType,
  isLeafType,
  isListType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { AppError, badInput, ErrorCode } from './errors.js';
import { pageSize } from './services/pagination.js';
import {
  AGGREGATE_FIELDS,
  ASSUMED_LIST_SIZES,
  DOCUMENT_LIMITS,
  NESTED_LIST,
  NESTED_LIST_KINDS,
  PAGES,
  PAGE_ITEM_LISTS,
  TEXT_LIMITS,
} from './limits.js';

/**
 * The cost of a document, computed before execution with the request's variables: how many objects the answer
 * may hold at most (as GitHub's GraphQL API counts nodes), each list multiplying what it holds by its size: its page argument (first / limit / the ids given),
 * its `first` (nested lists of records), or the bound the model gives it (src/limits.ts). Ten aliases of a
 * walk relations → to → involvements → from → relations therefore count 10 × 100 × 100 × 100 objects and are
 * refused,
 * where a flat count let them through and took the service down.
 */

const clamp = (n: unknown, limits: { default: number; max: number }) =>
  typeof n === 'number' && Number.isFinite(n)
    ? Math.max(1, Math.min(Math.trunc(n), limits.max))
    : limits.default;

/** The default and largest `first` of a nested list. */
export function nestedList(coordinate: string): { default: number; max: number } {
  return NESTED_LIST_KINDS[coordinate] ?? NESTED_LIST;
}

/** How many times the field's selection is resolved, per parent. */
export function listSize(
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): number {
  const page = PAGES[coordinate as keyof typeof PAGES];
  if (page) {
    if (coordinate === 'Query.nodes') return clamp(Array.isArray(args.ids) ? args.ids.length : 0, page);
    return clamp(args.first ?? args.limit, page);
  }
  if (!isListType(getNullableType(field.type))) return 1;
  if (PAGE_ITEM_LISTS.has(coordinate)) return 1;
  if (field.args.some((a) => a.name === 'first')) return clamp(args.first, nestedList(coordinate));
  // A list the tables do not name: assume the largest nested page (test/unit/cost.test.ts names them all).
  return ASSUMED_LIST_SIZES[coordinate] ?? NESTED_LIST.max;
}

/**
 * A field's cost: 1 for each object it may return (a scalar costs nothing: the document's size bounds those),
 * times the size of the list it is, plus what is under it.
 */
export function fieldCost({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  checkArguments(`${type.name}.${field.name}`, field, args);
  const own =
    (isLeafType(getNamedType(field.type)) ? 0 : 1) + (AGGREGATE_FIELDS[`${type.name}.${field.name}`] ?? 0);
  return listSize(`${type.name}.${field.name}`, field, args) * (own + childComplexity);
}

/**
 * Arguments that the resolvers would refuse, refused before execution instead: a mutation's selection must not
 * fail after its write committed (the client would see an error for a write that happened).
 */
function checkArguments(
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
) {
  const refuse = (err: GraphQLError): never => {
    throw new GraphQLError(err.message, {
      extensions: { ...err.extensions, field: coordinate, http: { status: 400 } },
    });
  };
  try {
    if (!(coordinate in PAGES) && field.args.some((a) => a.name === 'first')) {
      pageSize(args.first as number | null | undefined, nestedList(coordinate));
    }
    if (coordinate === 'Source.text') {
      const start = args.start as number | null | undefined;
      const end = args.end as number | null | undefined;
      if ((start ?? 0) < 0 || (end ?? 0) < 0) {
        throw badInput('start and end are code-point offsets and cannot be negative', ['text']);
      }
      if (end !== null && end !== undefined && end < (start ?? 0)) {
        throw badInput(`end (${end}) is before start (${start ?? 0})`, ['text']);
      }
      if (end !== null && end !== undefined && end - (start ?? 0) > TEXT_LIMITS.maxSliceCodePoints) {
        throw new AppError(
          ErrorCode.LIMIT_EXCEEDED,
          `A slice of a source's text is at most ${TEXT_LIMITS.maxSliceCodePoints} code points; this one is ${end - (start ?? 0)}`,
          { limit: TEXT_LIMITS.maxSliceCodePoints },
        );
      }
    }
  } catch (err) {
    if (err instanceof GraphQLError) refuse(err);
    throw err;
  }
}

/** The cost of one operation of a document. */
export function documentCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    ...(operationName ? { operationName } : {}),
    estimators: [fieldCost],
  });
}

/** LIMIT_EXCEEDED when the operation costs more than the limit; answered with HTTP 400, nothing run. */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  max: number = DOCUMENT_LIMITS.maxCost,
): number {
  // Variables that do not coerce are refused by execution, before any resolver, as BAD_USER_INPUT.
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return 0;
  const cost = documentCost(schema, document, variables, operationName);
  if (cost > max) {
    throw new GraphQLError(
      `Query cost ${cost} is over the limit of ${max}: every list multiplies the cost of what it holds by its size (first/limit); ask for smaller pages or fewer nested lists`,
      { extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: max, cost, http: { status: 400 } } },
    );
  }
  return cost;
}
