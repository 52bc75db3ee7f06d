import { sql } from "kysely";
import type { QueueTransaction } from "../store/queue-tables.js";

/**
 * Blocks every task that needs `root`, directly or through other tasks, and has not ended:
 * after `root` ended dead or cancelled (or was blocked), they can never run. One recursive
 * statement. Returns how many were blocked.
 */
export async function blockDependants(
  trx: QueueTransaction,
  root: { id: string; title: string; status: string },
  now: number,
): Promise<number> {
  const reason = `it needs task ${root.id} ("${root.title}"), directly or through other tasks, and that task is ${root.status}`;
  const { rows } = await sql<{ id: string }>`
    with recursive downstream(id) as (
      select task_id from task_dependencies where depends_on = ${root.id}
      union
      select dependency.task_id from task_dependencies as dependency
      join downstream on dependency.depends_on = downstream.id
    )
    update tasks set status = 'blocked', blocked_reason = ${reason}, finished_at = ${now}
    where id in (select id from downstream) and status in ('waiting', 'ready', 'failed')
    returning id`.execute(trx);
  return rows.length;
}
