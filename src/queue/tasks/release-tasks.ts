import type { Store } from "../../store/index.js";
import { queueTransaction } from "../store/queue-db.js";
import { recordEndedAttempts } from "./attempt-rows.js";
import { blockDependants } from "./block-dependants.js";
import { announceReady, notifyReady } from "./ready-signal.js";
import type { TaskLease } from "./task-types.js";

export interface ReleaseTasksOptions {
  workerId: string;
  leases: readonly TaskLease[];
  /** Why, recorded on the attempt. @defaultValue "released by its worker" */
  reason?: string;
  /** @defaultValue Date.now() */
  now?: number;
}

/**
 * Gives tasks back (a worker stopping gracefully): each task still held with the same token
 * is `ready` again at once, its attempt's outcome is `released`, and the attempt is not counted
 * against max attempts (a shutdown is not the task's failure). A task whose cancel was asked
 * for becomes `cancelled` instead. Returns the leases released; the others were not held.
 */
export async function releaseTasks(
  store: Store,
  options: ReleaseTasksOptions,
): Promise<TaskLease[]> {
  const now = options.now ?? Date.now();
  const error = JSON.stringify({
    code: "released",
    message: options.reason ?? "released by its worker",
  });
  const readyQueues: string[] = [];
  const released = await queueTransaction(store, async (trx) => {
    const done: TaskLease[] = [];
    for (const lease of options.leases) {
      const row = await trx
        .updateTable("tasks")
        .set((expression) => ({
          status: expression
            .case()
            .when("cancel_requested_at", "is", null)
            .then("ready")
            .else("cancelled")
            .end(),
          attempts: expression
            .case()
            .when("attempts", ">", 0)
            .then(expression("attempts", "-", 1))
            .else(0)
            .end(),
          lease_owner: null,
          lease_expires_at: null,
        }))
        .where("id", "=", lease.id)
        .where("fencing_token", "=", lease.token)
        .where("lease_owner", "=", options.workerId)
        .returning(["id", "title", "queue", "status", "agent", "started_at"])
        .executeTakeFirst();
      if (!row) continue;
      await recordEndedAttempts(trx, [
        {
          taskId: lease.id,
          token: lease.token,
          worker: options.workerId,
          agent: row.agent,
          startedAt: Number(row.started_at ?? now),
          finishedAt: now,
          outcome: row.status === "cancelled" ? "cancelled" : "released",
          errorJson: error,
        },
      ]);
      if (row.status === "cancelled") {
        await trx.updateTable("tasks").set({ finished_at: now }).where("id", "=", row.id).execute();
        await blockDependants(trx, row, now);
      } else {
        readyQueues.push(row.queue);
      }
      done.push(lease);
    }
    await notifyReady(store, trx, readyQueues);
    return done;
  });
  announceReady(store, readyQueues);
  return released;
}
