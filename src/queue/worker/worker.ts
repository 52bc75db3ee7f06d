import { hostname } from "node:os";
import { QueueError } from "../queue-error.js";
import { claimTasks } from "../tasks/claim-tasks.js";
import type { CompletionOutcome } from "../tasks/complete-tasks.js";
import { nextDueAt } from "../tasks/promote-due-tasks.js";
import { releaseTasks } from "../tasks/release-tasks.js";
import type { ClaimedTask } from "../tasks/task-types.js";
import { GroupCommitter } from "./group-committer.js";
import { completionOf, RunningTask, type TaskEnd } from "./running-task.js";
import { WakeSignal } from "./wake-signal.js";
import { WorkerHeartbeat } from "./worker-heartbeat.js";
import {
  type ResolvedWorkerOptions,
  resolveWorkerOptions,
  type TaskContext,
  type WorkerOptions,
} from "./worker-options.js";
import { markWorkerStopped, registerWorker } from "./worker-registry.js";

/** While busy, due tasks are made ready at most this often (every idle wake does it too). */
const PROMOTE_EVERY_MS = 200;

/** What a worker has done so far. */
export interface WorkerStats {
  /** Tasks claimed, and claim statements that claimed them. */
  claimed: number;
  claimBatches: number;
  /** Completions committed as succeeded, as failed/dead/cancelled, and refused (lease lost). */
  succeeded: number;
  failed: number;
  refused: number;
  /** Tasks given back at stop. */
  released: number;
  /** Commits (completeTasks calls) and the largest one. */
  commitBatches: number;
  largestCommitBatch: number;
  /** Tasks running now. */
  inFlight: number;
}

export interface StopOptions {
  /** How long in-flight tasks may take to finish before they are released, ms. @defaultValue 30000 */
  graceMs?: number;
}

/**
 * Claims tasks from its queues and runs them with the handler of their kind, `concurrency` at a
 * time: one claim statement for all free slots, completions committed in groups, one heartbeat
 * statement for all leases. An idle worker wakes on a NOTIFY (PostgreSQL), an in-process
 * signal or a change seen through `data_version` (SQLite), and polls every `pollMs` anyway. A
 * handler that throws, hangs or rejects fails its task, never the worker; one that runs past
 * the task's timeout is aborted and its attempt fails as `timeout`.
 */
export class Worker {
  readonly id: string;
  readonly #options: ResolvedWorkerOptions;
  readonly #running = new Map<string, RunningTask>();
  readonly #committer: GroupCommitter;
  readonly #wake: WakeSignal;
  readonly #stats: Omit<WorkerStats, "inFlight" | "commitBatches" | "largestCommitBatch">;
  #state: "new" | "running" | "stopping" | "stopped" = "new";
  #loop: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  readonly #heartbeat: WorkerHeartbeat;
  #graceEndsAt = Number.POSITIVE_INFINITY;
  #committing = true;
  #slotFreed: (() => void) | undefined;
  /** One function for every run's end, not a closure per task. */
  readonly #onEnd = (run: RunningTask, end: TaskEnd): void => this.#ended(run, end);

