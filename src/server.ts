import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { Config } from './config.js';
import type { RequestContext } from './context.js';
import { explorerRouter } from './explorer.js';
import type { Database } from './graph/database.js';
import { startApollo } from './http/apollo.js';
import { httpErrorHandler } from './http/errors.js';
import { ExportSlots, exportRoute } from './http/export-route.js';
import { writeTimeout } from './http/guards.js';
import { healthRoute } from './http/health.js';
import {
  acceptableResponse,
  clientRequestId,
  requestLogger,
  tokenLimit,
  ViewerGate,
} from './http/middleware.js';
import { DOCUMENT_LIMITS } from './limits.js';
import type { Logger } from './logger.js';
import { clearance } from './model/access.js';
import { createServices } from './services/index.js';
import { Authenticator } from './services/keys.js';

/**
 * The wiring of the HTTP service: what is mounted where, in which order. Each piece lives in src/http
 * (middleware, the Apollo server and its plugins, error bodies, health).
 */

export { loadTypeDefs } from './http/apollo.js';
export { DOCUMENT_LIMITS } from './limits.js';

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** Exports over HTTP running now, per key and in all (GET /export/{format}). */
  exports: ExportSlots;
  /** Listens on the given port (0: any free one) and resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish, then stops Apollo. The database is the caller's. */
  stop(): Promise<void>;
}

export async function createAppServer(config: Config, logger: Logger, db: Database): Promise<AppServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  // Who a request comes from (failed key attempts are counted per address): the socket's address, or
  // X-Forwarded-For only from the proxies TRUST_PROXY names.
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger));
  app.get('/healthz', healthRoute(db, config.env));

  const apollo = await startApollo(config, logger, httpServer);
  const authenticator = new Authenticator(db.executor);
  const gate = new ViewerGate(authenticator, config.maxBodyBytes);

  app.use(
    '/graphql',
    cors<cors.CorsRequest>(config.corsOrigins.length ? { origin: config.corsOrigins } : { origin: false }),
    acceptableResponse(),
    gate.bodyByRole,
    tokenLimit(DOCUMENT_LIMITS.maxTokens),
    writeTimeout(config.writeTimeoutMs),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        const requestId = String(req.id);
        const viewer = await gate.viewerOf(req);
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

  // Exports (kg export's formats) streamed to API keys, audited; no CORS: a download, not a browser API.
  const exports = new ExportSlots();
  app.all(
    '/export{/:format}',
    exportRoute({ db, gate, slots: exports, writeTimeoutMs: config.writeTimeoutMs }),
  );

  // The graph explorer (a static page calling /graphql) at `/`.
  app.use(explorerRouter(config.explorerDir, logger));
  app.use(httpErrorHandler(config.maxBodyBytes));

  return {
    app,
    httpServer,
    apollo,
    exports,
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
