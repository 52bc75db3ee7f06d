import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import { QueueError } from "../queue-error.js";
import { DEFAULT_TASK_QUEUE } from "../tasks/task-limits.js";
import type { ClaimedTask } from "../tasks/task-types.js";

/** What a handler gets besides its task. */
export interface TaskContext {
  /**
   * Aborted when the task must stop: its reason is a QueueError with code `queue.timeout`,
   * `queue.cancelled`, `queue.lease_lost` or `queue.shutdown`. Pass it to model calls, fetches,
   * child processes.
   */
  readonly signal: AbortSignal;
  /** This claim's number for the task, 1-based. */
  readonly attempt: number;
  /** The fencing token of this claim. */
  readonly token: number;
  readonly workerId: string;
  /**
   * Extends the lease now (the worker also does it every heartbeatMs); false when the lease is
   * lost, and the signal is then aborted: stop, the result would be refused.
   */
  heartbeat(): Promise<boolean>;
}

/**
 * Does one task and returns its result (anything JSON can hold). Throwing fails the attempt:
 * retried with backoff unless the error says `retryable: false` (an OrkestraError that is not
 * retryable, for one); an error with a numeric `retryDelayMs` sets the delay before the retry.
 */
export type TaskHandler = (task: ClaimedTask, context: TaskContext) => unknown;

export interface WorkerOptions {
  store: Store;
  /** @defaultValue `<host>:<pid>:<random>` */
  workerId?: string;
  /** @defaultValue ["default"] */
  queues?: readonly string[];
  /** Handlers by task kind; the worker claims only kinds it has a handler for. */
  handlers: Readonly<Record<string, TaskHandler>>;
  /** Tasks at once. @defaultValue 10 */
  concurrency?: number;
  /**
   * Claim only tasks whose required capabilities are all here, compared without regard to case.
   * @defaultValue no filter
   */
  capabilities?: readonly string[];
  /** Claim for this agent (recorded on the tasks). */
  agent?: string;
  /** Agents it serves, for the worker registry. @defaultValue [] */
  agents?: readonly string[];
  /** How long a lease holds without a heartbeat, ms. @defaultValue 30000 */
  leaseMs?: number;
  /** How often leases are extended and the worker reports in, ms. @defaultValue leaseMs / 3 */
  heartbeatMs?: number;
  /** How often an idle worker claims anyway (notifications are hints), ms. @defaultValue 1000 */
  pollMs?: number;
  /** How often an idle worker on SQLite checks whether another connection committed, ms. @defaultValue 4 */
  changeCheckMs?: number;
  /** Tasks per claim at most. @defaultValue concurrency */
  claimBatch?: number;
  /** Completions per commit at most. @defaultValue 256 */
  commitBatch?: number;
  /** How long a completion may wait for others to share its commit, ms. @defaultValue 2 */
  commitDelayMs?: number;
  /** How often expired leases and silent workers are looked for, ms. @defaultValue heartbeatMs */
  recoverEveryMs?: number;
  logger?: Logger;
}

export type ResolvedWorkerOptions = Required<
  Omit<WorkerOptions, "capabilities" | "agent" | "logger">
> &
  Pick<WorkerOptions, "capabilities" | "agent" | "logger">;

/** `<host>:<pid>:<random>`: who the worker's leases name. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Options with defaults filled in; a QueueError (`queue.invalid_option`) names a bad one. */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const concurrency = options.concurrency ?? 10;
  const leaseMs = options.leaseMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3));
  const resolved: ResolvedWorkerOptions = {
    ...options,
    workerId: options.workerId ?? defaultWorkerId(),
    queues: options.queues ?? [DEFAULT_TASK_QUEUE],
    agents: options.agents ?? [],
    concurrency,
    leaseMs,
    heartbeatMs,
    pollMs: options.pollMs ?? 1_000,
    changeCheckMs: options.changeCheckMs ?? 4,
    claimBatch: options.claimBatch ?? concurrency,
    commitBatch: options.commitBatch ?? 256,
    commitDelayMs: options.commitDelayMs ?? 2,
    recoverEveryMs: options.recoverEveryMs ?? heartbeatMs,
  };
  for (const field of [
    "concurrency",
    "leaseMs",
    "heartbeatMs",
    "pollMs",
    "changeCheckMs",
    "claimBatch",
    "commitBatch",
    "recoverEveryMs",
  ] as const) {
    const value = resolved[field];
    if (!Number.isSafeInteger(value) || value < 1)
      invalid(`${field} ${String(value)} is not a positive integer`);
  }
  if (!Number.isFinite(resolved.commitDelayMs) || resolved.commitDelayMs < 0) {
    invalid(`commitDelayMs ${String(resolved.commitDelayMs)} is negative`);
  }
  if (resolved.heartbeatMs >= resolved.leaseMs) {
    invalid(
      `heartbeatMs ${resolved.heartbeatMs} is not shorter than leaseMs ${resolved.leaseMs}: leases would lapse between heartbeats`,
    );
  }
  if (resolved.queues.length === 0) invalid("queues is empty");
  if (Object.keys(resolved.handlers ?? {}).length === 0) invalid("there are no handlers");
  return resolved;
}

function invalid(problem: string): never {
  throw new QueueError(`Cannot start the worker: ${problem}.`, {
    code: "queue.invalid_option",
    hint: "Check the worker's options (see docs/queue.md, Workers).",
  });
}
