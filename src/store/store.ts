import type { Kysely, Transaction } from "kysely";
import type { AuditLog } from "./audit-log.js";
import type { Database } from "./database.js";

export type StoreDialect = "sqlite" | "postgres";

/** What differs between backends, named, so code outside the backend folders can branch on it. */
export interface StoreCapabilities {
  /** Several connections at once (PostgreSQL pool) versus one (SQLite). */
  readonly multipleConnections: boolean;
  /** `FOR UPDATE SKIP LOCKED` row claiming. */
  readonly skipLocked: boolean;
  /** LISTEN/NOTIFY to wake idle workers. */
  readonly notifications: boolean;
  /**
   * `SELECT … FOR UPDATE` locks the rows read until commit; a read-then-write transaction needs
   * it. Without it (SQLite) the whole transaction already holds the database's write lock.
   */
  readonly rowLocks: boolean;
  /**
   * `WITH … AS (UPDATE/DELETE/INSERT … RETURNING …)`: several writes in one statement, so a
   * read-modify-write can run as one autocommit statement (PostgreSQL). SQLite allows only
   * SELECT in a WITH clause.
   */
  readonly dataModifyingCtes: boolean;
  /**
   * A parameter may be an array (`cast($1 as text[])`, `unnest(…)`): a statement over any number
   * of rows keeps one text and a handful of parameters, so the server plans it as cheaply for
   * 16 rows as for one (PostgreSQL). SQLite has no arrays: there a multi-row `VALUES` it is.
   */
  readonly arrayParameters: boolean;
}

/**
 * One API over SQLite and PostgreSQL. Queries are Kysely queries on `db`; multi-statement
 * writes go through `transaction`, which takes the write lock up front on SQLite
 * (BEGIN IMMEDIATE) so concurrent processes wait instead of failing.
 */
export interface Store {
  readonly dialect: StoreDialect;
  /** The connection string with any password replaced by `***`. */
  readonly displayUrl: string;
  readonly capabilities: StoreCapabilities;
  readonly db: Kysely<Database>;
  /**
   * Runs `work` in a transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown as is). On PostgreSQL the isolation is READ COMMITTED: lock what you read
   * and then write (`forUpdate()` where `capabilities.rowLocks`). Inside `work` use `trx`,
   * never `db`: SQLite has one connection, so a query on `db` would wait for this transaction
   * to end, forever.
   */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  readonly audit: AuditLog;
  /**
   * Present exactly when `capabilities.notifications`: calls `onNotify` with the payload of
   * every notification on `channel` (PostgreSQL LISTEN, on a connection of its own). A hint
   * only: a dropped connection is re-established with backoff and `onNotify(undefined)` is
   * called after each reconnect, since notifications sent meanwhile are lost; keep polling
   * underneath. Closed by the subscription's `close()` or by the store's.
   */
  listen?(
    channel: string,
    onNotify: (payload: string | undefined) => void,
  ): Promise<StoreSubscription>;
  /**
   * Present where the backend can say cheaply whether another connection has committed
   * (SQLite's `PRAGMA data_version`, microseconds): a number that changes whenever a commit
   * by any other connection, in this process or another, lands. Commits on this store's own
   * connection do not change it. For idle pollers that want to skip a query when nothing changed.
   */
  dataVersion?(): number;
  /** Closes every connection; idempotent. Anything used afterwards fails with `store.closed`. */
  close(): Promise<void>;
}

/** A LISTEN in place; see {@link Store.listen}. */
export interface StoreSubscription {
  /** Whether the connection is up and listening right now. */
  readonly listening: boolean;
  /** Stops listening and closes the connection; idempotent. */
  close(): Promise<void>;
}
