/**
 * What a queue benchmark side is: one job queue library (or one configuration of it), seen by
 * the bench in two places. The bench process sets it up and enqueues (`setup` → `QueueProducer`);
 * each worker process runs its worker with a no-op handler (`startWorker` → `RunningWorker`).
 * Orkestra's queue is one more implementation of this interface (see bench/RESULTS.md, "Queue").
 */

/** Where a side keeps its tables for one measurement; the bench creates and drops it. */
export type QueueTarget =
  /** A PostgreSQL schema of its own, named for the side, run and measurement. */
  | { store: "postgres"; url: string; schema: string }
  /** A SQLite file of its own in a fresh directory (Orkestra only: the peers are PostgreSQL-only). */
  | { store: "sqlite"; file: string };

/** The bench process's end of a side, for one measurement. */
export interface QueueProducer {
  /** `count` no-op jobs with payloads `{ seq: 0 … count-1 }`, in one transaction. */
  enqueueMany(count: number): Promise<void>;
  /** One no-op job with payload `{ seq }`; resolves once committed. */
  enqueueOne(seq: number): Promise<void>;
  /** Cheap: is any job not yet completed? Polled every few ms while workers drain. */
  anyLeft(): Promise<boolean>;
  /** How many jobs are not yet completed (counted once, when a capped drain stops). */
  remaining(): Promise<number>;
  /** Closes the side's connections (the bench drops the schema). */
  close(): Promise<void>;
}

export interface WorkerStartOptions {
  /**
   * Called by the side's handler as the first thing it does for each job, with the job's
   * `seq`: the bench's clock for pickup. It must be the whole handler: no other work.
   */
  onJobStart(seq: number): void;
  /**
   * At most this many PostgreSQL connections in this process's pools (the bench splits what
   * the server can spare over its worker processes); a side uses its own default when lower.
   */
  maxConnections: number;
}

/** One worker process's worker, started; resolved only once it is ready to take jobs. */
export interface RunningWorker {
  /** Stops taking jobs and waits until the worker's pending completions are written. */
  stop(): Promise<void>;
}

/** A side: what the bench process and the worker processes call. */
export interface QueueSideAdapter {
  /**
   * In the bench process, before any worker starts: creates the side's tables (migrations)
   * and its queue in `target`, and returns what enqueues and watches the jobs.
   */
  setup(target: QueueTarget): Promise<QueueProducer>;
  /** In a worker process: starts one worker on `target`, taking the no-op jobs. */
  startWorker(target: QueueTarget, options: WorkerStartOptions): Promise<RunningWorker>;
}
