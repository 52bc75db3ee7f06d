import { type Kysely, sql } from "kysely";
import type { Store } from "../../store/index.js";

/** The PostgreSQL channel on which the queue announces ready tasks; the payload is the queue's name. */
export const TASKS_CHANNEL = "orkestra_tasks";

type ReadyListener = (queue: string) => void;

const listeners = new WeakMap<Store, Set<ReadyListener>>();

/**
 * Calls `listener` with a queue's name when this process made tasks ready in that queue on
 * `store` (after the commit). Other processes are heard through `store.listen` (PostgreSQL) or
 * by polling. Returns the function that stops listening.
 */
export function onTasksReady(store: Store, listener: ReadyListener): () => void {
  let set = listeners.get(store);
  if (!set) {
    set = new Set();
    listeners.set(store, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells this process's listeners that tasks became ready in `queues`; call after commit. */
export function announceReady(store: Store, queues: Iterable<string>): void {
  const set = listeners.get(store);
  if (!set || set.size === 0) return;
  for (const queue of new Set(queues)) {
    for (const listener of set) listener(queue);
  }
}

/**
 * Inside the transaction that readies tasks: NOTIFY on stores that have notifications, so the
 * notification leaves at commit (and not at all on rollback). A no-op elsewhere.
 */
export async function notifyReady<Tables>(
  store: Store,
  runner: Kysely<Tables>,
  queues: Iterable<string>,
): Promise<void> {
  if (!store.capabilities.notifications) return;
  const distinct = [...new Set(queues)];
  if (distinct.length === 0) return;
  await sql`select pg_notify(${TASKS_CHANNEL}, queue) from (${sql.join(
    distinct.map((queue) => sql`select cast(${queue} as text) as queue`),
    sql` union all `,
  )}) as ready`.execute(runner);
}
