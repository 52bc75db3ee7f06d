import { describe, expect, it } from "vitest";
import { mapSqliteError } from "./sqlite-errors.js";

function sqliteError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("mapSqliteError", () => {
  it.each([
    ["SQLITE_BUSY", "store.busy", true],
    ["SQLITE_BUSY_SNAPSHOT", "store.busy", true],
    ["SQLITE_LOCKED", "store.busy", true],
    ["SQLITE_CONSTRAINT_UNIQUE", "store.constraint", false],
    ["SQLITE_CONSTRAINT_TRIGGER", "store.constraint", false],
    ["SQLITE_CANTOPEN", "store.connect", false],
    ["SQLITE_NOTADB", "store.connect", false],
    ["SQLITE_ERROR", "store.query", false],
  ])("maps %s to %s (retryable: %s)", (code, expected, retryable) => {
    const error = mapSqliteError(sqliteError("boom", code), false, "sqlite:x.db");
    expect(error).toMatchObject({ code: expected, retryable, driverCode: code });
  });

  it("says store.closed for a closed handle", () => {
    const error = mapSqliteError(
      new TypeError("The database connection is not open"),
      false,
      "sqlite:x.db",
    );
    expect(error.code).toBe("store.closed");
  });
});
