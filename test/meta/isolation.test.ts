import { describe, expect, it } from "vitest";
import { BUILTIN_HOSTED_MODELS } from "../../src/config/index.js";

describe("test isolation", () => {
  it("runs without any provider key in the environment, so no test can reach a real provider", () => {
    for (const model of BUILTIN_HOSTED_MODELS) expect(process.env[model.variable]).toBeUndefined();
  });
});
