import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './graph/database.js';
import { migrate } from './graph/migrate.js';
import { warmPlans } from './graph/stores/warm-up.js';
import { BundleError } from './io/bundle/resolve.js';
import { createLogger, type Logger } from './logger.js';
import { loadBundle, SAMPLE_BUNDLE } from './services/import.js';
import { createAppServer, type AppServer } from './server.js';

/** `npm start`: Neo4j (embedded unless NEO4J_URI is set), migrations, the sample graph, then HTTP. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  let db: Database | undefined;
  let server: AppServer | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining HTTP, closing the driver, stopping Neo4j');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 40 s; exiting');
      process.exit(1);
    }, 40_000);
    force.unref();
    try {
      await server?.stop();
      await db?.close();
    } finally {
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    db = await openDatabase(config, logger);
    const report = await migrate(db.executor, logger);
    logger.info(
      { applied: report.applied.length, alreadyApplied: report.alreadyApplied.length },
      'migrations done',
    );
    if (config.loadSample) await loadSample(db, logger);
    server = await createAppServer(config, logger, db);
    const url = await server.listen(config.port, config.host);
    logger.info(
      { url: `${url}/graphql`, neo4jUri: db.uri },
      `GraphQL ready at ${url}/graphql (Neo4j Bolt: ${db.uri})`,
    );
    // In the background: the conflict and statistics statements planned before the first request needs them.
    void warmPlans(db.executor).then((r) => logger.info(r, 'query plans warmed'));
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    await db?.close().catch(() => {});
    process.exit(1);
  }
}

/**
 * Loads the sample graph unless this exact file was loaded before. A sample that would change evidence
 * already stored (an older sample's claims) is refused by the loader; the service starts without it.
 */
async function loadSample(db: Database, logger: Logger): Promise<void> {
  try {
    const sample = await loadBundle(db.executor, SAMPLE_BUNDLE, { logger });
    logger.info(sample.loaded ? 'sample graph loaded' : 'sample graph already present');
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    logger.error(
      { problems: err.problems.slice(0, 20) },
      'sample graph not reloaded: it would change evidence already stored (nothing was written)',
    );
  }
}

void main();
