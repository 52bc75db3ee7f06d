import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Kysely,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
} from "kysely";
import type pg from "pg";
import { ErrorMappingDriver } from "../error-mapping-driver.js";
import { PostgresStoreAdapter } from "./postgres-adapter.js";
import { mapPostgresError } from "./postgres-errors.js";

/** Kysely's PostgreSQL dialect with StoreErrors and a per-schema migration lock. */
export class PostgresStoreDialect implements Dialect {
  readonly driver: ErrorMappingDriver;
  readonly #schema: string;

  constructor(pool: pg.Pool, schema: string, displayUrl: string) {
    this.#schema = schema;
    this.driver = new ErrorMappingDriver(new PostgresDriver({ pool }), (error, closed) =>
      mapPostgresError(error, closed, displayUrl),
    );
  }

  createDriver(): ErrorMappingDriver {
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresStoreAdapter(this.#schema);
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
