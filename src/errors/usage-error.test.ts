import { describe, expect, it } from "vitest";
import { OrkestraError } from "./orkestra-error.js";
import { UsageError } from "./usage-error.js";

describe("UsageError", () => {
  it("has code usage and keeps hint and cause", () => {
    const cause = new Error("root");
    const error = new UsageError("--timeout: not a duration", { hint: "Use 30s.", cause });
    expect(error.toJSON()).toMatchObject({ name: "UsageError", code: "usage", hint: "Use 30s." });
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(false);
  });

  it("is not an instance of an unrelated OrkestraError", () => {
    expect(UsageError.isInstance(new OrkestraError("x", { code: "usage" }))).toBe(false);
    expect(UsageError.isInstance(new UsageError("x"))).toBe(true);
  });
});
