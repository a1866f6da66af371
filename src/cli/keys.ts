import { parseArgs } from 'node:util';
import { KEY_ROLES } from '../auth/roles.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../graph/database.js';
import { migrate } from '../graph/migrate.js';
import { createLogger } from '../logger.js';
import { KeyService } from '../services/auth.js';

/**
 * `npm run keys:create -- --role admin --name alice`: creates an API key and prints it once. Whoever can
 * run this on the machine holding the data is trusted as admin; this is how the first admin key is made.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'analyst' },
    name: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.name) {
  console.log(`usage: npm run keys:create -- --role ${KEY_ROLES.join('|')} --name NAME`);
  process.exit(values.help ? 0 : 2);
}
const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'keys');
const db = await openDatabase(config, logger);
try {
  await migrate(db.executor, logger);
  const key = await new KeyService(db.executor, { role: 'admin', keyId: null, name: 'cli' }).create(
    values.role!,
    values.name,
  );
  console.log(
    `Created ${key.role} key ${key.id} for ${key.name}. It is shown once; store it now:\n${key.secret}`,
  );
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
