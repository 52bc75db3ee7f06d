import type { QueueTransaction } from "../store/queue-tables.js";
import type { AttemptOutcome, TaskAttempt } from "./task-types.js";

/** An attempt that has ended, as its row in task_attempts. */
export interface EndedAttempt {
  taskId: string;
  /** Its fencing token, which is also its number. */
  token: number;
  worker: string;
  agent: string | null;
  startedAt: number;
  finishedAt: number;
  outcome: Exclude<AttemptOutcome, "refused">;
  errorJson: string | null;
}

/**
 * Writes the rows of attempts that ended, in the transaction that ended them. An attempt has no
 * row while it runs (its task's lease says who runs it, with which token, since when: see
 * `attemptOnTask`), so this is its only write; an attempt that succeeds never gets one (its
 * task's row records it: see `attemptOnTask`). A row already there is updated instead: one
 * written by an Orkestra that still wrote attempt rows at the claim (a worker of the previous
 * version, or a task claimed before an upgrade).
 */
export async function recordEndedAttempts(
  trx: QueueTransaction,
  attempts: readonly EndedAttempt[],
): Promise<void> {
  if (attempts.length === 0) return;
  await trx
    .insertInto("task_attempts")
    .values(
      attempts.map((attempt) => ({
        task_id: attempt.taskId,
        attempt: attempt.token,
        worker: attempt.worker,
        agent: attempt.agent,
        fencing_token: attempt.token,
        started_at: attempt.startedAt,
        finished_at: attempt.finishedAt,
        outcome: attempt.outcome,
        error_json: attempt.errorJson,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(["task_id", "attempt"]).doUpdateSet((update) => ({
        finished_at: update.ref("excluded.finished_at"),
        outcome: update.ref("excluded.outcome"),
        error_json: update.ref("excluded.error_json"),
      })),
    )
    .execute();
}

/**
 * The attempt a task's own row records, which has no row in task_attempts: the running one
 * (its lease: owner, token, start, agent) or the one that succeeded (`succeeded_by` names its
 * worker; token, agent, start and end are the task's). Undefined for a task in any other state.
 */
export function attemptOnTask(task: {
  id: string;
  status: string;
  lease_owner: string | null;
  succeeded_by: string | null;
  agent: string | null;
  fencing_token: number;
  started_at: number | null;
  finished_at: number | null;
}): TaskAttempt | undefined {
  const running = task.status === "running";
  const worker = running
    ? task.lease_owner
    : task.status === "succeeded"
      ? task.succeeded_by
      : null;
  if (worker === null || task.started_at === null) return undefined;
  const token = Number(task.fencing_token);
  return {
    taskId: task.id,
    attempt: token,
    worker,
    agent: task.agent,
    fencingToken: token,
    startedAt: Number(task.started_at),
    finishedAt: running || task.finished_at === null ? null : Number(task.finished_at),
    outcome: running ? null : "succeeded",
    error: null,
  };
}
