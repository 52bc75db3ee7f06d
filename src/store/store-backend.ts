import type { Kysely, KyselyConfig } from "kysely";
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

/** One statement the store ran (not BEGIN or COMMIT), for `OpenStoreOptions.onQuery`. */
export interface StoreQueryEvent {
  /** The SQL text as sent, with the dialect's placeholders. */
  readonly sql: string;
  /** The values bound to the placeholders; they may hold secrets: never log them. */
  readonly parameters: readonly unknown[];
  readonly durationMs: number;
}

/** Options every backend understands. */
export interface StoreBackendOptions {
  /** How long SQLite waits for another process's write lock, ms. @defaultValue 5000 */
  sqliteBusyTimeoutMs?: number;
  /** Told of every statement that succeeded (see `OpenStoreOptions.onQuery`). */
  onQuery?: (query: StoreQueryEvent) => void;
}

/** Kysely's `log` option for `onQuery`, or undefined (Kysely then wraps nothing). */
export function queryLog(
  onQuery: ((query: StoreQueryEvent) => void) | undefined,
): KyselyConfig["log"] {
  if (!onQuery) return undefined;
  return (event) => {
    if (event.level !== "query") return;
    onQuery({
      sql: event.query.sql,
      parameters: event.query.parameters,
      durationMs: event.queryDurationMillis,
    });
  };
}
