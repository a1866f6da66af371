/**
 * A gate the write transactions of one process pass through, which a whole-store read can close for a
 * moment (readConsistently, after reads that kept meeting writes): it waits for the writes under way to
 * commit, holds new ones back while it reads, then lets them through in the order they came. Writes never
 * hold each other back. It only covers this process; the change mark still tells a read that another
 * process wrote meanwhile.
 */
export class WriteGate {
  private writing = 0;
  private heldWrites = 0;
  private closed = false;
  private readonly waiting: (() => void)[] = [];
  private drained: (() => void) | null = null;

  /** Runs a write, after the gate reopens if it is closed. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) {
      this.heldWrites++;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.heldWrites--;
    }
    this.writing++;
    try {
      return await work();
    } finally {
      this.writing--;
      if (this.writing === 0) this.drained?.();
    }
  }

  /** Runs `work` with no write of this process under way; one closing at a time. */
  async closedFor<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.closed = true;
    try {
      if (this.writing > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await work();
    } finally {
      this.closed = false;
      for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  /** Writes under way (for tests and health). */
  get underWay(): number {
    return this.writing;
  }

  /** Writes held back, waiting for the gate to reopen (for tests and health). */
  get held(): number {
    return this.heldWrites;
  }
}

const gates = new WeakMap<object, WriteGate>();

/** The gate of one driver (every executor made from it shares it). */
export function writeGateOf(driver: object): WriteGate {
  let gate = gates.get(driver);
  if (!gate) gates.set(driver, (gate = new WriteGate()));
  return gate;
}
