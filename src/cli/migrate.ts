import { loadConfig } from '../config.js';
import { openDatabase } from '../graph/database.js';
import { migrate } from '../graph/migrate.js';
import { createLogger } from '../logger.js';

/** `npm run db:migrate`: applies pending migrations to NEO4J_URI, or to the embedded Neo4j's data folder. */
const config = loadConfig();
const logger = createLogger(config.logLevel, 'migrate');
const db = await openDatabase(config, logger);
try {
  const report = await migrate(db.executor, logger);
  console.log(
    report.applied.length
      ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
      : `Nothing to apply: all ${report.alreadyApplied.length} migrations are already recorded in the graph.`,
  );
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
