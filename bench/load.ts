/**
 * A bounded mixed read/write load on loopback: autocannon against the real server and embedded Neo4j.
 * Reports errors (target 0), latency percentiles, throughput and the API process's memory growth.
 *
 *   npm run bench:load -- --duration 60 --connections 8
 *
 * Not part of the test suite: numbers go to bench/results/<date>-load.json and bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createDriver } from '../src/graph/driver.js';
import { startEmbeddedNeo4j } from '../src/graph/embedded.js';
import { Executor } from '../src/graph/executor.js';
import { migrate } from '../src/graph/migrate.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { KeyService } from '../src/services/keys.js';
import { loadBundle, SAMPLE_BUNDLE } from '../src/services/import.js';
import { createAppServer } from '../src/server.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    'write-share': { type: 'string', default: '0.2' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const writeShare = Number(values['write-share']);
if (!(
  duration > 0 &&
  duration <= 600 &&
  connections > 0 &&
  connections <= 64 &&
  writeShare >= 0 &&
  writeShare <= 1
)) {
  console.error('usage: bench/load.ts --duration 1..600 --connections 1..64 --write-share 0..1');
  process.exit(2);
}

const READS = [
  '{ search(query: "Daraa") { edges { node { score node { id } } } } }',
  '{ provenance(id: "ev-amnesty-decree-2022") { claims { summary excerpts { exact start end } } sources { title } } }',
  '{ events(filter: { placeId: "pl-syria" }) { edges { node { name involvements { role from { name } } } } } }',
  '{ neighborhood(id: "ev-amnesty-releases-2022", depth: 2) { nodes { id } edges { claims { id } } } }',
  '{ conflicts { edges { node { property claims { figure { value } } } } } }',
];
const CREATE = `mutation($input: CreateEntityInput!, $key: String) { createEntity(input: $input, idempotencyKey: $key) { id } }`;

const logger = createLogger('warn', 'bench-load');
const neo4j = await startEmbeddedNeo4j({
  dataDir: path.join(projectRoot, '.neo4j/bench-load'),
  heap: '1g',
  pagecache: '256m',
});
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', NEO4J_URI: neo4j.uri });
const driver = createDriver({ uri: neo4j.uri, user: 'neo4j', password: undefined });
const executor = new Executor(driver, { database: 'neo4j', txTimeoutMs: 30_000, logger });
await migrate(executor);
await loadBundle(executor, SAMPLE_BUNDLE);
const key = await new KeyService(executor, { role: 'admin', keyId: null, name: 'bench' }).create(
  'analyst',
  'bench-load',
);
const db = { uri: neo4j.uri, driver, executor, embedded: undefined, close: () => driver.close() };
const server = await createAppServer(config, logger, db);
const url = await server.listen(0, '127.0.0.1');

let seq = 0;
const run = Date.now().toString(36);
const rssBefore = process.memoryUsage().rss;
let graphqlErrors = 0;
const result = await autocannon({
  url: `${url}/graphql`,
  connections,
  duration,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}` },
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        seq += 1;
        const body =
          Math.random() < writeShare
            ? {
                query: CREATE,
                variables: {
                  input: { kind: 'EVENT', type: 'other', name: `Load ${run} ${seq}` },
                  key: `load-${run}-${seq}`,
                },
              }
            : { query: READS[seq % READS.length] };
        return { ...req, body: JSON.stringify(body) };
      },
      onResponse: (_status, body) => {
        if (body.includes('"errors"')) graphqlErrors += 1;
      },
    },
  ],
});
const rssAfter = process.memoryUsage().rss;

const report = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  },
  neo4j: { heap: '1g', pagecache: '256m' },
  settings: { duration, connections, writeShare },
  requests: result.requests.total,
  reqPerSec: result.requests.average,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  },
  errors: { transport: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, graphqlErrors },
  apiRssMiB: { before: +(rssBefore / 2 ** 20).toFixed(1), after: +(rssAfter / 2 ** 20).toFixed(1) },
};
console.log(JSON.stringify(report, null, 2));
const out = path.join(projectRoot, 'bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, `${report.date.slice(0, 10)}-load.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);

await server.stop();
await driver.close();
await neo4j.stop();
