import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrate.js';
import { warmPlans } from '../src/graph/stores/warm-up.js';
import { createLogger } from '../src/logger.js';
import { projectRoot } from '../src/paths.js';
import { loadBundle, SAMPLE_BUNDLE } from '../src/services/import.js';

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
interface Shared {
  uri: string;
  password: string;
  startMs: number;
  users: number;
  close: () => Promise<void>;
}

/**
 * The integration, e2e and integrity projects each name this setup; all run in Vitest's main process, so the others
 * reuse the Neo4j the first started (one store folder holds one Neo4j), and the last to finish stops it.
 */
const shared = globalThis as { __hrkgTestNeo4j?: Promise<Shared> };

export default async function setup(project: TestProject) {
  shared.__hrkgTestNeo4j ??= start();
  const neo4j = await shared.__hrkgTestNeo4j;
  neo4j.users += 1;
  project.provide('neo4jUri', neo4j.uri);
  project.provide('neo4jPassword', neo4j.password);
  project.provide('neo4jStartMs', neo4j.startMs);
  return async () => {
    neo4j.users -= 1;
    if (neo4j.users === 0) {
      delete shared.__hrkgTestNeo4j;
      await neo4j.close();
    }
  };
}

async function start(): Promise<Shared> {
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
  // As `npm start` does after listening: the slow-to-plan statements planned before the suites ask.
  const warm = await warmPlans(db.executor);
  console.log(`[setup] ${warm.planned} query plans warmed in ${warm.ms} ms`);
  const ms = Date.now() - started;
  console.log(
    `[setup] Neo4j at ${db.uri} ready, migrated and seeded in ${ms} ms${db.embedded ? ' (embedded)' : ''}`,
  );
  return {
    uri: db.uri,
    password: config.neo4j.password ?? '',
    startMs: db.embedded?.startMs ?? 0,
    users: 0,
    close: () => db.close(),
  };
}
