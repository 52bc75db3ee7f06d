import { describe, expect, it } from "vitest";
import { coerceError } from "./coerce-error.js";

describe("coerceError", () => {
  it("turns strings and objects into Errors", () => {
    expect(coerceError("boom").message).toBe("boom");
    expect(coerceError({ message: "obj" }).message).toBe("obj");
    expect(coerceError(undefined).message).toContain("undefined");
  });
});
