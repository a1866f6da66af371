import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../graph/database.js';
import { passwordFile } from '../graph/embedded-password.js';
import { migrate } from '../graph/migrate.js';
import { ProgressLine } from './output.js';
import { firstLine } from './usage.js';

/** How kg reaches the graph: NEO4J_URI, or the embedded Neo4j on NEO4J_DATA_DIR; always closed after. */

/** The process's logger: pino at warn (unless LOG_LEVEL says otherwise), on stderr so stdout stays data. */
export function cliLogger(level: string): Logger {
  return pino({ name: 'kg', level }, pino.destination({ dest: 2, sync: true }));
}

/** Opens the database (migrating when asked), runs the work, and always closes it. */
export async function withDatabase<T>(
  opts: { migrate: boolean },
  work: (db: Database, logger: Logger) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn' });
  const logger = cliLogger(config.logLevel);
  const progress = new ProgressLine('');
  if (!config.neo4j.uri) progress.note(`starting the embedded Neo4j in ${config.neo4j.embedded.dataDir} ...`);
  let db: Database;
  try {
    db = await openDatabase(config, logger);
  } catch (err) {
    throw explainOpenError(err, config);
  } finally {
    progress.clear();
  }
  const stop = () => {
    void db.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (opts.migrate) await migrate(db.executor, logger);
    return await work(db, logger);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await db.close();
  }
}

/** An embedded store held by a running server is the usual reason kg cannot start: say what to do. */
export function explainOpenError(err: unknown, config: Config): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (
    !config.neo4j.uri &&
    /Another Neo4j process|StoreLocked|store_lock|Unable to get lock|FileLock/i.test(message)
  ) {
    const file = passwordFile(config.neo4j.embedded.dataDir);
    return new Error(
      `the embedded Neo4j data folder ${config.neo4j.embedded.dataDir} is locked by a running process ` +
        '(probably the server): set NEO4J_URI to its Bolt URI (logged at startup as neo4jUri)' +
        (existsSync(file) && !config.neo4j.password
          ? ` and NEO4J_PASSWORD to the password kept in ${file}`
          : '') +
        ' and run kg again',
    );
  }
  if (!config.neo4j.uri) {
    return new Error(
      `could not start the embedded Neo4j: ${firstLine(message)} (or set NEO4J_URI to a running Neo4j)`,
    );
  }
  return new Error(`${firstLine(message)} (NEO4J_URI=${config.neo4j.uri})`);
}

export async function readable(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new Error(`cannot read ${file}: no such file`);
  }
}
