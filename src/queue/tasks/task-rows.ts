import type { TaskAttemptTable, TaskTable } from "../store/queue-tables.js";
import type {
  AttemptOutcome,
  ClaimedTask,
  Task,
  TaskAttempt,
  TaskErrorInfo,
  TaskStatus,
} from "./task-types.js";

/** A row of `tasks` as the API shows it. */
export function taskFromRow(row: TaskTable): Task {
  return {
    id: row.id,
    queue: row.queue,
    kind: row.kind,
    title: row.title,
    instructions: row.instructions,
    payload: parseJson(row.payload_json),
    priority: Number(row.priority),
    capabilities: parseCapabilities(row.capabilities_json),
    status: row.status as TaskStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    timeoutMs: Number(row.timeout_ms),
    runAt: Number(row.run_at),
    idempotencyKey: row.idempotency_key,
    pendingDependencies: Number(row.pending_deps),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: nullableNumber(row.lease_expires_at),
    fencingToken: Number(row.fencing_token),
    cancelRequestedAt: nullableNumber(row.cancel_requested_at),
    agent: row.agent,
    result: parseJson(row.result_json),
    error: parseJson(row.error_json) as TaskErrorInfo | null,
    blockedReason: row.blocked_reason,
    createdAt: Number(row.created_at),
    startedAt: nullableNumber(row.started_at),
    finishedAt: nullableNumber(row.finished_at),
  };
}

/** A row just claimed: running, with its lease (the claim's RETURNING row). */
export function claimedTaskFromRow(row: TaskTable): ClaimedTask {
  // Two fields added to taskFromRow's object rather than a spread copy: one object per
  // claimed task, and one list of the row's fields.
  const task = taskFromRow(row) as ClaimedTask;
  task.token = task.fencingToken;
  task.attempt = task.fencingToken;
  return task;
}

export function attemptFromRow(row: TaskAttemptTable): TaskAttempt {
  return {
    taskId: row.task_id,
    attempt: Number(row.attempt),
    worker: row.worker,
    agent: row.agent,
    fencingToken: Number(row.fencing_token),
    startedAt: Number(row.started_at),
    finishedAt: nullableNumber(row.finished_at),
    outcome: row.outcome as AttemptOutcome | null,
    error: parseJson(row.error_json) as TaskErrorInfo | null,
  };
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** A task's required capabilities: most require none, and `[]` needs no parser. */
function parseCapabilities(text: string): string[] {
  return text === "[]" ? [] : ((JSON.parse(text) as string[] | null) ?? []);
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
