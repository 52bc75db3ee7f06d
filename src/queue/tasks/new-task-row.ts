import type { TaskTable } from "../store/queue-tables.js";
import type { PreparedTask } from "./prepare-task-specs.js";

const ENDED_UNSUCCESSFULLY: ReadonlySet<string> = new Set(["dead", "cancelled", "blocked"]);

/** What a new task's row needs to know of each task it needs. */
export interface NeededTask {
  id: string;
  status: string;
  title: string;
}

/**
 * The row of a new task: `blocked` when a dependency ended dead or cancelled (or is blocked),
 * `waiting` for unfinished dependencies or a later `runAt`, else `ready`.
 */
export function taskRow(task: PreparedTask, deps: readonly NeededTask[], now: number): TaskTable {
  const stopped = deps.find((dep) => ENDED_UNSUCCESSFULLY.has(dep.status));
  const pending = deps.filter((dep) => dep.status !== "succeeded").length;
  const status = stopped ? "blocked" : pending > 0 || task.runAt > now ? "waiting" : "ready";
  return {
    id: task.id,
    queue: task.queue,
    kind: task.kind,
    title: task.title,
    instructions: task.instructions,
    payload_json: task.payloadJson,
    priority: task.priority,
    capabilities_json: JSON.stringify(task.capabilities),
    status,
    attempts: 0,
    max_attempts: task.maxAttempts,
    timeout_ms: task.timeoutMs,
    run_at: task.runAt,
    idempotency_key: task.idempotencyKey,
    pending_deps: pending,
    lease_owner: null,
    lease_expires_at: null,
    fencing_token: 0,
    cancel_requested_at: null,
    agent: task.agent,
    result_json: null,
    error_json: null,
    blocked_reason: stopped ? blockedBy(stopped) : null,
    created_at: now,
    started_at: null,
    finished_at: stopped ? now : null,
    succeeded_by: null,
  };
}

/** The reason a task cannot run, naming the dependency that stopped it. */
export function blockedBy(dependency: { id: string; title: string; status: string }): string {
  return `dependency ${dependency.id} ("${dependency.title}") is ${dependency.status}`;
}
