import { AppError, ErrorCode } from '../../errors.js';
import type { Executor, Tx } from '../executor.js';
import { changeMark } from '../queries/audit.js';

/** How many times a whole-store read is tried before it gives up on a store that keeps changing. */
export const CONSISTENT_READ_ATTEMPTS = 5;

/** Reads after this many that met a write are made with this process's writes held (WriteGate). */
export const ATTEMPTS_BEFORE_HOLDING_WRITES = 2;

/** A read that a write committing meanwhile made inconsistent. */
class ChangedDuringRead extends Error {}

export interface ConsistentReadOptions {
  attempts?: number;
  /** Runs between `first` and `second` of each attempt (a test seam: a write made there is one the read meets). */
  duringRead?: (attempt: number) => Promise<void>;
}

/**
 * A read of many pages (an export, a backup) that sees the store as it was at one moment. Neo4j's read
 * transactions see each write as soon as it commits (read committed, no snapshot), so a write committing
 * between two pages would leave, say, a claim citing an entity that the pages before it did not hold,
 * or a backup's readable part and store section saying different things, and the file could not be
 * loaded back. The read is bracketed by the store's change mark (its audit count) and made again, in a
 * new transaction, whenever the mark moved; a read that fails while the mark moved is made again too.
 * After ATTEMPTS_BEFORE_HOLDING_WRITES such reads, the next are made with this process's writes held
 * back (they wait, then commit: nothing is lost), so that a busy service still gets its backup; only
 * another process writing all along (an import from the command line) can still stop it. After `attempts`
 * reads that all met a write it is refused with CONFLICT: nothing is returned.
 */
export async function readConsistently<A, B>(
  executor: Executor,
  operation: string,
  what: string,
  first: (tx: Tx) => Promise<A>,
  second: (tx: Tx) => Promise<B>,
  opts: ConsistentReadOptions = {},
): Promise<{ first: A; second: B; attempts: number }> {
  const attempts = opts.attempts ?? CONSISTENT_READ_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const hold = <T>(work: () => Promise<T>) =>
      attempt > ATTEMPTS_BEFORE_HOLDING_WRITES ? executor.withWritesHeld(work) : work();
    try {
      const read = await hold(() =>
        executor.readTx(operation, async (tx) => {
          const mark = async () => Number((await tx.run(changeMark))[0]!.n);
          const before = await mark();
          const moved = async (e: unknown) => {
            throw (await mark()) === before ? e : new ChangedDuringRead();
          };
          const a = await first(tx).catch(moved);
          await opts.duringRead?.(attempt);
          const b = await second(tx).catch(moved);
          if ((await mark()) !== before) throw new ChangedDuringRead();
          return { first: a, second: b };
        }),
      );
      return { ...read, attempts: attempt };
    } catch (e) {
      if (!(e instanceof ChangedDuringRead)) throw e;
    }
  }
  throw new AppError(
    ErrorCode.CONFLICT,
    `The graph changed while ${what} was read, ${String(attempts)} times in a row; nothing was exported. Run it again when fewer writes are under way`,
  );
}
