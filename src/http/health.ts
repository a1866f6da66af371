import type express from 'express';
import type { Database } from '../graph/database.js';
import { createServices } from '../services/index.js';
import { packageVersion } from '../version.js';

/**
 * GET /healthz: 200 while the database answers, 503 while it does not. Anyone may ask: the answer says
 * up or down, never the Bolt URI or a driver's error (the log has them).
 */
export function healthRoute(db: Database, environment: string): express.RequestHandler {
  return async (req, res) => {
    const services = createServices({ executor: db.executor, driver: db.driver, uri: db.uri, environment });
    const database = await services.system.health();
    const up = database.status === 'up';
    if (!up) req.log.warn({ database }, 'health check: the database is down');
    res.status(up ? 200 : 503).json({
      status: up ? 'ok' : 'unavailable',
      version: packageVersion,
      database: up ? { status: database.status, latencyMs: database.latencyMs } : { status: database.status },
    });
  };
}
