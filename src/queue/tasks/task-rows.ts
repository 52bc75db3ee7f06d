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

/**
 * The columns a claim returns: what a ready task's row may hold. The rest are known without
 * asking (a claimed task is running, under the claimer's lease since the claim; it has no
 * result, no end and nothing blocking it), which spares the server and the driver eight of 28
 * columns per claimed task.
 */
export const CLAIMED_COLUMNS = [
  "id",
  "queue",
  "kind",
  "title",
  "instructions",
  "payload_json",
  "priority",
  "capabilities_json",
  "attempts",
  "max_attempts",
  "timeout_ms",
  "run_at",
  "idempotency_key",
  "pending_deps",
  "fencing_token",
  "cancel_requested_at",
  "agent",
  "error_json",
  "created_at",
] as const satisfies readonly (keyof TaskTable)[];

export type ClaimedRow = Pick<TaskTable, (typeof CLAIMED_COLUMNS)[number]>;

/** The lease a claim gave every task it returned. */
export interface ClaimLease {
  owner: string;
  expiresAt: number;
  startedAt: number;
}

/** A row just claimed (the claim's RETURNING row), with the lease the claim gave it. */
export function claimedTaskFromRow(row: ClaimedRow, lease: ClaimLease): ClaimedTask {
  const token = Number(row.fencing_token);
  return {
    id: row.id,
    queue: row.queue,
    kind: row.kind,
    title: row.title,
    instructions: row.instructions,
    payload: parseJson(row.payload_json),
    priority: Number(row.priority),
    capabilities: parseCapabilities(row.capabilities_json),
    status: "running",
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    timeoutMs: Number(row.timeout_ms),
    runAt: Number(row.run_at),
    idempotencyKey: row.idempotency_key,
    pendingDependencies: Number(row.pending_deps),
    leaseOwner: lease.owner,
    leaseExpiresAt: lease.expiresAt,
    fencingToken: token,
    cancelRequestedAt: nullableNumber(row.cancel_requested_at),
    agent: row.agent,
    result: null,
    error: parseJson(row.error_json) as TaskErrorInfo | null,
    blockedReason: null,
    createdAt: Number(row.created_at),
    startedAt: lease.startedAt,
    finishedAt: null,
    token,
    attempt: token,
  };
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
