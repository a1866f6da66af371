import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type express from 'express';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import { ErrorCode, PUBLIC_CODES } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * How errors reach clients: one GraphQL-shaped body for HTTP-level refusals, and formatError for the
 * errors of an operation. Clients switch on extensions.code; anything unexpected is masked and logged.
 */

/** The body of a refusal answered before GraphQL runs: GraphQL-shaped, with a stable code. */
export function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** Answers an HTTP-level refusal (status + GraphQL-shaped body). */
export function refuse(
  res: express.Response,
  status: number,
  message: string,
  code: string,
  extensions: Record<string, unknown> = {},
): void {
  res.status(status).json(errorBody(message, code, extensions));
}

/** Marks a document refused by a limit, so that formatError gives it LIMIT_EXCEEDED whatever Apollo wrapped it in. */
class DocumentLimitError extends Error {
  override name = 'DocumentLimitError';
}

/** graphql-armor reports a limit as a plain validation error; ours is recognisable by its original error. */
export function limitExceeded(ctx: ValidationContext | null, err: GraphQLError): void {
  const message = err.message.replace(/^Syntax Error: /, '');
  ctx?.reportError(new GraphQLError(message, { originalError: new DocumentLimitError(message) }));
}

function isLimitError(error: unknown): boolean {
  for (let e = error as { originalError?: unknown } | undefined; e; e = e.originalError as typeof e) {
    if (e instanceof DocumentLimitError) return true;
  }
  return false;
}

/**
 * Client errors that reach formatError without a code (and would be masked as internal): Apollo's own
 * request errors (persisted-query misuse) carry an HTTP 4xx status but no code, and graphql-js gives up
 * coercing variables after 50 invalid values with an error Apollo does not mark as the client's.
 */
function uncodedClientError(error: unknown): string | undefined {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return ApolloServerErrorCode.BAD_REQUEST;
  // Duck-typed: under the test runner, graphql-js may be loaded twice (ESM and CommonJS).
  const { message, path } = (error ?? {}) as { message?: unknown; path?: unknown };
  if (!path && typeof message === 'string' && /^Too many errors processing variables/.test(message)) {
    return ErrorCode.BAD_USER_INPUT;
  }
  return undefined;
}

/**
 * Masks anything that is not an expected failure: clients get a stable code and the request id to
 * quote, the log gets the details.
 */
export function makeFormatError(logger: Logger, exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Apollo reports limits as validation failures: give them our stable code.
    let code = isLimitError(error) ? ErrorCode.LIMIT_EXCEEDED : String(formatted.extensions?.code ?? '');
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) code = uncodedClientError(error) ?? code;
    if (PUBLIC_CODES.has(code)) {
      // Never leak stack traces, whatever the environment.
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const original = unwrapResolverError(error);
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL request');
    return {
      message:
        exposeDetails && original instanceof Error ? `Internal error: ${original.message}` : 'Internal error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Body-parser failures (too large, malformed JSON) answered as GraphQL-shaped JSON with a stable code. */
export function httpErrorHandler(maxBodyBytes: number): express.ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (res.headersSent) return next(err);
    if (e.type === 'entity.too.large') {
      const limit = e.limit ?? maxBodyBytes;
      const readers = limit < maxBodyBytes ? ' for anonymous callers and viewers' : '';
      refuse(
        res,
        413,
        `Request body is larger than the limit of ${limit} bytes${readers}`,
        ErrorCode.LIMIT_EXCEEDED,
        {
          limit,
        },
      );
      return;
    }
    if (e.status && e.status >= 400 && e.status < 500) {
      refuse(res, e.status, e.message ?? 'Bad request', ApolloServerErrorCode.BAD_REQUEST);
      return;
    }
    req.log.error({ err }, 'unhandled HTTP error');
    refuse(res, 500, 'Internal error', ErrorCode.INTERNAL_SERVER_ERROR);
  };
}
