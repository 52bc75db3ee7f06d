import { describe, expect, it } from "vitest";
import { derivedSeed, seededShuffle } from "./seeded-shuffle.js";

describe("seeded shuffle", () => {
  const items = ["a", "b", "c", "d", "e", "f", "g", "h"];

  it("is a permutation, the same for the same seed", () => {
    const once = seededShuffle(items, 123);
    expect([...once].sort()).toEqual(items);
    expect(seededShuffle(items, 123)).toEqual(once);
    expect(items).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  it("spreads every item over every position across seeds (no position bias of its own)", () => {
    const firsts = new Map<string, number>();
    for (let seed = 0; seed < 8_000; seed += 1) {
      const first = seededShuffle(items, derivedSeed(seed, "options", 0, 1))[0] ?? "";
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const item of items) expect(firsts.get(item)).toBeGreaterThan(800);
  });

  it("derives different seeds for different members and rounds", () => {
    const seeds = new Set(
      [0, 1, 2].flatMap((member) =>
        [1, 2].map((round) => derivedSeed(7, "options", member, round)),
      ),
    );
    expect(seeds.size).toBe(6);
  });
});
