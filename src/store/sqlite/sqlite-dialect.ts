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
import { ErrorMappingDriver } from "../error-mapping-driver.js";
import { SqliteStoreAdapter } from "./sqlite-adapter.js";
import { ImmediateSqliteDriver } from "./sqlite-driver.js";
import { mapSqliteError } from "./sqlite-errors.js";
import { withStatementCache } from "./sqlite-statement-cache.js";

/** Kysely's SQLite dialect with BEGIN IMMEDIATE transactions, StoreErrors, and real DDL transactions. */
export class SqliteStoreDialect implements Dialect {
  readonly driver: ErrorMappingDriver;

  constructor(database: BetterSqlite3.Database, displayUrl: string) {
    this.driver = new ErrorMappingDriver(
      new ImmediateSqliteDriver({ database: withStatementCache(database) }),
      (error, closed) => mapSqliteError(error, closed, displayUrl),
    );
  }

  createDriver(): ErrorMappingDriver {
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
