import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrate.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { loadBundle, SAMPLE_BUNDLE } from '../src/services/bundles.js';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string;
    neo4jPassword: string;
    neo4jStartMs: number;
  }
}

/**
 * Starts one real Neo4j for the test run (the embedded 5.26 in .neo4j/test, or the one NEO4J_URI names),
 * applies migrations and hands the URI to the test files. No test uses a mock of the database.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NEO4J_DATA_DIR: process.env.TEST_NEO4J_DATA_DIR ?? path.join(projectRoot, '.neo4j/test'),
    NEO4J_HEAP: process.env.NEO4J_HEAP ?? '1g',
  });
  const logger = createLogger(config.logLevel, 'test-setup');
  const db = await openDatabase(config, logger);
  await migrate(db.executor, logger);
  // The sample graph, as `npm start` loads it: tests read it, never change it.
  await loadBundle(db.executor, SAMPLE_BUNDLE, { logger });
  const ms = Date.now() - started;
  console.log(
    `[setup] Neo4j at ${db.uri} ready, migrated and seeded in ${ms} ms${db.embedded ? ' (embedded)' : ''}`,
  );
  project.provide('neo4jUri', db.uri);
  project.provide('neo4jPassword', config.neo4j.password ?? '');
  project.provide('neo4jStartMs', db.embedded?.startMs ?? 0);
  return async () => {
    await db.close();
  };
}
