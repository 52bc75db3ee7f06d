import { describe, expect, it } from "vitest";
import { ManualClock } from "../manual-clock.js";
import { RateLimiter, RateLimiterRegistry, type RateLimitPermit } from "./rate-limiter.js";

/** Lets resolved promises run their callbacks. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts an acquire and records when it settles, without awaiting it. */
function track(promise: Promise<RateLimitPermit>) {
  const state: { permit?: RateLimitPermit; error?: unknown } = {};
  promise.then(
    (permit) => {
      state.permit = permit;
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return state;
}

describe("RateLimiter", () => {
  it("lets every call through at once when no limit is configured", async () => {
    const limiter = new RateLimiter({});
    expect(limiter.limited).toBe(false);
    const permit = await limiter.acquire({ tokens: 1_000_000 });
    expect(permit.waitedMs).toBe(0);
    permit.settle(5);
    expect(limiter.waiting).toBe(0);
  });

  it("still refuses an already aborted signal when unlimited", async () => {
    const reason = new Error("gone");
    await expect(new RateLimiter().acquire({}, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("lets requests through up to the per-minute limit, then waits for the refill", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 60 }, { clock });
    for (let index = 0; index < 60; index++) await limiter.acquire();
    const next = track(limiter.acquire());
    await flush();
    expect(next.permit).toBeUndefined();
    clock.advance(999);
    await flush();
    expect(next.permit).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(next.permit?.waitedMs).toBe(1_000);
  });

  it("refills continuously rather than once a minute", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 6_000 }, { clock });
    (await limiter.acquire({ tokens: 6_000 })).settle(6_000);
    clock.advance(10_000); // a sixth of a minute: 1,000 tokens back
    const fits = track(limiter.acquire({ tokens: 1_000 }));
    await flush();
    expect(fits.permit).toBeDefined();
  });

  it("serves waiters first-in first-out: a small request never overtakes a large one", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    await limiter.acquire({ tokens: 900 });
    const large = track(limiter.acquire({ tokens: 500 }));
    const small = track(limiter.acquire({ tokens: 50 }));
    await flush();
    expect(small.permit).toBeUndefined(); // 100 are free, but the large one is first
    clock.advance(24_000); // 400 more: the large one fits
    await flush();
    expect(large.permit).toBeDefined();
    expect(small.permit).toBeUndefined();
    clock.advance(3_000); // 50 more: the small one fits
    await flush();
    expect(small.permit).toBeDefined();
  });

  it("arms one timer for the head of the queue, however many wait", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 1 }, { clock });
    await limiter.acquire();
    const waiters = Array.from({ length: 5 }, () => track(limiter.acquire()));
    await flush();
    expect(limiter.waiting).toBe(5);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(60_000);
    await flush();
    expect(waiters.map((waiter) => waiter.permit !== undefined)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(clock.pendingTimers).toBe(1);
  });

  it("waits for both buckets", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 600, tokensPerMinute: 600 }, { clock });
    await limiter.acquire({ tokens: 600 });
    const next = track(limiter.acquire({ tokens: 60 }));
    clock.advance(100); // a request is free again, tokens are not
    await flush();
    expect(next.permit).toBeUndefined();
    clock.advance(5_900);
    await flush();
    expect(next.permit?.waitedMs).toBe(6_000);
  });

  it("rejects promptly with the signal's reason on abort and takes nothing", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    await limiter.acquire({ tokens: 1_000 });
    const controller = new AbortController();
    const aborted = track(limiter.acquire({ tokens: 600 }, controller.signal));
    const reason = new DOMException("caller gave up", "AbortError");
    controller.abort(reason);
    await flush();
    expect(aborted.error).toBe(reason);
    expect(limiter.waiting).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    // The aborted call took nothing: the full minute's worth is there for the next one.
    const next = track(limiter.acquire({ tokens: 1_000 }));
    await flush();
    expect(next.permit).toBeDefined();
  });

  it("moves the next caller up when the head of the queue aborts", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    await limiter.acquire({ tokens: 900 });
    const controller = new AbortController();
    const head = track(limiter.acquire({ tokens: 800 }, controller.signal));
    const second = track(limiter.acquire({ tokens: 100 }));
    await flush();
    expect(second.permit).toBeUndefined();
    controller.abort();
    await flush();
    expect(head.error).toBeInstanceOf(DOMException);
    expect(second.permit).toBeDefined();
  });

  it("keeps the head's timer when a caller further back aborts", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 1 }, { clock });
    await limiter.acquire();
    const head = track(limiter.acquire());
    const controller = new AbortController();
    const behind = track(limiter.acquire({}, controller.signal));
    controller.abort();
    await flush();
    expect(behind.error).toBeDefined();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(60_000);
    await flush();
    expect(head.permit).toBeDefined();
  });

  it("ignores an abort that comes after the permit was granted", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 1 }, { clock });
    const controller = new AbortController();
    const permit = await limiter.acquire({}, controller.signal);
    controller.abort();
    expect(permit.waitedMs).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it("takes the difference when a call used more tokens than estimated", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    const permit = await limiter.acquire({ tokens: 100 });
    permit.settle(700); // 300 left
    const next = track(limiter.acquire({ tokens: 400 }));
    await flush();
    expect(next.permit).toBeUndefined();
    clock.advance(6_000); // +100
    await flush();
    expect(next.permit).toBeDefined();
  });

  it("refunds the difference when the estimate was too high, letting a waiter through", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    const permit = await limiter.acquire({ tokens: 900 });
    const next = track(limiter.acquire({ tokens: 500 }));
    await flush();
    expect(next.permit).toBeUndefined();
    permit.settle(200); // 700 back: 800 free
    await flush();
    expect(next.permit).toBeDefined();
  });

  it("counts only the first settle", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    const permit = await limiter.acquire({ tokens: 500 });
    permit.settle(0);
    permit.settle(0);
    permit.release();
    await limiter.acquire({ tokens: 1_000 });
    const next = track(limiter.acquire({ tokens: 1 }));
    await flush();
    expect(next.permit).toBeUndefined();
  });

  it("keeps the estimate when the settled count is not a number", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    (await limiter.acquire({ tokens: 1_000 })).settle(Number.NaN);
    const next = track(limiter.acquire({ tokens: 1 }));
    await flush();
    expect(next.permit).toBeUndefined();
  });

  it("gives back the request and the tokens when a permit is released unused", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 1, tokensPerMinute: 100 }, { clock });
    const permit = await limiter.acquire({ tokens: 100 });
    const next = track(limiter.acquire({ tokens: 100 }));
    await flush();
    expect(next.permit).toBeUndefined();
    permit.release();
    await flush();
    expect(next.permit).toBeDefined();
  });

  it("lets a request larger than the bucket through when the bucket is full, leaving a debt", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    const huge = await limiter.acquire({ tokens: 5_000 });
    expect(huge.waitedMs).toBe(0);
    const next = track(limiter.acquire({ tokens: 10 }));
    await flush();
    // 4,000 of debt plus 10 at 1,000 a minute: 240.6 s.
    clock.advance(240_599);
    await flush();
    expect(next.permit).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(next.permit).toBeDefined();
  });

  it("makes a request larger than the bucket wait for a full bucket, not forever", async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ tokensPerMinute: 1_000 }, { clock });
    await limiter.acquire({ tokens: 500 });
    const huge = track(limiter.acquire({ tokens: 5_000 }));
    clock.advance(29_999);
    await flush();
    expect(huge.permit).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(huge.permit?.waitedMs).toBe(30_000);
  });

  it("rejects a token estimate that is not a count", async () => {
    const limiter = new RateLimiter({ tokensPerMinute: 10 });
    await expect(limiter.acquire({ tokens: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(limiter.acquire({ tokens: Number.NaN })).rejects.toBeInstanceOf(RangeError);
  });

  it("waits on the real clock too", async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60_000 }); // one per millisecond
    const started = Date.now();
    const permits = await Promise.all(Array.from({ length: 60_003 }, () => limiter.acquire()));
    expect(permits).toHaveLength(60_003);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2);
  });
});

describe("RateLimiterRegistry", () => {
  it("shares one limiter per alias", () => {
    const registry = new RateLimiterRegistry();
    const limits = { requestsPerMinute: 10 };
    expect(registry.get("claude", limits)).toBe(registry.get("claude", { requestsPerMinute: 10 }));
    expect(registry.get("claude", limits)).not.toBe(registry.get("gpt", limits));
  });

  it("hands out the never-waiting limiter when a model has no limits", () => {
    const registry = new RateLimiterRegistry();
    expect(registry.get("a", undefined).limited).toBe(false);
    expect(registry.get("b", {}).limited).toBe(false);
  });

  it("builds a fresh limiter when the configured limits change", () => {
    const registry = new RateLimiterRegistry();
    const before = registry.get("claude", { requestsPerMinute: 10 });
    const after = registry.get("claude", { requestsPerMinute: 20 });
    expect(after).not.toBe(before);
    expect(after.limits.requestsPerMinute).toBe(20);
  });
});
