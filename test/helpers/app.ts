import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createDriver } from '../../src/graph/driver.js';
import { Executor } from '../../src/graph/executor.js';
import { openDatabase, type Database } from '../../src/graph/database.js';
import { createLogger } from '../../src/logger.js';
import { createAppServer, type AppServer } from '../../src/server.js';

/**
 * An operation typed by codegen (test/operations/*.graphql, generated into test/generated/graphql.ts): its
 * result type comes with it.
 */
export type TypedDocument<T> = DocumentTypeDecoration<T, never>;

/**
 * Variables are sent as given, unchecked against the operation's variable types: refusal tests send what
 * those types would refuse.
 */
export type Variables = Record<string, unknown>;

export interface TestApp {
  url: string;
  server: AppServer;
  db: Database;
  config: Config;
  /**
   * POSTs a GraphQL document to /graphql and returns the parsed JSON body with the HTTP status. A generated
   * document (`CreateEntityDocument`) types the answer; a string takes the answer's type as T.
   */
  graphql<T>(
    document: TypedDocument<T>,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** A database handle on the run's Neo4j that does not own it (closing it leaves Neo4j running). */
export function testDatabase(uri = inject('neo4jUri'), config = testConfig()): Database {
  const logger = createLogger(config.logLevel, 'test');
  const driver = createDriver({ uri, user: config.neo4j.user, password: config.neo4j.password || undefined });
  const executor = new Executor(driver, {
    database: config.neo4j.database,
    txTimeoutMs: config.neo4j.txTimeoutMs,
    logger,
  });
  return { uri, driver, executor, embedded: undefined, close: () => driver.close() };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NEO4J_URI: inject('neo4jUri'),
    NEO4J_PASSWORD: inject('neo4jPassword'),
    ...overrides,
  });
}

/** The real server (Express + Apollo) on a free port, backed by the given or the run's Neo4j. */
export async function startTestApp(opts: { db?: Database; config?: Config } = {}): Promise<TestApp> {
  const config = opts.config ?? testConfig();
  const db = opts.db ?? testDatabase(config.neo4j.uri, config);
  const logger = createLogger(config.logLevel, 'test-app');
  const server = await createAppServer(config, logger, db);
  const url = await server.listen(0, '127.0.0.1');
  async function graphql(
    query: string | TypedDocument<unknown>,
    variables?: Variables,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<never>> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: String(query), variables }),
    });
    const body = (await res.json()) as Omit<GraphQLResponse<never>, 'status' | 'headers'>;
    return { status: res.status, headers: res.headers, ...body };
  }
  return {
    url,
    server,
    db,
    config,
    graphql,
    async close() {
      await server.stop();
      if (!opts.db) await db.close();
    },
  };
}

/**
 * The real server on an embedded Neo4j of its own (supervised, as `npm start` runs it), in a temp folder: for
 * tests that kill or strain the database, so that the run's shared one is never hurt. close() stops both and
 * removes the folder.
 */
export async function startOwnApp(
  overrides: Record<string, string> = {},
  prepare: (db: Database) => Promise<void> = async () => {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hrkg-own-'));
  const config = testConfig({
    NEO4J_URI: '',
    NEO4J_PASSWORD: '',
    NEO4J_DATA_DIR: dataDir,
    NEO4J_HEAP: '512m',
    NEO4J_PAGECACHE: '32m',
    ...overrides,
  });
  const db = await openDatabase(config, createLogger('silent', 'test'));
  try {
    await prepare(db);
    const app = await startTestApp({ config, db });
    return {
      ...app,
      async close() {
        await app.close();
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
