import { describe, expect, it } from "vitest";
import { ManualClock } from "../manual-clock.js";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  it("starts full and refills continuously at capacity per minute", () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 600, clock });
    expect(bucket.tryTake(600)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    clock.advance(100);
    expect(bucket.available()).toBeCloseTo(1, 9);
    expect(bucket.msUntilAvailable(10)).toBe(900);
  });

  it("never holds more than its capacity", () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 10, clock });
    clock.advance(600_000);
    bucket.refund(5);
    expect(bucket.available()).toBe(10);
  });

  it("goes into debt on an unconditional take and pays it off over time", () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 60, clock });
    bucket.take(120);
    expect(bucket.available()).toBe(-60);
    expect(bucket.msUntilAvailable(1)).toBe(61_000);
  });

  it("asks an amount larger than the capacity to wait only for a full bucket", () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ capacity: 60, clock });
    expect(bucket.msUntilAvailable(1_000)).toBe(0);
    bucket.take(30);
    expect(bucket.msUntilAvailable(1_000)).toBe(30_000);
  });

  it("adds nothing when the clock steps backwards", () => {
    const clock = new ManualClock(10_000);
    const bucket = new TokenBucket({ capacity: 60, clock });
    bucket.take(60);
    clock.advance(-5_000);
    expect(bucket.available()).toBe(0);
  });
});
