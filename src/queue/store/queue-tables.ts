import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../store/index.js";

/** One task: what to do, its place in the queue, and its current lease. Times are epoch ms. */
export interface TaskTable {
  /** Time-ordered id (ULID): sorting by id is sorting by creation. */
  id: string;
  /** The queue it waits in; workers claim from the queues they serve. */
  queue: string;
  /** `agent` (done by an agent's model), or the name of a handler (`workflow`, `noop`, …). */
  kind: string;
  title: string;
  /** What to do, for an agent's model. */
  instructions: string | null;
  /** Input data, JSON. */
  payload_json: string | null;
  /** Higher first, within a queue; -1000..1000. */
  priority: number;
  /** Capabilities the doer must have, JSON array of strings (also in task_capabilities). */
  capabilities_json: string;
  /** waiting | ready | running | succeeded | failed | dead | blocked | cancelled */
  status: string;
  /** Attempts counted against max_attempts (a released attempt is not counted). */
  attempts: number;
  max_attempts: number;
  /** How long one attempt may run before its worker aborts it. */
  timeout_ms: number;
  /** Not claimable before this; a failed task's next try. */
  run_at: number;
  /** Adding a task with a key already present returns the existing task. */
  idempotency_key: string | null;
  /** Dependencies that have not succeeded yet. */
  pending_deps: number;
  /** The worker holding the task; set exactly while it is running (queries rely on it). */
  lease_owner: string | null;
  /** The lease lapses then unless heartbeats extend it. */
  lease_expires_at: number | null;
  /** Grows with every claim; heartbeats and completions must present the current one. */
  fencing_token: number;
  /** When a cancel was asked for while the task ran; its worker aborts it. */
  cancel_requested_at: number | null;
  /** The agent asked for, or the one that did the last attempt. */
  agent: string | null;
  /** The result of the successful attempt, JSON. */
  result_json: string | null;
  /** The last attempt's error, JSON `{ message, code?, … }`. */
  error_json: string | null;
  /** Why it cannot run (a dependency ended dead or cancelled). */
  blocked_reason: string | null;
  created_at: number;
  /** When the current or last attempt started. */
  started_at: number | null;
  /** When it reached succeeded, dead, cancelled or blocked. */
  finished_at: number | null;
  /**
   * The worker whose attempt succeeded. That attempt has no row in task_attempts: this row is
   * its record (token, agent, start and end are the task's).
   */
  succeeded_by: string | null;
}

/** `task_id` waits for `depends_on` to succeed. */
export interface TaskDependencyTable {
  task_id: string;
  depends_on: string;
}

/** One required capability of a task, a row each, so a claim can filter with plain SQL. */
export interface TaskCapabilityTable {
  task_id: string;
  capability: string;
}

/** One claim of a task: inserted when claimed, its outcome set when it ends. */
export interface TaskAttemptTable {
  task_id: string;
  /** The claim's number for this task, 1-based (equal to its fencing token). */
  attempt: number;
  /** The worker that claimed it. */
  worker: string;
  agent: string | null;
  fencing_token: number;
  started_at: number;
  finished_at: number | null;
  /** null while running; succeeded | failed | timeout | released | lost | refused | cancelled */
  outcome: string | null;
  /** JSON `{ message, code?, … }` of a failed, lost or refused attempt. */
  error_json: string | null;
}

/** A worker process (or in-process Worker) that registered with the store. */
export interface WorkerTable {
  id: string;
  host: string;
  pid: number;
  /** The queues it claims from, JSON array. */
  queues_json: string;
  /** The agents it runs tasks for, JSON array (empty: any). */
  agents_json: string;
  /** Tasks at once. */
  concurrency: number;
  /** How often it heartbeats; silent for several of these, it is marked lost. */
  heartbeat_ms: number;
  started_at: number;
  last_seen_at: number;
  /** running | stopping | stopped | lost */
  status: string;
  /** Tasks it completed successfully, and that failed (any outcome but success), so far. */
  succeeded: number;
  failed: number;
  /** Tasks in flight at its last heartbeat. */
  current_tasks: number;
}

// A type alias, not an interface: Kysely's withTables wants an index-signature-compatible record.
export type QueueTables = {
  tasks: TaskTable;
  task_dependencies: TaskDependencyTable;
  task_capabilities: TaskCapabilityTable;
  task_attempts: TaskAttemptTable;
  workers: WorkerTable;
};

export type QueueDatabase = Database & QueueTables;
export type QueueDb = Kysely<QueueDatabase>;
export type QueueTransaction = Transaction<QueueDatabase>;
