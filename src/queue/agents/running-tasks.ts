import { sql } from "kysely";
import type { Store } from "../../store/index.js";

/**
 * The columns of the queue's `tasks` table that load is counted from. The table itself belongs
 * to the queue's task migrations; this is only what this query reads.
 */
export interface TaskLoadTable {
  /** The agent doing the task, once assigned. */
  agent: string | null;
  /** `waiting`, `ready`, `running`, `succeeded`, … */
  status: string;
}

/** Tasks running per agent, across every worker: the load that assignment weighs. */
export async function runningTasksByAgent(store: Store): Promise<Record<string, number>> {
  const rows = await store.db
    .withTables<{ tasks: TaskLoadTable }>()
    .selectFrom("tasks")
    .select(["agent", sql<number>`count(*)`.as("running")])
    .where("status", "=", "running")
    .where("agent", "is not", null)
    .groupBy("agent")
    .execute();
  const running: Record<string, number> = {};
  for (const row of rows) if (row.agent !== null) running[row.agent] = Number(row.running);
  return running;
}
