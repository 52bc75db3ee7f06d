import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Kysely,
  PostgresDriver,
  PostgresQueryCompiler,
  type QueryCompiler,
} from "kysely";
import type pg from "pg";
import { ErrorMappingDriver } from "../error-mapping-driver.js";
import { PostgresStoreAdapter } from "./postgres-adapter.js";
import { mapPostgresError } from "./postgres-errors.js";
import { PostgresSchemaIntrospector } from "./postgres-schema-introspector.js";

/**
 * Kysely's PostgreSQL dialect with StoreErrors, a per-schema migration lock and an introspector
 * that looks at the store's schema only.
 */
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
    return new PostgresSchemaIntrospector(db, this.#schema);
  }
}
