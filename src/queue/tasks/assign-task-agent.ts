import type { Store } from "../../store/index.js";
import { queueTransaction } from "../store/queue-db.js";
import type { TaskLease } from "./task-types.js";

export interface AssignTaskAgentOptions {
  /** The worker that holds the lease. */
  workerId: string;
  lease: TaskLease;
  agent: string;
}

/**
 * Records the agent a running task was given (its handler chose one after the claim): on the
 * task, so that `runningTasksByAgent` counts it against the agent's `maxConcurrent` on every
 * worker, and on the attempt. Only while `workerId` still holds the lease with that token;
 * returns false when it does not (the task is someone else's now).
 */
export async function assignTaskAgent(
  store: Store,
  options: AssignTaskAgentOptions,
): Promise<boolean> {
  const { workerId, lease, agent } = options;
  return queueTransaction(store, async (trx) => {
    const updated = await trx
      .updateTable("tasks")
      .set({ agent })
      .where("id", "=", lease.id)
      .where("fencing_token", "=", lease.token)
      .where("lease_owner", "=", workerId)
      .where("status", "=", "running")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await trx
      .updateTable("task_attempts")
      .set({ agent })
      .where("task_id", "=", lease.id)
      .where("attempt", "=", lease.token)
      .execute();
    return true;
  });
}
