import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express from 'express';
import {
  GraphQLError,
  Lexer,
  Source,
  TokenKind,
  type ASTVisitor,
  type GraphQLFormattedError,
  type ValidationContext,
} from 'graphql';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import type { RequestContext } from './context.js';
import { AppError, ErrorCode, PUBLIC_CODES } from './errors.js';
import type { Database } from './graph/database.js';
import type { Logger } from './logger.js';
import { schemaDir } from './paths.js';
import { resolvers } from './resolvers/index.js';
import { atLeast, clearance, type Viewer } from './model/access.js';
import { costPlugin, responseSizePlugin, writeTimeout } from './http/guards.js';
import { Authenticator } from './services/keys.js';
import { createServices } from './services/index.js';
import { packageVersion } from './version.js';
import { explorerRouter } from './explorer.js';
import { BODY_LIMITS, DOCUMENT_LIMITS } from './limits.js';

/** The SDL files in schema/, concatenated in name order (one file per domain). */
export function loadTypeDefs(dir = schemaDir): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Listens on the given port (0: any free one) and resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish, then stops Apollo. The database is the caller's. */
  stop(): Promise<void>;
}

export { DOCUMENT_LIMITS } from './limits.js';

/** Marks a document refused by a limit, so that formatError gives it LIMIT_EXCEEDED whatever Apollo wrapped it in. */
class DocumentLimitError extends Error {
  override name = 'DocumentLimitError';
}

/** graphql-armor reports a limit as a plain validation error; ours is recognisable by its original error. */
function limitExceeded(ctx: ValidationContext | null, err: GraphQLError) {
  const message = err.message.replace(/^Syntax Error: /, '');
  ctx?.reportError(new GraphQLError(message, { originalError: new DocumentLimitError(message) }));
}

function isLimitError(error: unknown): boolean {
  for (let e = error as { originalError?: unknown } | undefined; e; e = e.originalError as typeof e) {
    if (e instanceof DocumentLimitError) return true;
  }
  return false;
}

function armor(production: boolean) {
  const reject = { onReject: [limitExceeded], propagateOnRejection: false };
  return new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ...reject },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reject },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reject },
    // Tokens are counted by our own middleware (tokenLimit) so the refusal is a clean 400.
    maxTokens: { enabled: false },
    // Cost is ours (src/cost.ts): it multiplies by list sizes and needs the request's variables.
    costLimit: { enabled: false },
    // Field suggestions help developers and help attackers map a schema; off in production.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/**
 * Refuses operations of a type the schema does not have (subscription): graphql-js 16 only notices at
 * execution, where the error has no code and was masked as INTERNAL_SERVER_ERROR. graphql-js 17 has this
 * rule built in (KnownOperationTypesRule).
 */
export function knownOperationTypes(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        context.reportError(
          new GraphQLError(`The schema does not support ${node.operation} operations`, { nodes: node }),
        );
      }
    },
  };
}

/**
 * Client errors that reach formatError without a code (and would be masked as internal): Apollo's own
 * request errors (persisted-query misuse) carry an HTTP 4xx status but no code, and graphql-js gives up
 * coercing variables after 50 invalid values with an error Apollo does not mark as the client's.
 */
function uncodedClientError(error: unknown): string | undefined {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return 'BAD_REQUEST';
  // Duck-typed: under the test runner, graphql-js may be loaded twice (ESM and CommonJS).
  const { message, path } = (error ?? {}) as { message?: unknown; path?: unknown };
  if (!path && typeof message === 'string' && /^Too many errors processing variables/.test(message)) {
    return ErrorCode.BAD_USER_INPUT;
  }
  return undefined;
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
    res.status(406).json({
      errors: [
        {
          message:
            "An 'accept' header was provided for this request which does not accept application/json or application/graphql-response+json",
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
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
          res.status(400).json({
            errors: [
              {
                message: `Token limit of ${max} exceeded`,
                extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: max },
              },
            ],
          });
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

/** Adds the request's database round trips to `extensions` outside production, for investigators and tests. */
function roundTripsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              roundTrips: contextValue.roundTrips(),
            };
          }
        },
      };
    },
  };
}

/** The client's x-request-id when it is one we keep (1 to 128 letters, digits or . : _ -). */
export function clientRequestId(headers: http.IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : undefined;
}

