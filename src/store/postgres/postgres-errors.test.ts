import { describe, expect, it } from "vitest";
import { mapPostgresError } from "./postgres-errors.js";

const URL = "postgres://app:***@db:5432/app";

function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe("mapPostgresError", () => {
  it.each([
    ["40001", "store.busy", true],
    ["40P01", "store.busy", true],
    ["55P03", "store.busy", true],
    ["23505", "store.constraint", false],
    ["23001", "store.constraint", false],
    ["57P01", "store.connect", true],
    ["08006", "store.connect", true],
    ["ECONNRESET", "store.connect", true],
    ["ECONNREFUSED", "store.connect", true],
    ["28P01", "store.connect", false],
    ["3D000", "store.connect", false],
    ["ENOTFOUND", "store.connect", false],
    ["42P01", "store.query", false],
  ])("maps %s to %s (retryable: %s)", (code, expected, retryable) => {
    const error = mapPostgresError(pgError("boom", code), false, URL);
    expect(error).toMatchObject({ code: expected, retryable, driverCode: code });
  });

  it("treats pg's own dropped-connection messages as retryable connection errors", () => {
    expect(
      mapPostgresError(pgError("Connection terminated unexpectedly"), false, URL),
    ).toMatchObject({ code: "store.connect", retryable: true });
    expect(
      mapPostgresError(
        pgError("Client has encountered a connection error and is not queryable"),
        false,
        URL,
      ),
    ).toMatchObject({ code: "store.connect", retryable: true });
  });

  it("says store.closed once the store is closed, whatever the driver said", () => {
    expect(mapPostgresError(pgError("anything", "ECONNRESET"), true, URL).code).toBe(
      "store.closed",
    );
  });

  it("scrubs secrets out of driver messages", () => {
    const error = mapPostgresError(
      pgError('invalid input near "postgres://app:leaked-pw@db/app" password=leaked-pw'),
      false,
      URL,
    );
    expect(error.message).not.toContain("leaked-pw");
  });
});
