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
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import type { RequestContext } from './context.js';
import { ErrorCode, PUBLIC_CODES } from './errors.js';
import type { Database } from './graph/database.js';
import type { Logger } from './logger.js';
import { schemaDir } from './paths.js';
import { resolvers } from './resolvers/index.js';
import { createServices } from './services/index.js';
import { packageVersion } from './version.js';

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

/** Limits on documents, enforced before any resolver or database work. */
export const DOCUMENT_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 10,
  maxTokens: 4000,
  maxCost: 20000,
} as const;

/** graphql-armor reports a limit as a plain validation error; ours carries a stable code instead. */
function limitExceeded(ctx: ValidationContext | null, err: GraphQLError) {
  const limited = new GraphQLError(err.message.replace(/^Syntax Error: /, ''), {
    extensions: { code: ErrorCode.LIMIT_EXCEEDED },
  });
  // Token limits are checked while parsing, where there is no validation context: throwing aborts the parse.
  if (!ctx) throw limited;
  ctx.reportError(limited);
}

function armor(production: boolean) {
  const reject = { onReject: [limitExceeded], propagateOnRejection: false };
  return new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ...reject },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reject },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reject },
    maxTokens: { n: DOCUMENT_LIMITS.maxTokens, ...reject },
    costLimit: { maxCost: DOCUMENT_LIMITS.maxCost, ...reject },
    // Field suggestions help developers and help attackers map a schema; off in production.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/**
 * Masks anything that is not an expected failure: clients get a stable code and the request id to
 * quote, the log gets the details.
 */
export function makeFormatError(logger: Logger, exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = String(formatted.extensions?.code ?? '');
    // The token limit aborts parsing, which Apollo reports as a parse failure: keep our code.
    if (code === 'GRAPHQL_PARSE_FAILED' && /Token limit of \d+ exceeded/.test(formatted.message)) {
      code = ErrorCode.LIMIT_EXCEEDED;
      formatted = {
        ...formatted,
        message: formatted.message.replace(/^Syntax Error: /, ''),
        extensions: { ...formatted.extensions, code },
      };
    }
    if (PUBLIC_CODES.has(code)) {
      // Never leak stack traces, whatever the environment.
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
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

export async function createAppServer(config: Config, logger: Logger, db: Database): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const production = config.env === 'production';

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );

  app.get('/healthz', async (_req, res) => {
    const services = createServices({
      executor: db.executor,
      driver: db.driver,
      uri: db.uri,
      environment: config.env,
    });
    const database = await services.system.health();
    res.status(database.status === 'up' ? 200 : 503).json({
      status: database.status === 'up' ? 'ok' : 'unavailable',
      version: packageVersion,
      database,
    });
  });

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
  if (!production) plugins.push(roundTripsPlugin());

  const apollo = new ApolloServer<RequestContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: makeFormatError(logger, !production),
    plugins,
    logger,
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors<cors.CorsRequest>(config.corsOrigins.length ? { origin: config.corsOrigins } : { origin: false }),
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = String(req.id);
        const executor = db.executor.forRequest(requestId);
        return {
          requestId,
          logger: req.log,
          services: createServices({ executor, driver: db.driver, uri: db.uri, environment: config.env }),
          roundTrips: () => executor.roundTrips.count,
        };
      },
    }),
  );

  // Body-parser failures (too large, malformed JSON) answered as GraphQL-shaped JSON with a stable code.
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (res.headersSent) return next(err);
    if (e.type === 'entity.too.large') {
      res.status(413).json({
        errors: [
          {
            message: `Request body is larger than the limit of ${config.maxBodyBytes} bytes`,
            extensions: { code: ErrorCode.LIMIT_EXCEEDED, limit: config.maxBodyBytes },
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
