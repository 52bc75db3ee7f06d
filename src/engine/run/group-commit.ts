// From node:timers, not the global: a test's fake timers (which replace the global) must not
// hold every commit of the process back.
import { setImmediate } from "node:timers";
import type { Store } from "../../store/index.js";
import type { RunWrite, RunWriteResult } from "../store/run-batch.js";
import { writeRunsInOneStatement } from "../store/run-batch-statement.js";
import { writeRunsInTransaction } from "../store/run-batch-transaction.js";

/**
 * Writes per batch at most. Well above the concurrency of one process's runs in practice
 * (16 runs give batches of up to 16), and a bound on how long a batch holds SQLite's lock.
 */
export const MAX_GROUP_COMMIT = 64;

interface Pending {
  write: RunWrite;
  resolve: (result: RunWriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes of every run this process drives on one store go through here and
 * land together, one transaction (one WAL append on SQLite, one fsync and one chain of round
 * trips on PostgreSQL) for as many runs as had a write waiting. When idle, a write is flushed
 * at the next turn of the event loop (no fixed delay: just the writes queued in this turn join
 * it); while a flush is in flight, writes queue and go in the next one, at most
 * MAX_GROUP_COMMIT at a time. Each write still presents its own fencing token: a fenced write
 * is refused alone (`written: false`). Should the batch fail as a whole (a store error), each
 * of its writes is tried again in a transaction of its own, so one bad write fails only its run.
 *
 * A run has at most one write here at a time (its writer waits for each to be durable), so a
 * run's writes stay in order and a batch never holds two of one run's.
 */
export class GroupCommitter {
  /** Batches written so far (each one transaction, or one statement) and the writes they held. */
  readonly stats = { batches: 0, writes: 0 };
  readonly #store: Store;
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;

  readonly #writeRuns: (store: Store, writes: readonly RunWrite[]) => Promise<RunWriteResult[]>;

  constructor(store: Store) {
    this.#store = store;
    // PostgreSQL: one round trip and no BEGIN/COMMIT per batch; the server parses one
    // statement instead of up to seven (bench/workflow-throughput.ts).
    const { dataModifyingCtes, arrayParameters } = store.capabilities;
    this.#writeRuns =
      dataModifyingCtes && arrayParameters ? writeRunsInOneStatement : writeRunsInTransaction;
  }

  /** Queues `write`; resolves once it is durable (or refused by its fence). */
  submit(write: RunWrite): Promise<RunWriteResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushing || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    const batch =
      this.#queue.length <= MAX_GROUP_COMMIT ? this.#queue : this.#queue.slice(0, MAX_GROUP_COMMIT);
    this.#queue = this.#queue.length <= MAX_GROUP_COMMIT ? [] : this.#queue.slice(batch.length);
    try {
      await this.#write(batch);
    } finally {
      this.#flushing = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }

  async #write(batch: readonly Pending[]): Promise<void> {
    let results: RunWriteResult[];
    this.stats.batches += 1;
    this.stats.writes += batch.length;
    try {
      results = await this.#writeRuns(
        this.#store,
        batch.map((pending) => pending.write),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const pending of batch) await this.#write([pending]);
      return;
    }
    batch.forEach((pending, index) => {
      pending.resolve(results[index] as RunWriteResult);
    });
  }
}

const committers = new WeakMap<Store, GroupCommitter>();

/** The one group committer of `store` in this process. */
export function groupCommitterFor(store: Store): GroupCommitter {
  let committer = committers.get(store);
  if (!committer) {
    committer = new GroupCommitter(store);
    committers.set(store, committer);
  }
  return committer;
}