  constructor(options: WorkerOptions) {
    this.#options = resolveWorkerOptions(options);
    this.id = this.#options.workerId;
    this.#stats = { claimed: 0, claimBatches: 0, succeeded: 0, failed: 0, refused: 0, released: 0 };
    this.#committer = new GroupCommitter({
      store: this.#options.store,
      workerId: this.id,
      maxBatch: this.#options.commitBatch,
      delayMs: this.#options.commitDelayMs,
      onOutcomes: (outcomes) => this.#counted(outcomes),
      onError: (error, batch) => {
        this.#freeSlot();
        this.#options.logger?.error(
          { err: error, workerId: this.id, tasks: batch.length },
          "worker:commit_failed: the completions were not committed; their leases will expire and the tasks run again",
        );
      },
    });
    this.#heartbeat = new WorkerHeartbeat(this.#options, {
      id: this.id,
      runs: () => [...this.#running.values()],
      lost: (run) => this.#lost(run),
      report: () => ({
        status: this.#state === "running" ? "running" : "stopping",
        succeeded: this.#stats.succeeded,
        failed: this.#stats.failed,
        currentTasks: this.#running.size,
      }),
    });
    this.#wake = new WakeSignal({
      store: this.#options.store,
      queues: this.#options.queues,
      changeCheckMs: this.#options.changeCheckMs,
    });
  }

  get stats(): WorkerStats {
    return {
      ...this.#stats,
      commitBatches: this.#committer.stats.batches,
      largestCommitBatch: this.#committer.stats.largestBatch,
      inFlight: this.#running.size,
    };
  }

  /** Whether idle wake-ups come through a LISTEN connection right now (PostgreSQL). */
  get listening(): boolean {
    return this.#wake.listening;
  }

  /** Registers the worker and starts claiming. */
  async start(): Promise<void> {
    if (this.#state !== "new")
      throw new QueueError("This worker was started already.", {
        code: "queue.invalid_state",
        hint: "Create a new Worker.",
      });
    const { store, queues, agents, concurrency, heartbeatMs } = this.#options;
    await registerWorker(store, {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      queues,
      agents,
      concurrency,
      heartbeatMs,
    });
    await this.#wake.open();
    this.#state = "running";
    this.#heartbeat.start();
    this.#loop = this.#claimLoop();
    this.#options.logger?.info({ workerId: this.id, queues, concurrency }, "worker:start");
  }

  /**
   * Stops claiming, lets in-flight tasks finish for up to `graceMs`, then releases the rest (back
   * to ready, the attempt not counted), commits what finished, and marks the worker stopped.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#stop(options.graceMs ?? 30_000);
    return this.#stopping;
  }

  /** Ends the grace period of a stop in progress: in-flight tasks are released now. */
  endGrace(): void {
    this.#graceEndsAt = 0;
    this.#freeSlot();
  }

  async #stop(graceMs: number): Promise<void> {
    if (this.#state === "new") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    this.#wake.wake();
    this.#freeSlot();
    await this.#loop;
    const { store, logger } = this.#options;
    this.#graceEndsAt = Math.min(this.#graceEndsAt, Date.now() + graceMs);
    while (this.#running.size > 0 && Date.now() < this.#graceEndsAt) {
      await new Promise<void>((resolve) => {
        this.#slotFreed = resolve;
        setTimeout(resolve, Math.min(100, Math.max(0, this.#graceEndsAt - Date.now())));
      });
    }
    const left = [...this.#running.values()];
    this.#running.clear();
    const shutdown = new QueueError(`Worker ${this.id} is stopping; the task was released.`, {
      code: "queue.shutdown",
    });
    for (const run of left) run.abandon(shutdown);
    await this.#heartbeat.stop();
    await this.#committer.drain();
    this.#committing = false; // a lost task's handler that ends now has nothing to commit to
    try {
      if (left.length > 0) {
        const released = await releaseTasks(store, {
          workerId: this.id,
          leases: left.map((run) => run.lease),
          reason: "its worker stopped",
        });
        this.#stats.released += released.length;
      }
      await markWorkerStopped(store, this.id, {
        succeeded: this.#stats.succeeded,
        failed: this.#stats.failed,
      });
    } catch (error) {
      logger?.warn(
        { err: error, workerId: this.id },
        "worker:stop could not release or record; the leases will expire",
      );
    }
    await this.#wake.close();
    this.#state = "stopped";
    logger?.info({ workerId: this.id, ...this.stats }, "worker:stopped");
  }

  async #claimLoop(): Promise<void> {
    const {
      store,
      queues,
      handlers,
      concurrency,
      claimBatch,
      commitBatch,
      leaseMs,
      pollMs,
      logger,
    } = this.#options;
    const kinds = Object.keys(handlers);
    let mayHaveWork = true;
    let promotedAt = 0;
    while (this.#state === "running") {
      const free = concurrency - this.#running.size;
      if (free <= 0 || this.#committer.backlog >= commitBatch * 4) {
        await new Promise<void>((resolve) => {
          this.#slotFreed = resolve;
        });
        continue;
      }
      if (!mayHaveWork) {
        const woken = await this.#wake.wait(await this.#idleWaitMs(pollMs));
        mayHaveWork = true;
        // Woken by time (the poll, or a delayed or retried task falling due): make due tasks
        // ready first. News of ready tasks needs no such statement before the claim.
        promotedAt = woken === "timeout" ? 0 : Date.now();
        continue;
      }
      const now = Date.now();
      const promoteDue = now - promotedAt >= PROMOTE_EVERY_MS;
      if (promoteDue) promotedAt = now;
      const limit = Math.min(free, claimBatch);
      let claimed: ClaimedTask[];
      try {
        claimed = await claimTasks(store, {
          workerId: this.id,
          queues,
          limit,
          leaseMs,
          now,
          kinds,
          capabilities: this.#options.capabilities,
          agent: this.#options.agent,
          promoteDue,
        });
      } catch (error) {
        logger?.warn(
          { err: error, workerId: this.id },
          "worker:claim_failed; trying again after pollMs",
        );
        await this.#wake.wait(pollMs);
        continue;
      }
      this.#stats.claimBatches += 1;
      this.#stats.claimed += claimed.length;
      for (const task of claimed) this.#run(task);
      mayHaveWork = claimed.length === limit;
    }
  }

  /** Until the next poll, or sooner when a delayed or retried task falls due. */
  async #idleWaitMs(pollMs: number): Promise<number> {
    try {
      const due = await nextDueAt(this.#options.store);
      return due === undefined ? pollMs : Math.max(0, Math.min(pollMs, due - Date.now()));
    } catch {
      return pollMs;
    }
  }

  #run(task: ClaimedTask): void {
    const run = new RunningTask(task);
    this.#running.set(run.key, run);
    const handler = this.#options.handlers[task.kind];
    if (!handler) {
      // Claimed by kind, so only a handler removed from the object meanwhile gets here.
      this.#ended(run, {
        kind: "error",
        error: new QueueError(`No handler for kind "${task.kind}".`, {
          code: "queue.invalid_state",
        }),
      });
      return;
    }
    const context: TaskContext = {
      signal: run.signal,
      attempt: task.attempt,
      token: task.token,
      workerId: this.id,
      heartbeat: () => this.#heartbeat.beatOne(run),
    };
    run.start(handler, context, this.#onEnd);
  }

  #ended(run: RunningTask, end: TaskEnd): void {
    if (this.#running.get(run.key) === run) this.#running.delete(run.key);
    this.#freeSlot();
    if (!this.#committing) return;
    this.#committer.add(completionOf(run, end), this.#running.size === 0);
  }

  #counted(outcomes: readonly CompletionOutcome[]): void {
    let retrying = false;
    for (const outcome of outcomes) {
      if (outcome.status === "succeeded") this.#stats.succeeded += 1;
      else if (outcome.status === "refused") this.#stats.refused += 1;
      else this.#stats.failed += 1;
      if (outcome.status === "failed") retrying = true;
    }
    // A retry is due at a new time: an idle claim loop looks again when to wake.
    if (retrying) this.#wake.wake();
    // The commit backlog shrank: a claim loop waiting for it may go on.
    this.#freeSlot();
  }

  /** Lets a claim loop that waits for a free slot (or a shorter commit backlog) look again. */
  #freeSlot(): void {
    const resolve = this.#slotFreed;
    this.#slotFreed = undefined;
    resolve?.();
  }

  /** The lease is gone: abort the handler and free its slot; a late result is still sent (and refused). */
  #lost(run: RunningTask): void {
    if (run.lost || run.ended) return;
    run.lost = true;
    run.abort(
      new QueueError(`Task ${run.task.id}'s lease was lost; another worker may run it now.`, {
        code: "queue.lease_lost",
        taskId: run.task.id,
      }),
    );
    if (this.#running.get(run.key) === run) this.#running.delete(run.key);
    this.#freeSlot();
    this.#options.logger?.warn({ workerId: this.id, taskId: run.task.id }, "task:lease_lost");
  }
}
