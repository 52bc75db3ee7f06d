import { describe, expect, it } from "vitest";
import { timeOrderedId } from "./time-ordered-id.js";

describe("timeOrderedId", () => {
  it("is a UUID version 7 carrying the time in ms, with the RFC 9562 variant", () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
    const id = timeOrderedId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(now);
  });

  it("ascends: within one millisecond, across milliseconds, and past 4,096 ids in one millisecond", () => {
    const now = Date.now() + 60_000;
    const ids = [
      ...Array.from({ length: 5000 }, () => timeOrderedId(now)),
      ...Array.from({ length: 10 }, (_, index) => timeOrderedId(now + 2 + index)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("never goes back when the clock does", () => {
    const later = Date.now() + 120_000;
    const first = timeOrderedId(later);
    expect(timeOrderedId(later - 1000) > first).toBe(true);
  });
});
