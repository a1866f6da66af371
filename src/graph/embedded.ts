import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { neo4jDir } from '../paths.js';

/**
 * Resolves and launches the embedded Neo4j 5.26 (neo4j/pom.xml + neo4j/Launcher.java).
 * Used when NEO4J_URI is not set, by the server, the CLI and the test setup.
 */

export class EmbeddedNeo4jError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedNeo4jError';
  }
}

const HELP = `Either install Java 17+ and Maven (Debian: apt-get install -y openjdk-17-jre-headless maven),
or point the service at a Neo4j you run yourself with NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD),
or use "docker compose up" with the docker-compose.yml in the project.`;

// The flags Neo4j 5 ships in its neo4j.conf (server.jvm.additional); without them the page cache and
// Netty fall back to slow paths or fail on Java 17.
const JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+UseG1GC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dfile.encoding=UTF-8',
];

export function javaMajorVersion(): number | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out.stderr + out.stdout);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

/**
 * The runtime classpath of neo4j/pom.xml, resolved by Maven once and cached under the data folder's
 * parent, keyed by the pom's hash so that a version bump resolves again.
 */
export function resolveClasspath(cacheDir: string, log: (msg: string) => void = () => {}): string {
  const pom = path.join(neo4jDir, 'pom.xml');
  const key = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 16);
  const cacheFile = path.join(cacheDir, `classpath-${key}.txt`);
  if (existsSync(cacheFile)) {
    const cached = readFileSync(cacheFile, 'utf8').trim();
    // A cleaned ~/.m2 makes the cache stale: resolve again rather than fail at class loading.
    if (cached && cached.split(path.delimiter).every((jar) => existsSync(jar))) return cached;
  }
  const mvnCheck = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvnCheck.error || mvnCheck.status !== 0) {
    throw new EmbeddedNeo4jError(
      `Maven (mvn) is needed to fetch the embedded Neo4j jars but was not found.\n${HELP}`,
    );
  }
  log('Resolving the embedded Neo4j jars with Maven (first run only; about 170 MB)...');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  const res = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      pom,
      'dependency:build-classpath',
      `-Dmdep.outputFile=${tmp}`,
      '-Dmdep.includeScope=runtime',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  if (res.status !== 0 || !existsSync(tmp)) {
    const tail = `${res.stdout ?? ''}${res.stderr ?? ''}`.split('\n').slice(-15).join('\n');
    throw new EmbeddedNeo4jError(
      `Maven could not resolve the Neo4j jars (exit ${res.status}):\n${tail}\n${HELP}`,
    );
  }
  const cp = readFileSync(tmp, 'utf8').trim();
  writeFileSync(cacheFile, cp);
  return cp;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface EmbeddedOptions {
  /** Store folder; one process per folder (Neo4j holds a store lock). */
  dataDir: string;
  /** 0 (default) picks a free port. */
  boltPort?: number;
  password?: string | undefined;
  heap?: string;
  pagecache?: string;
  txTimeoutSeconds?: number;
  /** Memory one transaction may use (db.memory.transaction.max); default a quarter of the heap. */
  txMemory?: string;
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface EmbeddedNeo4j {
  uri: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the ready line (includes JVM start and compiling the launcher). */
  startMs: number;
  /** Milliseconds Neo4j itself reported for building the database service. */
  neo4jStartMs: number;
  process: ChildProcess;
  /** Stops with SIGTERM (Neo4j flushes and releases the store lock); SIGKILL only after the grace period. */
  stop(graceMs?: number): Promise<void>;
}

/** Bytes of a size such as 768m or 2g. */
export function parseByteSize(size: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(size.trim());
  if (!m) throw new EmbeddedNeo4jError(`Not a size: ${size}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/**
 * A quarter of the heap per transaction: one heavy request cannot fill the pool all transactions share
 * (dbms.memory.transaction.total.max, 70% of the heap by default); three at once can, and then others' statements
 * fail with DATABASE_MEMORY_LIMIT until they finish (the database itself stays up).
 */
export function defaultTxMemory(heap: string): string {
  return `${Math.max(16, Math.floor(parseByteSize(heap) / 4 / 1024 ** 2))}m`;
}

function checkJava(): void {
  const java = javaMajorVersion();
  if (java === undefined) throw new EmbeddedNeo4jError(`Java was not found on PATH.\n${HELP}`);
  if (java < 17)
    throw new EmbeddedNeo4jError(`Java ${java} is too old: the embedded Neo4j 5.26 needs Java 17+.\n${HELP}`);
}

/** The launcher's command line: JVM sizing, classpath, then Launcher.java's own options. */
function launcherArgs(opts: EmbeddedOptions, classpath: string, dataDir: string, port: number): string[] {
  return [
    `-Xms${opts.heap ?? '768m'}`,
    `-Xmx${opts.heap ?? '768m'}`,
    ...JVM_FLAGS,
    '-cp',
    classpath,
    path.join(neo4jDir, 'Launcher.java'),
    '--data-dir',
    dataDir,
    '--port',
    String(port),
    '--pagecache',
    opts.pagecache ?? '256m',
    '--tx-timeout',
    String(opts.txTimeoutSeconds ?? 60),
    '--tx-memory',
    opts.txMemory ?? defaultTxMemory(opts.heap ?? '768m'),
    '--exit-on-stdin-close',
  ];
}

/**
 * Waits for the launcher's ready line and resolves with the start time Neo4j reported; rejects (with the
 * log's tail and a hint when the store is locked) if the JVM exits first, fails to start, or takes longer
 * than timeoutMs.
 */
function whenReady(
  child: ChildProcess,
  logStream: WriteStream,
  logFile: string,
  dataDir: string,
  timeoutMs: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let reported = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedNeo4jError(`Neo4j did not start within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      logStream.write(chunk);
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line.startsWith('NEO4J_STARTED_MS ')) reported = Number(line.split(' ')[1]);
        if (line.startsWith('NEO4J_READY ')) {
          clearTimeout(timer);
          resolve(reported);
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      setTimeout(() => {
        const tail = readTail(logFile, 20);
        const hint = /StoreLocked|store_lock|Unable to get lock|FileLockException/i.test(tail)
          ? `\nAnother Neo4j process is using ${dataDir}. Stop it, or set NEO4J_DATA_DIR to another folder.`
          : '';
        reject(
          new EmbeddedNeo4jError(
            `Neo4j exited before it was ready (code ${code}, signal ${signal}).${hint}\n${tail}`,
          ),
        );
      }, 100);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new EmbeddedNeo4jError(`Could not start Java: ${err.message}\n${HELP}`));
    });
  });
}

export async function startEmbeddedNeo4j(opts: EmbeddedOptions): Promise<EmbeddedNeo4j> {
  const log = opts.log ?? (() => {});
  checkJava();
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const classpath = resolveClasspath(path.dirname(dataDir), log);
  const port = opts.boltPort && opts.boltPort > 0 ? opts.boltPort : await freePort();
  const logFile = path.join(dataDir, 'launcher.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });

  const started = Date.now();
  const env = { ...process.env };
  delete env.NEO4J_EMBEDDED_PASSWORD;
  if (opts.password) env.NEO4J_EMBEDDED_PASSWORD = opts.password;
  const child = spawn('java', launcherArgs(opts, classpath, dataDir, port), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  child.stderr!.pipe(logStream);

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const neo4jStartMs = await whenReady(child, logStream, logFile, dataDir, opts.startTimeoutMs ?? 180_000);

  const stop = async (graceMs = 30_000) => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, graceMs);
    await exitPromise;
    clearTimeout(timer);
    logStream.end();
  };

  return {
    uri: `bolt://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    startMs: Date.now() - started,
    neo4jStartMs,
    process: child,
    stop,
  };
}

function readTail(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
