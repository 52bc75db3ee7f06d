import type { Store } from "../../store/index.js";
import type { QueueDb, QueueTables, QueueTransaction } from "./queue-tables.js";

/** The store's connection, typed with the queue's tables besides the store's own. */
export function queueDb(store: Store): QueueDb {
  return store.db.withTables<QueueTables>();
}

/** Store.transaction, typed with the queue's tables. */
export function queueTransaction<T>(
  store: Store,
  work: (trx: QueueTransaction) => Promise<T>,
): Promise<T> {
  return store.transaction((trx) => work(trx.withTables<QueueTables>()));
}
