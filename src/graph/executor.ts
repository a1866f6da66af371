import neo4j, { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { AppError, DatabaseUnavailableError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { toNative } from './values.js';
import { writeGateOf } from './write-gate.js';

/**
 * The one chokepoint every Cypher statement goes through: sessions, read/write transactions,
 * transaction metadata (operation + request id, visible in Neo4j's query log and SHOW TRANSACTIONS),
 * per-transaction timeout, round-trip counting and mapping of driver errors to stable codes.
 */

/**
 * A named, parameterised statement. The name shows up in logs, transaction metadata and benchmarks.
 * P types its parameters ($visible is always added by the executor): a store declares
 * `statement<{ id: string }>(...)` and the compiler checks every run of it.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- P is a phantom type, checked at run()
export interface Statement<P extends Params = Params> {
  readonly name: string;
  readonly cypher: string;
  /**
   * The statement must return at least one row: when it returns none (what it had to change was changed
   * or removed by another transaction meanwhile), the run throws a CONFLICT and the whole transaction
   * rolls back, instead of committing the rest of the work without it.
   */
  readonly mustMatch?: boolean;
}

export function statement<P extends Params = Params>(
  name: string,
  cypher: string,
  opts: { mustMatch?: boolean } = {},
): Statement<P> {
  return Object.freeze({ name, cypher, ...(opts.mustMatch ? { mustMatch: true } : {}) });
}

/** Thrown (and rolling the transaction back) when a mustMatch statement matched nothing. */
export class NothingMatchedError extends AppError {
  constructor(readonly statementName: string) {
    super(
      ErrorCode.CONFLICT,
      'The records this change needs were changed or removed meanwhile; nothing was written, try again',
    );
    this.name = 'NothingMatchedError';
  }
}

/** A statement's parameters. $visible is the executor's alone (the caller's clearance): never a parameter. */
export type Params = Record<string, unknown> & { visible?: never };
export type Row = Record<string, unknown>;

/** Counts database round trips (one per statement run), per request. */
export class RoundTripCounter {
  count = 0;
  readonly statements: string[] = [];
  record(name: string) {
    this.count += 1;
    this.statements.push(name);
  }
}

/** A transaction handed to unit-of-work callbacks; every run is counted and converted. */
export interface Tx {
  run<P extends Params>(stmt: Statement<P>, params?: P): Promise<Row[]>;
}

export interface ExecutorOptions {
  database: string;
  txTimeoutMs: number;
  logger: Logger;
}

export class Executor {
  constructor(
    private readonly driver: Driver,
    private readonly opts: ExecutorOptions,
    readonly requestId: string | undefined = undefined,
    readonly roundTrips: RoundTripCounter = new RoundTripCounter(),
    /**
     * Sensitivities the caller may see, passed to every statement as $visible. Read statements filter on
     * it, so redaction cannot be forgotten by a service. Outside a request (migrations, seeding, the CLI)
     * everything is visible.
     */
    readonly visible: readonly string[] = ['public', 'restricted', 'confidential'],
    /** The caller's own x-request-id, kept beside the server's (never instead of it) in audit records. */
    readonly clientRequestId: string | undefined = undefined,
  ) {}

  /** A request-scoped executor: same driver, its own round-trip counter, request ids and clearance. */
  forRequest(requestId: string, visible: readonly string[] = ['public'], clientRequestId?: string): Executor {
    return new Executor(this.driver, this.opts, requestId, new RoundTripCounter(), visible, clientRequestId);
  }

  get database(): string {
    return this.opts.database;
  }

  /** One statement in its own read transaction. */
  read<P extends Params>(stmt: Statement<P>, params: P = {} as P): Promise<Row[]> {
    return this.readTx(stmt.name, (tx) => tx.run(stmt, params));
  }

  /** One statement in its own write transaction. */
  write<P extends Params>(stmt: Statement<P>, params: P = {} as P): Promise<Row[]> {
    return this.writeTx(stmt.name, (tx) => tx.run(stmt, params));
  }

  /** A unit of work in one read transaction (retried by the driver on transient errors). */
  readTx<T>(operation: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction('READ', operation, work);
  }

  /** A unit of work in one write transaction: all of it commits, or none of it does. */
  writeTx<T>(operation: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return writeGateOf(this.driver).write(() => this.transaction('WRITE', operation, work));
  }

  /**
   * Runs `work` (reads) while this process commits no write: the writes under way finish first, new ones
   * wait until it is done (see WriteGate). Never write inside it: that write would wait for it.
   */
  withWritesHeld<T>(work: () => Promise<T>): Promise<T> {
    return writeGateOf(this.driver).closedFor(work);
  }

  /** Writes of this process held back by withWritesHeld right now. */
  get writesHeld(): number {
    return writeGateOf(this.driver).held;
  }

  /**
   * Schema statements (constraints, indexes) cannot share a transaction with data writes, and must run
   * as auto-commit queries; used by migrations only.
   */
  async schema(stmt: Statement, params: Params = {}): Promise<Row[]> {
    const session = this.driver.session({
      database: this.opts.database,
      defaultAccessMode: neo4j.session.WRITE,
    });
    try {
      this.roundTrips.record(stmt.name);
      const result = await session.run(stmt.cypher, params, this.txConfig(stmt.name));
      return result.records.map((r) => toNative(r.toObject()) as Row);
    } catch (err) {
      throw mapDatabaseError(err, stmt.name);
    } finally {
      await session.close();
    }
  }

  private txConfig(operation: string) {
    return {
      timeout: this.opts.txTimeoutMs,
      metadata: { app: 'hrkg', operation, ...(this.requestId ? { requestId: this.requestId } : {}) },
    };
  }

  private async transaction<T>(
    mode: 'READ' | 'WRITE',
    operation: string,
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const session = this.driver.session({
      database: this.opts.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const started = performance.now();
    const counter = this.roundTrips;
    const visible = this.visible;
    const logger = this.opts.logger;
    const requestId = this.requestId;
    const unit = async (mtx: ManagedTransaction) =>
      work({
        async run(stmt, params) {
          counter.record(stmt.name);
          let result;
          try {
            // $visible last: no parameter can widen the caller's clearance.
            result = await mtx.run(stmt.cypher, { ...params, visible });
          } catch (err) {
            // The driver retries transient errors; a statement over the memory limit would only fail again.
            if (isMemoryLimit(err)) throw memoryLimitError(stmt.name);
            throw err;
          }
          if (stmt.mustMatch && result.records.length === 0) {
            logger.warn(
              { operation, statement: stmt.name, requestId },
              'a statement that must match did not',
            );
            throw new NothingMatchedError(stmt.name);
          }
          return result.records.map((r) => toNative(r.toObject()) as Row);
        },
      });
    try {
      const config = this.txConfig(operation);
      const out =
        mode === 'READ' ? await session.executeRead(unit, config) : await session.executeWrite(unit, config);
      this.opts.logger.debug(
        { operation, mode, requestId: this.requestId, ms: Math.round(performance.now() - started) },
        'transaction committed',
      );
      return out;
    } catch (err) {
      throw mapDatabaseError(err, operation);
    } finally {
      await session.close();
    }
  }
}

/**
 * Neo4j refused the statement's memory: over db.memory.transaction.max, or the pool all transactions share
 * (dbms.memory.transaction.total.max) is full. The statement failed alone; the database is fine.
 */
function isMemoryLimit(err: unknown): boolean {
  return (
    err instanceof Neo4jError &&
    (/MemoryPoolOutOfMemoryError|TransactionOutOfMemoryError/.test(err.code ?? '') ||
      /memory\.transaction(\.total)?\.max/.test(err.message))
  );
}

function memoryLimitError(operation: string) {
  return new AppError(
    ErrorCode.DATABASE_MEMORY_LIMIT,
    `"${operation}" needed more database memory than one request may use (or than is free right now); ask for smaller pages or fewer fields, or try again later`,
    { operation },
  );
}

/** Maps driver and server errors to the stable codes clients see. Our own AppErrors pass through. */
export function mapDatabaseError(err: unknown, operation: string): Error {
  if (err instanceof AppError) return err;
  if (isMemoryLimit(err)) return memoryLimitError(operation);
  if (err instanceof Neo4jError) {
    const code = err.code ?? '';
    if (
      code === neo4j.error.SERVICE_UNAVAILABLE ||
      code === neo4j.error.SESSION_EXPIRED ||
      /DatabaseUnavailable/.test(code)
    ) {
      return new DatabaseUnavailableError();
    }
    if (/TransactionTimedOut|Transaction\.Terminated/.test(code)) {
      return new AppError(
        ErrorCode.DATABASE_TIMEOUT,
        `The database did not finish "${operation}" within the time limit`,
        {
          operation,
        },
      );
    }
    if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return new AppError(ErrorCode.CONFLICT, 'The write conflicts with an existing record', { operation });
    }
  }
  if (err instanceof Error && /ECONNREFUSED|ECONNRESET|connection.*(closed|refused)/i.test(err.message)) {
    return new DatabaseUnavailableError();
  }
  return err instanceof Error ? err : new Error(String(err));
}
