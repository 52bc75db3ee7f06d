import { type Kysely, sql } from "kysely";
import type { Database, Store } from "../../store/index.js";

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

/**
 * Tasks running per agent, across every worker: the load that assignment weighs. Pass a
 * transaction instead of the store to count inside a claim, so that the capacity check and
 * the assignment see the same rows.
 */
export async function runningTasksByAgent(
  source: Store | Kysely<Database>,
): Promise<Record<string, number>> {
  // Any executor of the store's database will do; the query names only `tasks` and its
  // two columns, whatever else the caller's tables type declares.
  const db = (isStore(source) ? source.db : source) as unknown as Kysely<{ tasks: TaskLoadTable }>;
  const rows = await db
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

function isStore<Tables>(source: Store | Kysely<Tables>): source is Store {
  return "audit" in source && "capabilities" in source;
}
