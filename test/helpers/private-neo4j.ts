import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../src/graph/database.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/graph/embedded.js';
import { migrate } from '../../src/graph/migrate.js';
import { testConfig, testDatabase } from './app.js';

/** Empty Neo4j servers of a test file's own (not the shared test store), migrated, each with its Database. */
export interface PrivateNeo4j {
  dbs: Database[];
  servers: EmbeddedNeo4j[];
  close: () => Promise<void>;
}

/**
 * Starts `count` small embedded Neo4j servers in fresh temporary folders, for tests that need an empty store
 * (a restore, an export → import → export round trip). `config` adds settings to each Database's config.
 */
export async function startPrivateNeo4j(
  prefix: string,
  count: number,
  config: Record<string, string> = {},
): Promise<PrivateNeo4j> {
  const dirs = Array.from({ length: count }, (_, i) =>
    mkdtempSync(path.join(os.tmpdir(), `hrkg-${prefix}-${String.fromCharCode(97 + i)}-`)),
  );
  const servers = await Promise.all(
    dirs.map((dataDir) =>
      startEmbeddedNeo4j({
        dataDir,
        // NEO4J_HEAP sizes a server for a whole-file import (a quarter of the heap per transaction).
        heap: config.NEO4J_HEAP ?? '512m',
        pagecache: '32m',
        // The server's own limit follows the client's, as for the service (database.ts).
        ...(config.NEO4J_TX_TIMEOUT_MS
          ? { txTimeoutSeconds: Math.ceil((Number(config.NEO4J_TX_TIMEOUT_MS) * 2) / 1000) }
          : {}),
      }),
    ),
  );
  const dbs: Database[] = [];
  for (const s of servers) {
    const database = testDatabase(s.uri, testConfig({ NEO4J_URI: s.uri, ...config }));
    await migrate(database.executor);
    dbs.push(database);
  }
  return {
    dbs,
    servers,
    close: async () => {
      for (const d of dbs) await d.close();
      for (const s of servers) await s.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
