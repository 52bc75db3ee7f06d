import type { Store } from "../../store/index.js";
import { QueueError } from "../queue-error.js";
import { queueTransaction } from "../store/queue-db.js";
import type { QueueTransaction } from "../store/queue-tables.js";
import { blockDependants } from "./block-dependants.js";
import type { TaskStatus } from "./task-types.js";

export interface CancelTaskOptions {
  /** Recorded as the task's error. @defaultValue "cancelled" */
  reason?: string;
  /** @defaultValue Date.now() */
  now?: number;
}

export interface CancelTaskResult {
  id: string;
  /** `cancelled`, or `running` when the cancel was only asked for. */
  status: TaskStatus;
  /** True for a running task: its worker aborts it at its next heartbeat, and it ends cancelled. */
  cancelRequested: boolean;
}

/**
 * Cancels a task that has not ended. A waiting, ready, failed or blocked task is `cancelled` at
 * once; a running one is flagged, and its worker aborts it at its next heartbeat (or, if the
 * worker is gone, it is cancelled when its lease expires). Tasks that need it are blocked.
 * Cancelling a cancelled task changes nothing; a succeeded or dead one is a QueueError.
 */
export async function cancelTask(
  store: Store,
  id: string,
  options: CancelTaskOptions = {},
): Promise<CancelTaskResult> {
  const now = options.now ?? Date.now();
  return queueTransaction(store, async (trx) => {
    const row = await readForChange(store, trx, id);
    if (row.status === "cancelled") return { id, status: "cancelled", cancelRequested: false };
    if (row.status === "succeeded" || row.status === "dead") {
      throw new QueueError(
        `Task ${id} has already ended (${row.status}); there is nothing to cancel.`,
        {
          code: "queue.invalid_state",
          taskId: id,
          hint:
            row.status === "dead"
              ? `It will not run again unless retried: orkestra task retry ${id}`
              : "A succeeded task keeps its result.",
        },
      );
    }
    if (row.status === "running") {
      if (row.cancel_requested_at === null) {
        await trx
          .updateTable("tasks")
          .set({ cancel_requested_at: now })
          .where("id", "=", id)
          .execute();
      }
      return { id, status: "running", cancelRequested: true };
    }
    await trx
      .updateTable("tasks")
      .set({
        status: "cancelled",
        finished_at: now,
        error_json: JSON.stringify({ code: "cancelled", message: options.reason ?? "cancelled" }),
      })
      .where("id", "=", id)
      .execute();
    await blockDependants(trx, { id, title: row.title, status: "cancelled" }, now);
    return { id, status: "cancelled", cancelRequested: false };
  });
}

/** The task's row, locked where the backend locks rows; a QueueError when there is none. */
export async function readForChange(store: Store, trx: QueueTransaction, id: string) {
  let query = trx
    .selectFrom("tasks")
    .select(["id", "title", "queue", "status", "pending_deps", "run_at", "cancel_requested_at"])
    .where("id", "=", id);
  if (store.capabilities.rowLocks) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) {
    throw new QueueError(`There is no task ${id}.`, {
      code: "queue.not_found",
      taskId: id,
      hint: "List tasks with: orkestra task list",
    });
  }
  return row;
}
