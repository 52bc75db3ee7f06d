import { CompiledQuery, type DatabaseConnection, SqliteDriver } from "kysely";

/**
 * Kysely's SQLite driver, except that transactions take the write lock up front. A deferred
 * `BEGIN` that reads and then writes gets SQLITE_BUSY at once when another process committed
 * in between (the busy timeout does not apply to that upgrade), while `BEGIN IMMEDIATE` waits
 * for the lock under the busy timeout and then reads current data.
 */
export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
