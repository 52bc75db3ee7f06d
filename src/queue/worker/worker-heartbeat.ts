import { QueueError } from "../queue-error.js";
import { heartbeatTasks } from "../tasks/heartbeat-tasks.js";
import { recoverExpiredLeases } from "../tasks/recover-expired-leases.js";
import type { RunningTask } from "./running-task.js";
import type { ResolvedWorkerOptions } from "./worker-options.js";
import { markLostWorkers, recordWorkerHeartbeat } from "./worker-registry.js";

/** What the heartbeat needs of its worker. */
export interface HeartbeatHost {
  readonly id: string;
  /** Tasks whose leases to extend. */
  runs(): RunningTask[];
  /** A run's lease was found lost. */
  lost(run: RunningTask): void;
  /** What to report: running, or stopping once it no longer claims; and its totals. */
  report(): {
    status: "running" | "stopping";
    succeeded: number;
    failed: number;
    currentTasks: number;
  };
}

/**
 * A worker's periodic duties, every `heartbeatMs`: extend the leases of its running tasks in
 * one statement (aborting the ones found lost or asked to cancel), report in to the registry,
 * and, every `recoverEveryMs`, take back expired leases and mark silent workers lost. A beat
 * never overlaps the previous one, and a failing store only logs: leases then lapse on their own.
 */
export class WorkerHeartbeat {
  readonly #options: ResolvedWorkerOptions;
  readonly #host: HeartbeatHost;
  #timer: ReturnType<typeof setInterval> | undefined;
  #beat: Promise<void> | undefined;
  #lastRecoveryAt = 0;

  constructor(options: ResolvedWorkerOptions, host: HeartbeatHost) {
    this.#options = options;
    this.#host = host;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#beat ??= this.#once().finally(() => {
        this.#beat = undefined;
      });
    }, this.#options.heartbeatMs);
  }

  /** Stops beating; resolves once a beat in progress has ended. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#beat;
  }

  /** Extends one run's lease now (a handler's `context.heartbeat()`); false when it is lost. */
  async beatOne(run: RunningTask): Promise<boolean> {
    if (run.lost) return false;
    const { lost } = await heartbeatTasks(this.#options.store, {
      workerId: this.#host.id,
      leases: [run.lease],
      leaseMs: this.#options.leaseMs,
    });
    if (lost.length > 0) this.#host.lost(run);
    return lost.length === 0;
  }

  async #once(): Promise<void> {
    const { store, leaseMs, recoverEveryMs, logger } = this.#options;
    const workerId = this.#host.id;
    try {
      const runs = this.#host.runs();
      if (runs.length > 0) {
        const beat = await heartbeatTasks(store, {
          workerId,
          leases: runs.map((run) => run.lease),
          leaseMs,
        });
        const byKey = new Map(runs.map((run) => [run.key, run]));
        for (const lease of beat.lost) {
          const run = byKey.get(`${lease.id}:${lease.token}`);
          if (run) this.#host.lost(run);
        }
        for (const lease of beat.cancelRequested) {
          const cancelled = new QueueError(`Task ${lease.id} was cancelled.`, {
            code: "queue.cancelled",
            taskId: lease.id,
          });
          byKey.get(`${lease.id}:${lease.token}`)?.abort(cancelled);
        }
      }
      await recordWorkerHeartbeat(store, { id: workerId, ...this.#host.report() });
      const now = Date.now();
      if (now - this.#lastRecoveryAt >= recoverEveryMs) {
        this.#lastRecoveryAt = now;
        const recovered = await recoverExpiredLeases(store, now);
        if (recovered.length > 0) {
          logger?.warn(
            { workerId, tasks: recovered.length },
            "task:lease_expired: taken back from workers that stopped heartbeating",
          );
        }
        await markLostWorkers(store, now);
      }
    } catch (error) {
      logger?.warn({ err: error, workerId }, "worker:heartbeat_failed");
    }
  }
}
