import { type Kysely, sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";
import type { QueueDatabase } from "../store/queue-tables.js";
import { announceReady, notifyReady } from "./ready-signal.js";

/** Tasks made ready per call at most; more are left to the next. */
const PROMOTE_LIMIT = 1000;

/**
 * Makes due tasks ready: `waiting` tasks with no pending dependency whose `runAt` has passed,
 * and `failed` tasks whose retry is due. One statement over a partial index (tasks_due), cheap
 * when nothing is due. The outer `status in (…)` is checked again on the row as updated, so a
 * task another process promoted and claimed meanwhile is left alone. Pass `runner` to run
 * inside a transaction (its caller announces nothing: the commit is not done yet). Returns
 * how many tasks it made ready.
 */
export async function promoteDueTasks(
  store: Store,
  now: number = Date.now(),
  runner?: Kysely<QueueDatabase>,
): Promise<number> {
  const db = runner ?? queueDb(store);
  // Concurrent promoters skip each other's rows instead of waiting (and, locking in different
  // orders, deadlocking); without row locks (SQLite) the write lock serialises them anyway.
  const skipLocked = store.capabilities.skipLocked ? sql`for update skip locked` : sql``;
  const { rows } = await sql<{ queue: string }>`
    update tasks set status = 'ready'
    where id in (
      select id from tasks
      where status in ('waiting', 'failed') and pending_deps = 0 and run_at <= ${now}
      order by run_at
      limit ${PROMOTE_LIMIT}
      ${skipLocked}
    )
      and status in ('waiting', 'failed') and pending_deps = 0
    returning queue`.execute(db);
  if (rows.length === 0) return 0;
  const queues = rows.map((row) => row.queue);
  await notifyReady(store, db, queues);
  if (!runner) announceReady(store, queues);
  return rows.length;
}

/** The earliest `runAt` among tasks that will become due by time alone, or undefined. */
export async function nextDueAt(store: Store): Promise<number | undefined> {
  const row = await queueDb(store)
    .selectFrom("tasks")
    .select((expression) => expression.fn.min<number>("run_at").as("next"))
    .where("status", "in", ["waiting", "failed"])
    .where("pending_deps", "=", 0)
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
}
