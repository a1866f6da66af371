import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDriver, type Driver } from './driver.js';
import { startEmbeddedNeo4j, type EmbeddedNeo4j, type EmbeddedOptions } from './embedded.js';
import { resolveEmbeddedPassword } from './embedded-password.js';
import { Executor } from './executor.js';

export interface Database {
  uri: string;
  driver: Driver;
  executor: Executor;
  /** Present when this process started Neo4j itself (and restarts it when it dies). */
  embedded: EmbeddedSupervisor | undefined;
  /** Closes the driver, then stops the embedded Neo4j if we started it. */
  close(): Promise<void>;
}

export interface DatabaseHealth {
  status: 'up' | 'down';
  uri: string;
  latencyMs?: number;
  version?: string;
  error?: string;
}

/**
 * Keeps the embedded Neo4j running: when its process dies (killed, out of memory) the supervisor starts it
 * again on the same Bolt port, so the driver reconnects by itself, after a backoff that doubles from 1 s to
 * 30 s (while it keeps dying within a minute of starting; one that ran longer restarts after 1 s again). It gives
 * up only after `maxRestarts` starts in a row that failed to come up, and logs every death, restart and give-up. stop() ends supervision first.
 */
export class EmbeddedSupervisor {
  /** Restarts done since the first start. */
  restarts = 0;
  private failuresInARow = 0;
  /** Backoff step: grows with each restart, back to 0 once a process has run a minute. */
  private step = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  private constructor(
    private instance: EmbeddedNeo4j,
    private readonly options: EmbeddedOptions,
    private readonly maxRestarts: number,
    private readonly logger: Logger,
    private readonly backoffMs: (attempt: number) => number,
  ) {
    this.watch();
  }

  static async start(
    options: EmbeddedOptions,
    maxRestarts: number,
    logger: Logger,
    backoffMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt),
  ): Promise<EmbeddedSupervisor> {
    const first = await startEmbeddedNeo4j(options);
    // Restarts use the port the first start got, so that the driver's URI stays right.
    return new EmbeddedSupervisor(
      first,
      { ...options, boltPort: first.port },
      maxRestarts,
      logger,
      backoffMs,
    );
  }

  get uri(): string {
    return this.instance.uri;
  }
  get pid(): number {
    return this.instance.pid;
  }
  get startMs(): number {
    return this.instance.startMs;
  }
  /** The running process (a new one after each restart). */
  get current(): EmbeddedNeo4j {
    return this.instance;
  }

  private watch() {
    const child = this.instance.process;
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      if (Date.now() - startedAt > 60_000) this.step = 0;
      this.logger.error(
        { code, signal, pid: child.pid },
        'the embedded Neo4j stopped unexpectedly; see launcher.log in its data folder',
      );
      this.schedule();
    });
  }

  private schedule() {
    if (this.stopping) return;
    if (this.failuresInARow >= this.maxRestarts) {
      this.logger.fatal(
        { restarts: this.restarts, failuresInARow: this.failuresInARow },
        'giving up on restarting the embedded Neo4j: restart the service once the cause is fixed',
      );
      return;
    }
    const delay = this.backoffMs(this.step);
    this.step += 1;
    this.logger.warn({ delayMs: delay, step: this.step }, 'restarting the embedded Neo4j');
    this.timer = setTimeout(() => {
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, delay);
    this.timer.unref();
  }

  private async restart() {
    if (this.stopping) return;
    try {
      const next = await startEmbeddedNeo4j(this.options);
      if (this.stopping) {
        await next.stop();
        return;
      }
      this.instance = next;
      this.restarts += 1;
      // A start that succeeded ends the run of failures; a process that dies again starts a new one.
      this.failuresInARow = 0;
      this.logger.warn(
        { pid: next.pid, startMs: next.startMs, restarts: this.restarts },
        `the embedded Neo4j is back at ${next.uri}`,
      );
      this.watch();
    } catch (err) {
      this.failuresInARow += 1;
      this.logger.error(
        { err, failuresInARow: this.failuresInARow },
        'the embedded Neo4j did not start again',
      );
      this.schedule();
    }
  }

  /** Ends supervision, then stops the running process. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.restarting?.catch(() => {});
    await this.instance.stop();
  }
}

/** Uses NEO4J_URI when set; otherwise starts the embedded Neo4j (supervised) and waits until Bolt answers. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedSupervisor | undefined;
  let uri = config.neo4j.uri;
  let password = config.neo4j.password;
  if (!uri) {
    const e = config.neo4j.embedded;
    logger.info({ dataDir: e.dataDir }, 'NEO4J_URI not set: starting the embedded Neo4j 5.26');
    const resolved = resolveEmbeddedPassword({
      dataDir: e.dataDir,
      configured: config.neo4j.password,
      production: config.env === 'production',
    });
    password = resolved.password;
    if (resolved.source === 'generated') {
      logger.warn(
        { passwordFile: resolved.file },
        'no NEO4J_PASSWORD in production: generated a password for the embedded Neo4j and kept it in the data folder (mode 0600)',
      );
    } else if (resolved.source === 'file') {
      logger.info({ passwordFile: resolved.file }, 'embedded Neo4j password read from the data folder');
    } else if (resolved.source === 'none') {
      logger.info('the embedded Neo4j runs without authentication outside production (NEO4J_PASSWORD unset)');
    }
    embedded = await EmbeddedSupervisor.start(
      {
        dataDir: e.dataDir,
        boltPort: e.boltPort,
        password,
        heap: e.heap,
        pagecache: e.pagecache,
        txMemory: e.txMemory,
        startTimeoutMs: e.startTimeoutMs,
        txTimeoutSeconds: Math.ceil((config.neo4j.txTimeoutMs * 2) / 1000),
        log: (msg) => logger.info(msg),
      },
      e.maxRestarts,
      logger,
    );
    uri = embedded.uri;
    logger.info({ startMs: embedded.startMs, pid: embedded.pid }, `embedded Neo4j ready at ${uri}`);
  }
  const driver = createDriver({ uri, user: config.neo4j.user, password, logger });
  try {
    await driver.verifyConnectivity({ database: config.neo4j.database });
  } catch (err) {
    await driver.close();
    await embedded?.stop();
    throw new Error(`Cannot reach Neo4j at ${uri}: ${(err as Error).message}`, { cause: err });
  }
  logger.info({ neo4jUri: uri, database: config.neo4j.database }, `connected to Neo4j at ${uri}`);
  const executor = new Executor(driver, {
    database: config.neo4j.database,
    txTimeoutMs: config.neo4j.txTimeoutMs,
    logger,
  });
  return {
    uri,
    driver,
    executor,
    embedded,
    async close() {
      await driver.close();
      if (embedded) {
        await embedded.stop();
        logger.info('embedded Neo4j stopped');
      }
    },
  };
}

/** A cheap round trip with a short deadline, for /healthz. */
export async function checkHealth(
  driver: Driver,
  uri: string,
  database: string,
  timeoutMs = 2_000,
): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      (async () => {
        const session = driver.session({ database });
        try {
          await session.run(
            'RETURN 1',
            {},
            { timeout: timeoutMs, metadata: { app: 'hrkg', operation: 'health' } },
          );
        } finally {
          await session.close();
        }
        return driver.getServerInfo({ database });
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return {
      status: 'up',
      uri,
      latencyMs: Math.round(performance.now() - started),
      version: info.agent ?? undefined,
    };
  } catch (err) {
    return { status: 'down', uri, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
