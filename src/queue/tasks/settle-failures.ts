import type { Store } from "../../store/index.js";
import type { QueueTransaction } from "../store/queue-tables.js";
import { type EndedAttempt, recordEndedAttempts } from "./attempt-rows.js";
import { blockDependants } from "./block-dependants.js";
import { retryDelayMs } from "./retry-backoff.js";
import type { TaskErrorInfo, TaskStatus } from "./task-types.js";

/** An attempt that ended without success, to be recorded against its task. */
export interface AttemptFailure {
  id: string;
  token: number;
  /** The lease owner it must still match. */
  owner: string;
  outcome: "failed" | "timeout" | "lost";
  error: TaskErrorInfo;
  /** False: dead at once, whatever attempts are left. */
  retryable: boolean;
  /** Wait this long before the next attempt instead of the exponential backoff. */
  retryDelayMs?: number;
}

/** What became of a failure: the task's new status, or `refused` when the lease was no longer held. */
export interface SettledFailure {
  id: string;
  token: number;
  status: Extract<TaskStatus, "failed" | "dead" | "cancelled"> | "refused";
}

/**
 * Records failed attempts in `trx` (their rows in task_attempts, with their errors): each task
 * whose lease the failure still holds (owner and fencing token match, still running) becomes
 * `failed` with its next try after the backoff
 * while counted attempts are left and the error is retryable, else `dead` with the error; a
 * task whose cancel was asked for becomes `cancelled`. Dependants of dead and cancelled tasks
 * are blocked. Failures that no longer hold the lease are `refused` and left to the caller.
 */
export async function settleFailures(
  store: Store,
  trx: QueueTransaction,
  failures: readonly AttemptFailure[],
  now: number,
): Promise<SettledFailure[]> {
  if (failures.length === 0) return [];
  let query = trx
    .selectFrom("tasks")
    .select([
      "id",
      "title",
      "status",
      "attempts",
      "max_attempts",
      "fencing_token",
      "lease_owner",
      "cancel_requested_at",
      "agent",
      "started_at",
    ])
    .where("id", "in", [...new Set(failures.map((failure) => failure.id))])
    .orderBy("id"); // locked in one order by every transaction: no deadlocks between them
  if (store.capabilities.rowLocks) query = query.forUpdate();
  const rows = new Map((await query.execute()).map((row) => [row.id, row]));

  const settled: SettledFailure[] = [];
  const ended: EndedAttempt[] = [];
  for (const failure of failures) {
    const row = rows.get(failure.id);
    if (!row || !holdsLease(row, failure)) {
      settled.push({ id: failure.id, token: failure.token, status: "refused" });
      continue;
    }
    const attempts = Number(row.attempts);
    const status =
      row.cancel_requested_at !== null
        ? "cancelled"
        : failure.retryable && attempts < Number(row.max_attempts)
          ? "failed"
          : "dead";
    const errorJson = JSON.stringify(failure.error);
    await trx
      .updateTable("tasks")
      .set({
        status,
        error_json: errorJson,
        lease_owner: null,
        lease_expires_at: null,
        ...(status === "failed"
          ? { run_at: now + (failure.retryDelayMs ?? retryDelayMs(attempts)) }
          : { finished_at: now }),
      })
      .where("id", "=", failure.id)
      .where("fencing_token", "=", failure.token)
      .execute();
    ended.push({
      taskId: failure.id,
      token: failure.token,
      worker: failure.owner,
      agent: row.agent,
      startedAt: Number(row.started_at ?? now),
      finishedAt: now,
      outcome: status === "cancelled" ? "cancelled" : failure.outcome,
      errorJson,
    });
    // The same task twice in one batch: only the first counts.
    rows.delete(failure.id);
    if (status !== "failed")
      await blockDependants(trx, { id: row.id, title: row.title, status }, now);
    settled.push({ id: failure.id, token: failure.token, status });
  }
  await recordEndedAttempts(trx, ended);
  return settled;
}

/** Whether the failure still holds its task's lease: running, same owner, same fencing token. */
function holdsLease(
  row: { status: string; lease_owner: string | null; fencing_token: number },
  failure: AttemptFailure,
): boolean {
  return (
    row.status === "running" &&
    row.lease_owner === failure.owner &&
    Number(row.fencing_token) === failure.token
  );
}
