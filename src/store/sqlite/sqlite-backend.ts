import { Kysely } from "kysely";
import type { Database } from "../database.js";
import { queryLog, type StoreBackend, type StoreBackendOptions } from "../store-backend.js";
import { StoreError } from "../store-error.js";
import { SQLITE_CAPABILITIES } from "./sqlite-capabilities.js";
import { openSqliteDatabase } from "./sqlite-database.js";
import { SQLITE_DDL } from "./sqlite-ddl.js";
import { SqliteStoreDialect } from "./sqlite-dialect.js";

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Opens a SQLite file (or `:memory:`) as a store backend. */
export async function openSqliteBackend(
  path: string,
  displayUrl: string,
  options: StoreBackendOptions = {},
): Promise<StoreBackend> {
  const busyTimeoutMs = options.sqliteBusyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const database = await openSqliteDatabase(path, busyTimeoutMs, displayUrl);
  const dialect = new SqliteStoreDialect(database, displayUrl, busyTimeoutMs);
  return {
    dialect: "sqlite",
    capabilities: SQLITE_CAPABILITIES,
    ddl: SQLITE_DDL,
    db: new Kysely<Database>({ dialect, log: queryLog(options.onQuery) }),
    schema: undefined,
    dataVersion: () => {
      if (!database.open) throw closedError(displayUrl);
      return database.pragma("data_version", { simple: true }) as number;
    },
    close: async () => {
      await dialect.driver.close();
      // Kysely only closes the handle if it ever ran a query.
      if (database.open) database.close();
    },
  };
}

function closedError(displayUrl: string): StoreError {
  return new StoreError(`The store ${displayUrl} is closed.`, {
    code: "store.closed",
    hint: "Open a new store with openStore().",
  });
}
