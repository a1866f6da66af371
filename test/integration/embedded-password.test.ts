import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/graph/database.js';
import { passwordFile, resolveEmbeddedPassword } from '../../src/graph/embedded-password.js';
import { statement } from '../../src/graph/executor.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';

/**
 * The embedded Neo4j never runs open in production: without NEO4J_PASSWORD a password is generated once,
 * kept in the data folder (0600) and reused, by the server and the kg command line alike. The last test
 * starts embedded Neo4j instances of its own in a temporary folder (not the run's shared one).
 */

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'hrkg-password-'));
  dirs.push(d);
  return d;
};
const mode = (file: string) => statSync(file).mode & 0o777;

describe('the embedded Neo4j password', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is generated once in production, kept with mode 0600 in the data folder, then reused', () => {
    const dataDir = path.join(tmp(), 'data');
    const first = resolveEmbeddedPassword({ dataDir, configured: undefined, production: true });
    expect(first.source).toBe('generated');
    expect(first.file).toBe(passwordFile(dataDir));
    expect(first.password).toMatch(/^[\w-]{43}$/);
    expect(mode(first.file)).toBe(0o600);
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.password);

    const again = resolveEmbeddedPassword({ dataDir, configured: undefined, production: true });
    expect(again).toEqual({ ...first, source: 'file' });
    // A store once protected stays protected, whatever NODE_ENV a later command runs with.
    expect(resolveEmbeddedPassword({ dataDir, configured: undefined, production: false })).toEqual(again);
    // NEO4J_PASSWORD, when set, is used as given.
    expect(resolveEmbeddedPassword({ dataDir, configured: 'given', production: true })).toMatchObject({
      password: 'given',
      source: 'config',
    });
  });

  it('keeps development and test without a password (and without a file) unless one is kept', () => {
    const dataDir = path.join(tmp(), 'data');
    const none = resolveEmbeddedPassword({ dataDir, configured: undefined, production: false });
    expect(none).toMatchObject({ password: undefined, source: 'none' });
    expect(() => statSync(none.file)).toThrow();
  });

  it('makes a password file others can read private again', () => {
    const dataDir = tmp();
    const { file, password } = resolveEmbeddedPassword({ dataDir, configured: undefined, production: true });
    chmodSync(file, 0o644);
    expect(resolveEmbeddedPassword({ dataDir, configured: undefined, production: true }).password).toBe(
      password,
    );
    expect(mode(file)).toBe(0o600);
  });

  it('starts a production store whose Bolt port refuses drivers without the password; kg reuses it', async () => {
    const dataDir = tmp();
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      NEO4J_DATA_DIR: dataDir,
      NEO4J_HEAP: '512m',
      NEO4J_PAGECACHE: '32m',
    };
    const db = await openDatabase(loadConfig(env), createLogger('silent'));
    let password: string;
    try {
      for (const auth of [undefined, neo4j.auth.basic('neo4j', 'neo4j')]) {
        const stranger = neo4j.driver(db.uri, auth, { connectionTimeout: 5_000 });
        try {
          await expect(stranger.verifyConnectivity()).rejects.toThrow(/auth|unauthori|credentials/i);
        } finally {
          await stranger.close();
        }
      }
      const file = passwordFile(dataDir);
      expect(mode(file)).toBe(0o600);
      password = readFileSync(file, 'utf8').trim();
      // The service's own driver got the password.
      const [row] = await db.executor.read(statement('test.password.ping', 'RETURN 1 AS one'));
      expect(row).toEqual({ one: 1 });
    } finally {
      await db.close();
    }

    // kg opening the same store (here as in development) resolves the same password: Neo4j starts with
    // authentication again, and kg's own driver logs in with the kept password.
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot, 'src/cli/kg.ts'), 'migrate'],
        {
          cwd: projectRoot,
          env: {
            ...process.env,
            ...env,
            NODE_ENV: 'development',
            LOG_LEVEL: 'info',
            NEO4J_URI: '',
            NEO4J_PASSWORD: '',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stderr).toContain('embedded Neo4j password read from the data folder');
    expect(run.stderr).not.toContain(password);
    expect(readFileSync(passwordFile(dataDir), 'utf8').trim()).toBe(password);
  }, 400_000);
});
