import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDriver, type Driver } from './driver.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from './embedded.js';
import { resolveEmbeddedPassword } from './embedded-password.js';
import { Executor } from './executor.js';

export interface Database {
  uri: string;
  driver: Driver;
  executor: Executor;
  /** Present when this process started Neo4j itself. */
  embedded: EmbeddedNeo4j | undefined;
  /** Closes the driver, then stops the embedded Neo4j if we started it. */
  close(): Promise<void>;
}

export interface DatabaseHealth {
  status: 'up' | 'down';
  uri: string;
  latencyMs?: number;
  version?: string;
  error?: string;
}

/** Uses NEO4J_URI when set; otherwise starts the embedded Neo4j and waits until Bolt answers. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedNeo4j | undefined;
  let uri = config.neo4j.uri;
  let password = config.neo4j.password;
  if (!uri) {
    const e = config.neo4j.embedded;
    logger.info({ dataDir: e.dataDir }, 'NEO4J_URI not set: starting the embedded Neo4j 5.26');
    const resolved = resolveEmbeddedPassword({
      dataDir: e.dataDir,
      configured: config.neo4j.password,
      production: config.env === 'production',
    });
    password = resolved.password;
    if (resolved.source === 'generated') {
      logger.warn(
        { passwordFile: resolved.file },
        'no NEO4J_PASSWORD in production: generated a password for the embedded Neo4j and kept it in the data folder (mode 0600)',
      );
    } else if (resolved.source === 'file') {
      logger.info({ passwordFile: resolved.file }, 'embedded Neo4j password read from the data folder');
    } else if (resolved.source === 'none') {
      logger.info('the embedded Neo4j runs without authentication outside production (NEO4J_PASSWORD unset)');
    }
    embedded = await startEmbeddedNeo4j({
      dataDir: e.dataDir,
      boltPort: e.boltPort,
      password,
      heap: e.heap,
      pagecache: e.pagecache,
      startTimeoutMs: e.startTimeoutMs,
      txTimeoutSeconds: Math.ceil((config.neo4j.txTimeoutMs * 2) / 1000),
      log: (msg) => logger.info(msg),
    });
    uri = embedded.uri;
    logger.info({ startMs: embedded.startMs, pid: embedded.pid }, `embedded Neo4j ready at ${uri}`);
  }
  const driver = createDriver({ uri, user: config.neo4j.user, password, logger });
  try {
    await driver.verifyConnectivity({ database: config.neo4j.database });
  } catch (err) {
    await driver.close();
    await embedded?.stop();
    throw new Error(`Cannot reach Neo4j at ${uri}: ${(err as Error).message}`, { cause: err });
  }
  logger.info({ neo4jUri: uri, database: config.neo4j.database }, `connected to Neo4j at ${uri}`);
  const executor = new Executor(driver, {
    database: config.neo4j.database,
    txTimeoutMs: config.neo4j.txTimeoutMs,
    logger,
  });
  return {
    uri,
    driver,
    executor,
    embedded,
    async close() {
      await driver.close();
      if (embedded) {
        await embedded.stop();
        logger.info('embedded Neo4j stopped');
      }
    },
  };
}

/** A cheap round trip with a short deadline, for /healthz. */
export async function checkHealth(
  driver: Driver,
  uri: string,
  database: string,
  timeoutMs = 2_000,
): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      (async () => {
        const session = driver.session({ database });
        try {
          await session.run(
            'RETURN 1',
            {},
            { timeout: timeoutMs, metadata: { app: 'hrkg', operation: 'health' } },
          );
        } finally {
          await session.close();
        }
        return driver.getServerInfo({ database });
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return {
      status: 'up',
      uri,
      latencyMs: Math.round(performance.now() - started),
      version: info.agent ?? undefined,
    };
  } catch (err) {
    return { status: 'down', uri, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