export async function createAppServer(config: Config, logger: Logger, db: Database): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const production = config.env === 'production';

  // Who a request comes from (failed key attempts are counted per address): the socket's address, or
  // X-Forwarded-For only from the proxies TRUST_PROXY names.
  app.set('trust proxy', config.trustProxy);

  app.use(
    pinoHttp({
      logger,
      // The server's own id for every request (logs, audit records); a client's x-request-id is kept
      // beside it as clientRequestId and echoed as x-client-request-id, never used instead.
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
    }),
  );

  app.get('/healthz', async (req, res) => {
    const services = createServices({
      executor: db.executor,
      driver: db.driver,
      uri: db.uri,
      environment: config.env,
    });
    const database = await services.system.health();
    const up = database.status === 'up';
    // Anyone may ask: the answer says up or down, never the Bolt URI or a driver's error (the log has them).
    if (!up) req.log.warn({ database }, 'health check: the database is down');
    res.status(up ? 200 : 503).json({
      status: up ? 'ok' : 'unavailable',
      version: packageVersion,
      database: up ? { status: database.status, latencyMs: database.latencyMs } : { status: database.status },
    });
  });

  const authenticator = new Authenticator(db.executor);
  const protection = armor(production);
  const plugins: ApolloServerPlugin<RequestContext>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    ...(protection.plugins as ApolloServerPlugin<RequestContext>[]),
  ];
  plugins.push(
    config.introspection
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
  );
  plugins.push(costPlugin(DOCUMENT_LIMITS.maxCost), responseSizePlugin(config.maxResponseBytes));
  if (!production) plugins.push(roundTripsPlugin());

  const apollo = new ApolloServer<RequestContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    validationRules: [...protection.validationRules, knownOperationTypes],
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: makeFormatError(logger, !production),
    plugins,
    logger,
  });
  await apollo.start();

  // Who is asking is settled from the headers before the body is read: readers (anonymous, viewer) may send
  // small bodies only, writers (analyst, admin) source-sized ones. The context reuses the same answer.
  const viewers = new WeakMap<express.Request, Promise<Viewer>>();
  const viewerOf = (req: express.Request) => {
    let viewer = viewers.get(req);
    if (!viewer) {
      const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      viewer = authenticator.viewerFor(req.headers, client).catch((err: unknown) => {
        // Checking an uncached key needs the database: while it is down, say so with 503, not 500.
        if (err instanceof AppError && err.code === ErrorCode.DATABASE_UNAVAILABLE) {
          throw new AppError(ErrorCode.DATABASE_UNAVAILABLE, err.message, { http: { status: 503 } });
        }
        throw err;
      });
      viewers.set(req, viewer);
    }
    return viewer;
  };
  const readerBody = express.json({ limit: Math.min(BODY_LIMITS.readerBytes, config.maxBodyBytes) });
  const writerBody = express.json({ limit: config.maxBodyBytes });
  const bodyByRole: express.RequestHandler = (req, res, next) => {
    viewerOf(req).then(
      (viewer) => (atLeast(viewer, 'analyst') ? writerBody : readerBody)(req, res, next),
      // A bad key is answered by Apollo (from the context) once the small body is read.
      () => readerBody(req, res, next),
    );
  };

  app.use(
    '/graphql',
    cors<cors.CorsRequest>(config.corsOrigins.length ? { origin: config.corsOrigins } : { origin: false }),
    acceptableResponse(),
    bodyByRole,
    tokenLimit(DOCUMENT_LIMITS.maxTokens),
    writeTimeout(config.writeTimeoutMs),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = String(req.id);
        const viewer = await viewerOf(req);
        const executor = db.executor.forRequest(
          requestId,
          clearance(viewer.role),
          clientRequestId(req.headers),
        );
        return {
          requestId,
          logger: req.log,
          viewer,
          services: createServices({
            executor,
            driver: db.driver,
            uri: db.uri,
            environment: config.env,
            viewer,
            onKeyRevoked: () => authenticator.clear(),
          }),
          roundTrips: () => executor.roundTrips.count,
        };
      },
    }),
  );

  // The graph explorer (a static page calling /graphql) at `/`.
  app.use(explorerRouter(config.explorerDir, logger));

  // Body-parser failures (too large, malformed JSON) answered as GraphQL-shaped JSON with a stable code.
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (res.headersSent) return next(err);
    if (e.type === 'entity.too.large') {
      const limit = (e as { limit?: number }).limit ?? config.maxBodyBytes;
      const readers = limit < config.maxBodyBytes ? ' for anonymous callers and viewers' : '';
      res.status(413).json({
        errors: [
          {
            message: `Request body is larger than the limit of ${limit} bytes${readers}`,
            extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit },
          },
        ],
      });
      return;
    }
    if (e.status && e.status >= 400 && e.status < 500) {
      res
        .status(e.status)
        .json({ errors: [{ message: e.message ?? 'Bad request', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    req.log.error({ err }, 'unhandled HTTP error');
    res.status(500).json({
      errors: [{ message: 'Internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
    });
  });

  return {
    app,
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const addr = httpServer.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve(`http://${shownHost}:${addr.port}`);
        });
      }),
    stop: () => apollo.stop(),
  };
}
