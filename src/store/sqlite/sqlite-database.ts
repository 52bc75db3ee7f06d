import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import { StoreError } from "../store-error.js";
import { isSqliteBusy, mapSqliteError } from "./sqlite-errors.js";

/**
 * Opens the better-sqlite3 handle with the settings every Orkestra connection uses: WAL (readers
 * never block the writer), no busy timeout of SQLite's own (a writer waits for the lock in the
 * driver, off the event loop: SqliteStoreDriver, for `busyTimeoutMs`), foreign keys on, and
 * `synchronous=NORMAL` (durable across application crashes; a power cut may lose the last
 * commits, the documented WAL trade-off).
 */
export async function openSqliteDatabase(
  path: string,
  busyTimeoutMs: number,
  displayUrl: string,
): Promise<BetterSqlite3.Database> {
  const inMemory = path === ":memory:";
  let database: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    // `timeout` is SQLite's busy_timeout, which waits by sleeping inside the call.
    database = new BetterSqlite3(path, { timeout: 0 });
  } catch (error) {
    throw StoreError.isInstance(error) ? error : connectError(error, displayUrl);
  }
  try {
    if (!inMemory) await enableWal(database, busyTimeoutMs, displayUrl);
    database.pragma("foreign_keys = ON");
    database.pragma("synchronous = NORMAL");
    return database;
  } catch (error) {
    database.close();
    throw StoreError.isInstance(error) ? error : mapSqliteError(error, false, displayUrl);
  }
}

/**
 * Switching a new file to WAL needs an exclusive lock, so when several processes open the same
 * fresh file at once some see SQLITE_BUSY, or the pragma answers with the old mode. Both pass
 * once the first process has switched, so retry briefly.
 */
async function enableWal(
  database: BetterSqlite3.Database,
  busyTimeoutMs: number,
  displayUrl: string,
): Promise<void> {
  const deadline = Date.now() + Math.max(busyTimeoutMs, 1000);
  let lastError: unknown;
  for (;;) {
    try {
      const mode = database.pragma("journal_mode = WAL", { simple: true });
      if (mode === "wal") return;
      lastError = new Error(`journal_mode stayed ${String(mode)}`);
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new StoreError(`Could not switch ${displayUrl} to WAL mode: the file stayed busy.`, {
        code: "store.busy",
        hint: "Another process holds the database exclusively; retry, or raise sqliteBusyTimeoutMs.",
        cause: lastError,
      });
    }
    await sleep(10 + Math.random() * 40);
  }
}

function connectError(error: unknown, displayUrl: string): StoreError {
  const mapped = mapSqliteError(error, false, displayUrl);
  if (mapped.code !== "store.query") return mapped;
  return new StoreError(`Cannot open the SQLite database ${displayUrl}: ${mapped.message}`, {
    code: "store.connect",
    driverCode: mapped.driverCode,
    hint: "Check that the directory exists or can be created, and that the file is writable.",
    cause: error,
  });
}
