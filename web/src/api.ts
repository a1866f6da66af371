/**
 * The explorer's GraphQL client: POSTs the typed documents generated from operations.graphql to /graphql
 * (each holds one operation and the fragments it uses).
 * The API key, when the investigator gives one, lives in sessionStorage only (never in the URL or a
 * shared link) and goes out as `Authorization: Bearer <key>`; without one the API answers as anonymous.
 */
import type { TypedDocumentString } from './generated/graphql.js';

const KEY_STORAGE = 'hrkg.apiKey';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The name of a document's operation (a generated document holds exactly one), sent as operationName. */
export function operationName(document: string): string | undefined {
  return /(?:^|\n)\s*(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1];
}

/** Runs one operation; a GraphQL error becomes an ApiError carrying the API's stable code. */
export async function request<TData, TVars>(
  document: TypedDocumentString<TData, TVars>,
  variables: TVars,
  signal?: AbortSignal,
): Promise<TData> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const key = apiKey();
  if (key) headers.authorization = `Bearer ${key}`;
  const query = document.toString();
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, operationName: operationName(query), variables }),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('The server cannot be reached.', 'NETWORK_ERROR', 0);
  }
  let body: GraphQLBody<TData>;
  try {
    body = (await res.json()) as GraphQLBody<TData>;
  } catch {
    throw new ApiError(
      `The server answered ${res.status} without a GraphQL body.`,
      'BAD_RESPONSE',
      res.status,
    );
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'UNKNOWN', res.status);
  if (!body.data) throw new ApiError('The server answered without data.', 'BAD_RESPONSE', res.status);
  return body.data;
}
