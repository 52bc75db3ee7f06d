import type { Store } from "../../store/index.js";
import type { EngineDb, EngineTables, EngineTransaction } from "./engine-tables.js";

/** The store's connection, typed with the engine's tables besides the store's own. */
export function engineDb(store: Store): EngineDb {
  return store.db.withTables<EngineTables>();
}

/** Store.transaction, typed with the engine's tables. */
export function engineTransaction<T>(
  store: Store,
  work: (trx: EngineTransaction) => Promise<T>,
): Promise<T> {
  return store.transaction((trx) => work(trx.withTables<EngineTables>()));
}
