import { type Kysely, sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import { redactSecrets } from "../../observability/index.js";
import { StoreError } from "../store-error.js";
import type { MigrationBackend, StoreMigration } from "./store-migration.js";
import { STORE_MIGRATIONS } from "./store-migrations.js";

/** Where applied migrations are recorded, one row per migration name. */
export const MIGRATION_TABLE = "orkestra_migration";
export const MIGRATION_LOCK_TABLE = "orkestra_migration_lock";

export interface MigrateStoreOptions {
  /** The backend's named differences, handed to every migration. */
  backend: MigrationBackend;
  /** Schema of the migration tables (PostgreSQL); undefined on SQLite. */
  schema: string | undefined;
  /** @defaultValue STORE_MIGRATIONS */
  migrations?: readonly StoreMigration[];
}

/**
 * Applies every pending migration, under the backend's migration lock and in one transaction,
 * so processes that open the same database at once apply each migration exactly once.
 * Returns the names applied by this call.
 */
export async function migrateStore<Tables>(
  db: Kysely<Tables>,
  options: MigrateStoreOptions,
): Promise<string[]> {
  const migrations = options.migrations ?? STORE_MIGRATIONS;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => toKyselyMigrations(migrations, options.backend) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: options.schema,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) {
    return results.filter((result) => result.status === "Success").map((r) => r.migrationName);
  }

  const unknown = await findUnknownMigrations(db, options.schema, migrations).catch(() => []);
  if (unknown.length > 0) {
    const latest = migrations.at(-1)?.name ?? "none";
    throw new StoreError(
      `This database was migrated by a newer Orkestra (it has ${unknown.join(", ")}; this version knows up to ${latest}); upgrade Orkestra.`,
      {
        code: "store.newer_schema",
        hint: "Install the Orkestra version that migrated it, or newer.",
      },
    );
  }
  const failed = results.find((result) => result.status === "Error")?.migrationName;
  if (failed === undefined && StoreError.isInstance(error) && error.code !== "store.query") {
    throw error; // could not connect, busy, closed: more useful as it is
  }
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  throw new StoreError(
    failed === undefined
      ? `Preparing the migration tables failed: ${message}`
      : `Migration ${failed} failed: ${message}`,
    {
      code: "store.migrate",
      migration: failed,
      retryable: StoreError.isInstance(error) && error.retryable,
      driverCode: StoreError.isInstance(error) ? error.driverCode : undefined,
      hint: "Nothing of the failed migration was kept (it ran in a transaction); fix the cause and open the store again.",
      cause: error,
    },
  );
}

/** Names in the migration table that this code does not know. */
export async function findUnknownMigrations<Tables>(
  db: Kysely<Tables>,
  schema: string | undefined,
  migrations: readonly StoreMigration[] = STORE_MIGRATIONS,
): Promise<string[]> {
  const table = schema === undefined ? sql.id(MIGRATION_TABLE) : sql.id(schema, MIGRATION_TABLE);
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
  const known = new Set(migrations.map((migration) => migration.name));
  return rows.map((row) => row.name).filter((name) => !known.has(name));
}

function toKyselyMigrations(
  migrations: readonly StoreMigration[],
  backend: MigrationBackend,
): Record<string, Migration> {
  return Object.fromEntries(
    migrations.map((migration) => [
      migration.name,
      { up: (db: Kysely<unknown>) => migration.up(db, backend) },
    ]),
  );
}
