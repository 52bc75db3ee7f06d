/** Where a task is in its life; see docs/queue.md for the transitions. */
export type TaskStatus =
  | "waiting"
  | "ready"
  | "running"
  | "succeeded"
  | "failed"
  | "dead"
  | "blocked"
  | "cancelled";

export const TASK_STATUSES: readonly TaskStatus[] = [
  "waiting",
  "ready",
  "running",
  "succeeded",
  "failed",
  "dead",
  "blocked",
  "cancelled",
];

/** Statuses a task never leaves on its own (`retryTask` brings dead, blocked and cancelled back). */
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = [
  "succeeded",
  "dead",
  "blocked",
  "cancelled",
];

/** How one attempt ended; null while it runs. */
export type AttemptOutcome =
  | "succeeded"
  | "failed"
  | "timeout"
  | "released"
  | "lost"
  | "refused"
  | "cancelled";

/** An error as the queue stores it: always a message, often a code. */
export interface TaskErrorInfo {
  message: string;
  /** Machine-readable: `timeout`, `lease_expired`, `cancelled`, or the thrower's own code. */
  code?: string;
  /** The thrown error's class name. */
  name?: string;
  [detail: string]: unknown;
}

/** One task to add. Only `title` is required. */
export interface TaskSpec {
  /** Names this entry within one `addTasks` call, so other entries' `needs` can refer to it. */
  key?: string;
  title: string;
  /** What to do: for an agent task, what its model is asked. */
  instructions?: string;
  /** `agent` (done by an agent's model), or the name of a handler. @defaultValue "agent" */
  kind?: string;
  /** @defaultValue "default" */
  queue?: string;
  /** Higher runs first within a queue; an integer in -1000..1000. @defaultValue 0 */
  priority?: number;
  /** Ids of existing tasks, or keys of other entries of the same call, that must succeed first. */
  needs?: readonly string[];
  /** What the doer must be able to do; a worker claims only tasks whose capabilities it has. */
  capabilities?: readonly string[];
  /** Input data; anything JSON can hold. */
  payload?: unknown;
  /** Attempts before it is dead (a released attempt does not count). @defaultValue 3 */
  maxAttempts?: number;
  /** How long one attempt may run before it is aborted, ms. @defaultValue 600000 (10 minutes) */
  timeoutMs?: number;
  /** Not before this time (epoch ms or a Date). @defaultValue now */
  runAt?: number | Date;
  /** Adding a task whose key is already present returns that task instead. */
  idempotencyKey?: string;
  /** The agent that should do it (agent tasks). */
  agent?: string;
}

/** What `addTasks` says about each entry, in the order given. */
export interface AddedTask {
  id: string;
  /** The entry's `key`, or null. */
  key: string | null;
  status: TaskStatus;
  /** True when the idempotency key was already present: this is that task, unchanged. */
  existing: boolean;
}

/** A task as read from the store. Times are epoch ms. */
export interface Task {
  id: string;
  queue: string;
  kind: string;
  title: string;
  instructions: string | null;
  payload: unknown;
  priority: number;
  capabilities: string[];
  status: TaskStatus;
  /** Attempts counted against `maxAttempts`. */
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  runAt: number;
  idempotencyKey: string | null;
  /** Dependencies that have not succeeded yet. */
  pendingDependencies: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  fencingToken: number;
  /** Set when a cancel was asked for while it ran. */
  cancelRequestedAt: number | null;
  agent: string | null;
  result: unknown;
  error: TaskErrorInfo | null;
  blockedReason: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A task a worker holds: its fencing token must come with every heartbeat and completion. */
export interface ClaimedTask extends Task {
  status: "running";
  /** The fencing token of this claim. */
  token: number;
  /** This claim's number for the task, 1-based (its attempt's number in showTask). */
  attempt: number;
  leaseOwner: string;
  leaseExpiresAt: number;
}

/** One attempt of a task. */
export interface TaskAttempt {
  taskId: string;
  attempt: number;
  worker: string;
  agent: string | null;
  fencingToken: number;
  startedAt: number;
  finishedAt: number | null;
  /** null while it runs. */
  outcome: AttemptOutcome | null;
  error: TaskErrorInfo | null;
}

/** A lease as its holder names it. */
export interface TaskLease {
  id: string;
  token: number;
}
