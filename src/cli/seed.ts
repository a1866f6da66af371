import { loadConfig } from '../config.js';
import { openDatabase } from '../graph/database.js';
import { migrate } from '../graph/migrate.js';
import { BundleError } from '../io/bundle/resolve.js';
import { createLogger } from '../logger.js';
import { loadBundle, SAMPLE_BUNDLE } from '../services/bundles.js';

/** `npm run seed [FILE]`: (re)loads the sample bundle, or the given one. Idempotent. */
const file = process.argv[2] ?? SAMPLE_BUNDLE;
const config = loadConfig();
const logger = createLogger(config.logLevel, 'seed');
const db = await openDatabase(config, logger);
try {
  await migrate(db.executor, logger);
  const r = await loadBundle(db.executor, file, { force: true, logger });
  console.log(`Loaded ${file} in ${r.ms} ms: ${JSON.stringify(r.counts)}`);
} catch (err) {
  console.error(err instanceof BundleError ? err.message : (err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
