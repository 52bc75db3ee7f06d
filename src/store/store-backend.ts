import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import type { StoreCapabilities, StoreDialect, StoreSubscription } from "./store.js";
import type { StoreDdl } from "./store-ddl.js";

/** What a backend folder hands to `openStore`: a ready Kysely instance and how to close it. */
export interface StoreBackend {
  readonly dialect: StoreDialect;
  readonly capabilities: StoreCapabilities;
  /** The DDL spellings of this backend, for migrations. */
  readonly ddl: StoreDdl;
  readonly db: Kysely<Database>;
  /** Schema that holds our tables (PostgreSQL); undefined where there are no schemas. */
  readonly schema: string | undefined;
  /** LISTEN on a dedicated connection, where the backend has notifications. */
  listen?(
    channel: string,
    onNotify: (payload: string | undefined) => void,
  ): Promise<StoreSubscription>;
  /** See Store.dataVersion. */
  dataVersion?(): number;
  /** Closes connections; idempotent. Queries afterwards fail with `store.closed`. */
  close(): Promise<void>;
}

/** Options every backend understands. */
export interface StoreBackendOptions {
  /** How long SQLite waits for another process's write lock, ms. @defaultValue 5000 */
  sqliteBusyTimeoutMs?: number;
}
