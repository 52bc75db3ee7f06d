import type BetterSqlite3 from "better-sqlite3";
import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Kysely,
  type QueryCompiler,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { SqliteStoreAdapter } from "./sqlite-adapter.js";
import { SqliteStoreDriver } from "./sqlite-driver.js";

/** Kysely's SQLite dialect with BEGIN IMMEDIATE transactions, StoreErrors, and real DDL transactions. */
export class SqliteStoreDialect implements Dialect {
  readonly driver: SqliteStoreDriver;

  constructor(database: BetterSqlite3.Database, displayUrl: string, lockWaitMs: number) {
    this.driver = new SqliteStoreDriver(database, displayUrl, lockWaitMs);
  }

  createDriver(): SqliteStoreDriver {
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteStoreAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
