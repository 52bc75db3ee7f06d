import { Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../database.js";
import { queryLog, type StoreBackend, type StoreBackendOptions } from "../store-backend.js";
import { StoreError } from "../store-error.js";
import { POSTGRES_CAPABILITIES } from "./postgres-capabilities.js";
import { POSTGRES_DDL } from "./postgres-ddl.js";
import { PostgresStoreDialect } from "./postgres-dialect.js";
import { mapPostgresError } from "./postgres-errors.js";
import { listenPostgres } from "./postgres-listener.js";
import { createPostgresPool, withSearchPath } from "./postgres-pool.js";

/**
 * Connects to PostgreSQL as a store backend. With a schema, the schema is created when missing
 * and is the only entry of `search_path`; without one, the server's current schema is used.
 */
export async function openPostgresBackend(
  connectionString: string,
  requestedSchema: string | undefined,
  displayUrl: string,
  options: StoreBackendOptions = {},
): Promise<StoreBackend> {
  const pool = createPostgresPool(connectionString, requestedSchema);
  let schema: string;
  try {
    schema = await prepareSchema(pool, requestedSchema, displayUrl);
  } catch (error) {
    await pool.end().catch(() => {});
    throw StoreError.isInstance(error) ? error : mapPostgresError(error, false, displayUrl);
  }
  const dialect = new PostgresStoreDialect(pool, schema, displayUrl);
  return {
    dialect: "postgres",
    capabilities: POSTGRES_CAPABILITIES,
    ddl: POSTGRES_DDL,
    db: new Kysely<Database>({ dialect, log: queryLog(options.onQuery) }),
    schema,
    listen: (channel, onNotify) =>
      listenPostgres(withSearchPath(connectionString, requestedSchema), channel, onNotify),
    close: async () => {
      await dialect.driver.close();
      // Kysely only ends the pool if it ever ran a query.
      if (!pool.ending) await pool.end();
    },
  };
}

async function prepareSchema(
  pool: pg.Pool,
  schema: string | undefined,
  displayUrl: string,
): Promise<string> {
  if (schema === undefined) {
    const { rows } = await pool.query<{ schema: string | null }>(
      "select current_schema() as schema",
    );
    const current = rows[0]?.schema;
    if (!current) {
      throw new StoreError(`PostgreSQL at ${displayUrl} has no current schema.`, {
        code: "store.connect",
        hint: "Add ?schema=<name> to the store URL, or fix the user's search_path.",
      });
    }
    return current;
  }
  // Look first: CREATE SCHEMA needs the CREATE privilege even when the schema exists.
  if (await schemaExists(pool, schema)) return schema;
  try {
    await pool.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two processes creating the schema at once: the loser gets a unique violation.
    if (!(await schemaExists(pool, schema))) throw error;
  }
  return schema;
}

async function schemaExists(pool: pg.Pool, schema: string): Promise<boolean> {
  const { rowCount } = await pool.query("select 1 from pg_namespace where nspname = $1", [schema]);
  return (rowCount ?? 0) > 0;
}
