import { SqliteAdapter } from "kysely";

/**
 * SQLite does support transactional DDL; Kysely's adapter says no and its migration lock is a
 * no-op. Saying yes makes the Migrator run all pending migrations inside one transaction, which
 * our driver opens with BEGIN IMMEDIATE: a second process waits for the first to commit, then
 * reads the migration table and finds nothing left to do.
 */
export class SqliteStoreAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
