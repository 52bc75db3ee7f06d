import { sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";
import { taskRow } from "./new-task-row.js";
import type { PreparedTask } from "./prepare-task-specs.js";
import { TASKS_CHANNEL } from "./ready-signal.js";
import type { AddedTask, TaskStatus } from "./task-types.js";

/** Rows one statement may insert: beyond it, addTasks takes the transaction path. */
const ONE_STATEMENT_LIMIT = 500;

/** What adding did: a result per entry, and the queues that got ready tasks. */
export interface Added {
  results: AddedTask[];
  readyQueues: string[];
}

/**
 * The common case in one statement, where the store has data-modifying CTEs (PostgreSQL):
 * tasks that need no other task and have no idempotency key have nothing to look up, so the
 * tasks, their capability rows and the NOTIFY of their queues go in one autocommit statement
 * (one round trip instead of four, which is most of an idle worker's pickup latency).
 * Returns undefined when the entries are not all of that kind, or the store cannot.
 */
export async function insertIndependentTasks(
  store: Store,
  prepared: readonly PreparedTask[],
  now: number,
): Promise<Added | undefined> {
  if (!store.capabilities.dataModifyingCtes || prepared.length > ONE_STATEMENT_LIMIT)
    return undefined;
  const independent = prepared.every(
    (task) =>
      task.idempotencyKey === null && task.storedNeeds.length === 0 && task.batchNeeds.length === 0,
  );
  if (!independent) return undefined;
  const db = queueDb(store);
  const rows = prepared.map((task) => taskRow(task, [], now));
  const capabilities = prepared.flatMap((task) =>
    task.capabilities.map((capability) => ({ task_id: task.id, capability })),
  );
  const capabilityRows =
    capabilities.length > 0
      ? sql`, capability_rows as (${db.insertInto("task_capabilities").values(capabilities)})`
      : sql``;
  const notify = store.capabilities.notifications
    ? sql`, pg_notify(${TASKS_CHANNEL}, queue)`
    : sql``;
  await sql`
    with inserted as (${db.insertInto("tasks").values(rows).returning(["queue", "status"])})
    ${capabilityRows}
    select queue ${notify} from (select distinct queue from inserted where status = 'ready') as ready`.execute(
    db,
  );
  return {
    results: rows.map((row, index) => ({
      id: row.id,
      key: (prepared[index] as PreparedTask).key,
      status: row.status as TaskStatus,
      existing: false,
    })),
    readyQueues: rows.filter((row) => row.status === "ready").map((row) => row.queue),
  };
}
