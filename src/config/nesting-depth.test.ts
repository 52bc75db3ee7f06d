import { describe, expect, it } from "vitest";
import { deepestNesting } from "./nesting-depth.js";

describe("deepestNesting", () => {
  it("stays under the limit for an ordinary file", () => {
    const text =
      'models:\n  sim: { provider: simulated, latencyMs: [1, 2] } # [ ignored\n  x: "[[["\n';
    expect(deepestNesting(text, 5).depth).toBeLessThanOrEqual(5);
  });

  it("stops at the first place deeper than the limit, by flow or by block", () => {
    expect(deepestNesting(`a: ${"[".repeat(50)}${"]".repeat(50)}`, 10)).toEqual({
      depth: 11,
      offset: 12,
    });
    const block = Array.from({ length: 20 }, (_, level) => `${" ".repeat(level)}k${level}:`).join(
      "\n",
    );
    expect(deepestNesting(block, 10).depth).toBe(11);
  });
});
