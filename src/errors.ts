import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { MAX_ID_LENGTH } from './limits.js';
import { atLeast, type Role, type Viewer } from './model/access.js';

/**
 * Stable error codes. Clients switch on `extensions.code`; messages may change, codes may not.
 * Documented in README ("Errors").
 */
export const ErrorCode = {
  BAD_USER_INPUT: ApolloServerErrorCode.BAD_USER_INPUT,
  NOT_FOUND: 'NOT_FOUND',
  EXCERPT_MISMATCH: 'EXCERPT_MISMATCH',
  QUOTE_NOT_FOUND: 'QUOTE_NOT_FOUND',
  QUOTE_AMBIGUOUS: 'QUOTE_AMBIGUOUS',
  INVALID_BUNDLE: 'INVALID_BUNDLE',
  CONFLICT: 'CONFLICT',
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  DATABASE_TIMEOUT: 'DATABASE_TIMEOUT',
  DATABASE_MEMORY_LIMIT: 'DATABASE_MEMORY_LIMIT',
  INTERNAL_SERVER_ERROR: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
  /** amendClaim asked to change what an amendment never changes (its kind, subject, property, cited words). */
  AMENDMENT_NOT_ALLOWED: 'AMENDMENT_NOT_ALLOWED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose message is safe to show to clients as is. Anything else is masked by formatError. */
export const PUBLIC_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Apollo's codes for documents and requests refused before execution.
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/** An expected failure: carries a stable code and, for input problems, the path of the offending value. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
    this.name = 'AppError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export function badInput(
  message: string,
  inputPath?: (string | number)[],
  details: Record<string, unknown> = {},
) {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, inputPath ? { inputPath, ...details } : details);
}

/** Where in the arguments a value sits: ['input', 'excerpts', 0, 'quote']. */
export type InputPath = (string | number)[];

/** Refuses an id argument that no record can have (empty, or longer than MAX_ID_LENGTH). */
export function checkId(id: string, path: InputPath): void {
  if (!id || id.length > MAX_ID_LENGTH) {
    throw badInput(`${path.join('.')} must be an id of 1 to ${MAX_ID_LENGTH} characters`, path);
  }
}

export function notFound(what: string, id: string) {
  return new AppError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist`, { id });
}

export class DatabaseUnavailableError extends AppError {
  constructor(message = 'The graph database is unavailable; try again shortly') {
    super(ErrorCode.DATABASE_UNAVAILABLE, message);
  }
}

/** Refuses the operation unless the caller has at least the given role. */
export function requireRole(viewer: Viewer, min: Role, operation: string): void {
  if (atLeast(viewer, min)) return;
  if (viewer.role === 'anonymous') {
    throw new AppError(ErrorCode.UNAUTHENTICATED, `${operation} needs an API key with role ${min} or above`, {
      requiredRole: min,
    });
  }
  throw new AppError(
    ErrorCode.FORBIDDEN,
    `${operation} needs role ${min} or above; this key has role ${viewer.role}`,
    {
      requiredRole: min,
    },
  );
}
