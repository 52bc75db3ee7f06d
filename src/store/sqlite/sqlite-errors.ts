import { describeDriverError } from "../driver-error.js";
import { StoreError } from "../store-error.js";

const CONNECT_CODES = /^SQLITE_(CANTOPEN|NOTADB|PERM|AUTH|CORRUPT|READONLY)/;

/** Whether better-sqlite3 threw SQLITE_BUSY (or one of its extended codes): the file was locked. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/** Maps a better-sqlite3 error (SqliteError with `code` like `SQLITE_BUSY`) to a StoreError. */
export function mapSqliteError(error: unknown, closed: boolean, displayUrl: string): StoreError {
  const { message, driverCode } = describeDriverError(error);
  const code = driverCode ?? "";
  if (closed || message.includes("connection is not open")) {
    return new StoreError(`The store ${displayUrl} is closed.`, {
      code: "store.closed",
      hint: "Open a new store with openStore().",
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreError(`The SQLite database ${displayUrl} is busy: ${message}`, {
      code: "store.busy",
      driverCode,
      hint: "Another process held the write lock longer than the busy timeout; retry, or raise sqliteBusyTimeoutMs.",
      cause: error,
    });
  }
  if (code.startsWith("SQLITE_CONSTRAINT")) {
    return new StoreError(`Constraint violated: ${message}`, {
      code: "store.constraint",
      driverCode,
      cause: error,
    });
  }
  if (CONNECT_CODES.test(code)) {
    return new StoreError(`Cannot use the SQLite database ${displayUrl}: ${message}`, {
      code: "store.connect",
      driverCode,
      hint: "Check that the path is a writable SQLite file (or a new file in a writable directory).",
      cause: error,
    });
  }
  return new StoreError(`Store query failed: ${message}`, {
    code: "store.query",
    driverCode,
    cause: error,
  });
}
