import { describe, expect, it, vi } from "vitest";
import { OrkestraError } from "./orkestra-error.js";
import { UsageError } from "./usage-error.js";

describe("OrkestraError", () => {
  it("is recognised by its marker, not by class identity", async () => {
    vi.resetModules();
    const copy = await import("./orkestra-error.js");
    expect(copy.OrkestraError).not.toBe(OrkestraError);
    expect(OrkestraError.isInstance(new copy.OrkestraError("x", { code: "x" }))).toBe(true);
    expect(copy.OrkestraError.isInstance(new UsageError("bad flag"))).toBe(true);
    expect(OrkestraError.isInstance(new Error("plain"))).toBe(false);
  });

  it("is not fooled by a marker set to something other than true", () => {
    const forged = Object.assign(new Error("x"), {
      [Symbol.for("orkestra.error.OrkestraError")]: "yes",
    });
    expect(OrkestraError.isInstance(forged)).toBe(false);
  });

  it("keeps the cause", () => {
    const cause = new Error("root");
    expect(new OrkestraError("outer", { code: "x", cause }).cause).toBe(cause);
  });

  it("is not retryable unless told so", () => {
    expect(new OrkestraError("x", { code: "x" }).retryable).toBe(false);
    expect(new OrkestraError("x", { code: "x", retryable: true }).retryable).toBe(true);
  });

  it("serialises name, code, message, retryable and hint", () => {
    const error = new OrkestraError("it broke", { code: "thing.broke", hint: "Mend it." });
    expect(error.toJSON()).toEqual({
      name: "OrkestraError",
      code: "thing.broke",
      message: "it broke",
      retryable: false,
      hint: "Mend it.",
    });
    expect(new OrkestraError("x", { code: "x" }).toJSON().hint).toBeNull();
  });
});
