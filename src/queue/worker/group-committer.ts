import { setTimeout as sleep } from "node:timers/promises";
import { type Store, StoreError } from "../../store/index.js";
import {
  type CompletionOutcome,
  completeTasks,
  type TaskCompletion,
} from "../tasks/complete-tasks.js";

/** Tries per batch when the store fails; the leases then expire and the tasks run again. */
const FLUSH_TRIES = 5;
const FLUSH_RETRY_MS = 200;

export interface GroupCommitterOptions {
  store: Store;
  workerId: string;
  /** Flush as soon as this many completions wait. */
  maxBatch: number;
  /** Otherwise flush this long after the first one arrived, ms. */
  delayMs: number;
  /** Called with the outcome of every flushed batch. */
  onOutcomes(outcomes: readonly CompletionOutcome[]): void;
  /** Called when a batch could not be committed after its retries. */
  onError(error: unknown, batch: readonly TaskCompletion[]): void;
}

/** How the committer has batched so far. */
export interface GroupCommitStats {
  /** completeTasks calls (batches committed). */
  batches: number;
  /** Completions in them. */
  completions: number;
  largestBatch: number;
}

/**
 * Group commit: completions collected for up to `delayMs`, or until `maxBatch` wait, are
 * committed in one completeTasks call (one statement for the successes on PostgreSQL), each
 * still checked against its fencing token. While a batch is being committed the next one
 * fills, so under load batches grow with the store's latency instead of queueing statements.
 * A flush is never concurrent with another: one connection's worth of commits at a time.
 */
export class GroupCommitter {
  readonly stats: GroupCommitStats = { batches: 0, completions: 0, largestBatch: 0 };
  readonly #options: GroupCommitterOptions;
  #pending: TaskCompletion[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | undefined;

  constructor(options: GroupCommitterOptions) {
    this.#options = options;
  }

  /** Completions waiting or being committed. */
  get backlog(): number {
    return this.#pending.length;
  }

  /** Adds a completion; `now` flushes without waiting for more (the worker has gone idle). */
  add(completion: TaskCompletion, now = false): void {
    this.#pending.push(completion);
    if (now || this.#pending.length >= this.#options.maxBatch) this.#flushSoon(0);
    else this.#flushSoon(this.#options.delayMs);
  }

  /** Commits everything added so far; resolves when it is committed (or given up). */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing) {
      if (this.#flushing) await this.#flushing;
      else this.#startFlush();
    }
  }

  #flushSoon(delayMs: number): void {
    if (this.#flushing) return; // the flush in progress starts the next one when it ends
    if (delayMs === 0) {
      this.#startFlush();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (!this.#flushing) this.#startFlush();
    }, delayMs);
  }

  #startFlush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#options.maxBatch);
    this.#flushing = this.#commit(batch).finally(() => {
      this.#flushing = undefined;
      // What arrived meanwhile waited at least one commit's time already: commit it now.
      if (this.#pending.length > 0) this.#startFlush();
    });
  }

  async #commit(batch: TaskCompletion[]): Promise<void> {
    const { store, workerId } = this.#options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcomes = await completeTasks(store, { workerId, completions: batch });
        this.stats.batches += 1;
        this.stats.completions += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        this.#options.onOutcomes(outcomes);
        return;
      } catch (error) {
        const closed = StoreError.isInstance(error) && error.code === "store.closed";
        if (closed || attempt >= FLUSH_TRIES) {
          this.#options.onError(error, batch);
          return;
        }
        await sleep(FLUSH_RETRY_MS * attempt);
      }
    }
  }
}
