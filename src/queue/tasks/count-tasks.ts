import { sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";

/** How many tasks of one queue a worker would take up now. */
export interface DueTaskCount {
  queue: string;
  count: number;
}

/**
 * Per queue, the tasks that wait only for a worker: `ready` ones, and `waiting` or `failed`
 * ones with no pending dependency whose `runAt` has passed (a worker promotes those to ready
 * first). Read-only; queues with none are left out.
 */
export async function countDueTasks(
  store: Store,
  now: number = Date.now(),
): Promise<DueTaskCount[]> {
  const rows = await queueDb(store)
    .selectFrom("tasks")
    .select(["queue", sql<number>`count(*)`.as("count")])
    .where((where) =>
      where.or([
        where("status", "=", "ready"),
        where.and([
          where("status", "in", ["waiting", "failed"]),
          where("pending_deps", "=", 0),
          where("run_at", "<=", now),
        ]),
      ]),
    )
    .groupBy("queue")
    .orderBy("queue")
    .execute();
  return rows.map((row) => ({ queue: row.queue, count: Number(row.count) }));
}
