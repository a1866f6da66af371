/**
 * Our API for the scale benchmark, in its own process (so its peak RSS is its own): the real server
 * (createAppServer: Express + Apollo + services) over the bench store, NODE_ENV=development so responses
 * carry extensions.roundTrips. GET /__bench/recorded returns the statements run since the last call
 * (Cypher + parameters), which the floor replays.
 *
 *   tsx bench/api-server.ts <bolt-uri>      prints "READY <url>" when listening
 */
import express from 'express';
import { loadConfig } from '../src/config.js';
import { createDriver } from '../src/graph/driver.js';
import { Executor } from '../src/graph/executor.js';
import { createLogger } from '../src/logger.js';
import { createAppServer } from '../src/server.js';
import { paramsToJson, recordingDriver } from './recording-driver.js';

const uri = process.argv[2];
if (!uri) throw new Error('usage: api-server.ts <bolt-uri>');
const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', NEO4J_URI: uri });
const logger = createLogger(config.logLevel, 'bench-api');
const rec = recordingDriver(createDriver({ uri, user: config.neo4j.user, password: undefined }));
const executor = new Executor(rec.driver, {
  database: config.neo4j.database,
  txTimeoutMs: config.neo4j.txTimeoutMs,
  logger,
});
const db = { uri, driver: rec.driver, executor, embedded: undefined, close: () => rec.driver.close() };
const server = await createAppServer(config, logger, db);
server.app.get('/__bench/recorded', (_req: express.Request, res: express.Response) => {
  res.json({
    count: rec.count(),
    statements: rec.recorded.splice(0).map((r) => ({ ...r, params: paramsToJson(r.params) })),
  });
});
const url = await server.listen(0, '127.0.0.1');
console.log(`READY ${url}`);
process.on('SIGTERM', () => {
  void server.stop().then(() => db.close().then(() => process.exit(0)));
});
