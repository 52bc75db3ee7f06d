import type { Store } from "../../store/index.js";
import { queueTransaction } from "../store/queue-db.js";

export interface RecordTaskAgentOptions {
  workerId: string;
  id: string;
  token: number;
  /** The agent chosen to do it. */
  agent: string;
}

/**
 * Records which agent does a claimed task, on the task (and so on its current attempt), while
 * the lease is still held (owner and token). For a handler that picks the agent after the claim.
 * Returns false when the lease was lost.
 */
export async function recordTaskAgent(
  store: Store,
  options: RecordTaskAgentOptions,
): Promise<boolean> {
  return queueTransaction(store, async (trx) => {
    const updated = await trx
      .updateTable("tasks")
      .set({ agent: options.agent })
      .where("id", "=", options.id)
      .where("fencing_token", "=", options.token)
      .where("lease_owner", "=", options.workerId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    // The attempt's row is written when it ends, with the task's agent; a row is already there
    // only when an Orkestra that wrote attempt rows at the claim claimed it.
    await trx
      .updateTable("task_attempts")
      .set({ agent: options.agent })
      .where("task_id", "=", options.id)
      .where("attempt", "=", options.token)
      .execute();
    return true;
  });
}
