import { describe, expect, it } from "vitest";
import { coerceError } from "./coerce-error.js";
import { OrkestraError, UsageError } from "./orkestra-error.js";

describe("OrkestraError", () => {
  it("is recognised by its marker, not by class identity", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("orkestra.error")]: true });
    expect(OrkestraError.isInstance(foreign)).toBe(true);
    expect(OrkestraError.isInstance(new Error("plain"))).toBe(false);
    expect(OrkestraError.isInstance(new UsageError("bad flag"))).toBe(true);
  });

  it("keeps the cause", () => {
    const cause = new Error("root");
    expect(new OrkestraError("outer", { code: "x", cause }).cause).toBe(cause);
  });
});

describe("coerceError", () => {
  it("turns strings and objects into Errors", () => {
    expect(coerceError("boom").message).toBe("boom");
    expect(coerceError({ message: "obj" }).message).toBe("obj");
    expect(coerceError(undefined).message).toContain("undefined");
  });
});
