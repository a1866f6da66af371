import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The password of the embedded Neo4j. Without one its Bolt port is open to anyone who can reach it (any
 * local user or process), who could rewrite the graph and its audit log. Resolution, the same for the
 * server and every CLI that opens the store:
 *
 * 1. NEO4J_PASSWORD, when set;
 * 2. else the password kept in the data folder (PASSWORD_FILE), when there is one, in any environment,
 *    so that a store once protected stays protected;
 * 3. else, in production, a new random password (256 bits), written to that file (mode 0600) and used
 *    from then on;
 * 4. else (development, test) none: authentication stays off, as before.
 */

export const PASSWORD_FILE = 'neo4j-password';

export interface EmbeddedPassword {
  password: string | undefined;
  source: 'config' | 'file' | 'generated' | 'none';
  /** The password file (whether or not it was used). */
  file: string;
}

export function passwordFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), PASSWORD_FILE);
}

export function resolveEmbeddedPassword(opts: {
  dataDir: string;
  configured: string | undefined;
  production: boolean;
}): EmbeddedPassword {
  const file = passwordFile(opts.dataDir);
  if (opts.configured) return { password: opts.configured, source: 'config', file };
  const kept = readKept(file);
  if (kept) return { password: kept, source: 'file', file };
  if (!opts.production) return { password: undefined, source: 'none', file };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const password = randomBytes(32).toString('base64url');
  try {
    // wx: never overwrite one another process has just written; mode applies to the new file.
    writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const other = readKept(file);
      if (other) return { password: other, source: 'file', file };
    }
    throw err;
  }
  return { password, source: 'generated', file };
}

/** The kept password, its file made private (0600) if it was not; undefined when there is none. */
function readKept(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const password = readFileSync(file, 'utf8').trim();
  if (!password) throw new Error(`${file} is empty: delete it to have a new password generated`);
  return password;
}
