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
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  readonly audit: AuditLog;
  close(): Promise<void>;
}
