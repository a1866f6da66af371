import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import express from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import { pinoHttp } from 'pino-http';
import { AppError, ErrorCode } from '../errors.js';
import { BODY_LIMITS } from '../limits.js';
import type { Logger } from '../logger.js';
import { atLeast, type Viewer } from '../model/access.js';
import type { Authenticator } from '../services/keys.js';
import { refuse } from './errors.js';

/** The Express middleware in front of /graphql, in the order server.ts mounts it. */

/** The client's x-request-id when it is one we keep (1 to 128 letters, digits or . : _ -). */
export function clientRequestId(headers: http.IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : undefined;
}

/**
 * Request logging with the server's own id for every request (logs, audit records); a client's
 * x-request-id is kept beside it as clientRequestId and echoed as x-client-request-id, never used instead.
 */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      const given = clientRequestId(req.headers);
      if (given) res.setHeader('x-client-request-id', given);
      return id;
    },
    customProps: (req) => {
      const given = clientRequestId(req.headers);
      return given ? { clientRequestId: given } : {};
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}

/** What Apollo can answer a single result with (its chooseContentTypeForSingleResultResponse). */
const RESULT_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0',
];

/**
 * Apollo negotiates the response's content type only after executing the operation: a POST whose Accept
 * header allows none of its types got a 406 after its mutation had committed (a retry would write twice).
 * Such requests are refused here, with Apollo's status and message, before anything runs.
 */
export function acceptableResponse(): express.RequestHandler {
  return (req, res, next) => {
    // POSTs, and GETs carrying a document (a GET without one is the landing page, which browsers ask as HTML).
    const operation = req.method === 'POST' || (req.method === 'GET' && typeof req.query.query === 'string');
    if (!operation || !req.headers.accept || req.accepts(RESULT_MEDIA_TYPES)) return next();
    refuse(
      res,
      406,
      "An 'accept' header was provided for this request which does not accept application/json or application/graphql-response+json",
      ApolloServerErrorCode.BAD_REQUEST,
    );
  };
}

/**
 * Refuses documents with too many tokens before they are parsed (parsing cost grows with size), as a
 * GraphQL-shaped 400. Syntax errors are left to Apollo.
 */
export function tokenLimit(max: number): express.RequestHandler {
  return (req, res, next) => {
    // The document comes in the body (POST) or the query string (GET).
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
    if (typeof query !== 'string') return next();
    const lexer = new Lexer(new Source(query));
    let count = 0;
    try {
      while (lexer.advance().kind !== TokenKind.EOF) {
        if (++count > max) {
          refuse(res, 400, `Token limit of ${max} exceeded`, ErrorCode.LIMIT_EXCEEDED, { limit: max });
          return;
        }
      }
    } catch {
      // Not lexable: Apollo reports the syntax error.
    }
    next();
  };
}

/**
 * Who is asking, settled from the headers before the body is read (and once per request): readers
 * (anonymous, viewer) may send small bodies only, writers (analyst, admin) source-sized ones. The GraphQL
 * context reuses the same answer.
 */
export class ViewerGate {
  private readonly viewers = new WeakMap<express.Request, Promise<Viewer>>();
  private readonly readerBody: express.RequestHandler;
  private readonly writerBody: express.RequestHandler;

  constructor(
    private readonly authenticator: Authenticator,
    maxBodyBytes: number,
  ) {
    this.readerBody = express.json({ limit: Math.min(BODY_LIMITS.readerBytes, maxBodyBytes) });
    this.writerBody = express.json({ limit: maxBodyBytes });
  }

  viewerOf(req: express.Request): Promise<Viewer> {
    let viewer = this.viewers.get(req);
    if (!viewer) {
      const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      viewer = this.authenticator.viewerFor(req.headers, client).catch((err: unknown) => {
        // Checking an uncached key needs the database: while it is down, say so with 503, not 500.
        if (err instanceof AppError && err.code === ErrorCode.DATABASE_UNAVAILABLE) {
          throw new AppError(ErrorCode.DATABASE_UNAVAILABLE, err.message, { http: { status: 503 } });
        }
        throw err;
      });
      this.viewers.set(req, viewer);
    }
    return viewer;
  }

  /** Parses the JSON body with the limit of the caller's role. */
  readonly bodyByRole: express.RequestHandler = (req, res, next) => {
    this.viewerOf(req).then(
      (viewer) => (atLeast(viewer, 'analyst') ? this.writerBody : this.readerBody)(req, res, next),
      // A bad key is answered by Apollo (from the context) once the small body is read.
      () => this.readerBody(req, res, next),
    );
  };
}
