import neo4j, { type Driver } from 'neo4j-driver';
import type { Logger } from '../logger.js';

export type { Driver };

export interface DriverOptions {
  uri: string;
  user: string;
  password: string | undefined;
  logger?: Logger;
}

/** One driver per process. Short acquisition and retry limits so that a dead database is reported
 * promptly (DATABASE_UNAVAILABLE) instead of requests hanging for the driver's 60 s defaults. */
export function createDriver(opts: DriverOptions): Driver {
  const auth = opts.password ? neo4j.auth.basic(opts.user, opts.password) : undefined;
  return neo4j.driver(opts.uri, auth, {
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: 5_000,
    userAgent: 'hr-knowledge-graph/0.1',
    logging: opts.logger
      ? {
          level: 'warn',
          logger: (level, message) =>
            opts.logger![level === 'error' ? 'error' : 'warn']({ neo4j: true }, message),
        }
      : undefined,
  });
}
