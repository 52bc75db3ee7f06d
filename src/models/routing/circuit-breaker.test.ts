import { describe, expect, it } from "vitest";
import { MODEL_ERROR_KINDS } from "../errors/model-error.js";
import { ManualClock } from "../manual-clock.js";
import {
  type BreakerEvent,
  CircuitBreaker,
  CircuitBreakerRegistry,
  countsAsBreakerFailure,
} from "./circuit-breaker.js";

function makeBreaker(failureThreshold = 3, cooldownMs = 10_000) {
  const clock = new ManualClock(1_000);
  const events: BreakerEvent[] = [];
  const breaker = new CircuitBreaker({
    name: "claude",
    failureThreshold,
    cooldownMs,
    clock,
    onEvent: (event) => events.push(event),
  });
  return { clock, events, breaker };
}

function fail(breaker: CircuitBreaker, times: number, kind: "server" | "timeout" = "server") {
  for (let index = 0; index < times; index++) breaker.recordFailure(kind, breaker.tryAcquire());
}

describe("CircuitBreaker", () => {
  it("counts health failures and ignores request-specific ones", () => {
    const counted = MODEL_ERROR_KINDS.filter(countsAsBreakerFailure);
    expect(counted.sort()).toEqual(
      [
        "auth",
        "network",
        "not_found",
        "overloaded",
        "quota_exhausted",
        "rate_limit",
        "server",
        "timeout",
      ].sort(),
    );
  });

  it("opens after the configured number of consecutive failures", () => {
    const { breaker, events, clock } = makeBreaker(3);
    fail(breaker, 2);
    expect(breaker.state).toBe("closed");
    fail(breaker, 1, "timeout");
    expect(breaker.state).toBe("open");
    expect(events).toEqual([
      {
        type: "breaker:open",
        name: "claude",
        from: "closed",
        to: "open",
        at: clock.now(),
        consecutiveFailures: 3,
        retryAt: clock.now() + 10_000,
        failureKind: "timeout",
      },
    ]);
  });

  it("defaults to five failures and a thirty second cool-down", () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ name: "gpt", clock });
    fail(breaker, 4);
    expect(breaker.state).toBe("closed");
    fail(breaker, 1);
    expect(breaker.snapshot()).toMatchObject({ state: "open", openedAt: 0, retryAt: 30_000 });
  });

  it("resets the count on a success", () => {
    const { breaker } = makeBreaker(3);
    fail(breaker, 2);
    breaker.recordSuccess(breaker.tryAcquire());
    fail(breaker, 2);
    expect(breaker.state).toBe("closed");
  });

  it("neither counts nor resets on request-specific failures", () => {
    const { breaker } = makeBreaker(3);
    fail(breaker, 2);
    for (const kind of ["invalid_request", "context_length", "content_filter", "parse"] as const) {
      expect(breaker.recordFailure(kind, breaker.tryAcquire())).toBe(false);
    }
    expect(breaker.recordFailure("cancelled", breaker.tryAcquire())).toBe(false);
    expect(breaker.state).toBe("closed");
    fail(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("refuses calls while open and says when it will try again", () => {
    const { breaker, clock } = makeBreaker(1, 10_000);
    fail(breaker, 1);
    const refused = breaker.tryAcquire();
    expect(refused).toMatchObject({
      allowed: false,
      probe: false,
      state: "open",
      openedAt: 1_000,
      retryAt: 11_000,
    });
    expect(breaker.canAttempt()).toBe(false);
    clock.advance(9_999);
    expect(breaker.tryAcquire().allowed).toBe(false);
  });

  it("lets exactly one probe through when half-open", () => {
    const { breaker, clock, events } = makeBreaker(1, 10_000);
    fail(breaker, 1);
    clock.advance(10_000);
    expect(breaker.canAttempt()).toBe(true);
    expect(events.at(-1)?.type).toBe("breaker:half-open");
    const probe = breaker.tryAcquire();
    expect(probe).toMatchObject({ allowed: true, probe: true, state: "half-open" });
    const concurrent = [breaker.tryAcquire(), breaker.tryAcquire()];
    expect(concurrent.map((decision) => decision.allowed)).toEqual([false, false]);
    expect(breaker.canAttempt()).toBe(false);
  });

  it("closes when the probe succeeds", () => {
    const { breaker, clock, events } = makeBreaker(1, 10_000);
    fail(breaker, 1);
    clock.advance(10_000);
    breaker.recordSuccess(breaker.tryAcquire());
    expect(breaker.snapshot()).toEqual({
      state: "closed",
      consecutiveFailures: 0,
      openedAt: undefined,
      retryAt: undefined,
    });
    expect(events.map((event) => event.type)).toEqual([
      "breaker:open",
      "breaker:half-open",
      "breaker:close",
    ]);
    expect(breaker.tryAcquire()).toMatchObject({ allowed: true, probe: false });
  });

  it("re-opens with a fresh cool-down when the probe fails", () => {
    const { breaker, clock, events } = makeBreaker(1, 10_000);
    fail(breaker, 1);
    clock.advance(10_000);
    breaker.recordFailure("overloaded", breaker.tryAcquire());
    expect(breaker.snapshot()).toMatchObject({
      state: "open",
      openedAt: 11_000,
      retryAt: 21_000,
    });
    expect(events.at(-1)).toMatchObject({ type: "breaker:open", from: "half-open" });
    clock.advance(9_999);
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire().probe).toBe(true);
  });

  it("frees the probe slot when the probe ends in a failure that says nothing about health", () => {
    const { breaker, clock } = makeBreaker(1, 10_000);
    fail(breaker, 1);
    clock.advance(10_000);
    breaker.recordFailure("cancelled", breaker.tryAcquire());
    expect(breaker.state).toBe("half-open");
    expect(breaker.tryAcquire().probe).toBe(true);
  });

  it("lets only the probe decide, not stragglers from before the breaker opened", () => {
    const { breaker, clock } = makeBreaker(2, 10_000);
    const straggler = breaker.tryAcquire();
    fail(breaker, 2);
    breaker.recordSuccess(straggler);
    expect(breaker.state).toBe("open");
    clock.advance(10_000);
    const probe = breaker.tryAcquire();
    breaker.recordFailure("server", straggler);
    breaker.recordSuccess(undefined);
    expect(breaker.state).toBe("half-open");
    breaker.recordSuccess(probe);
    expect(breaker.state).toBe("closed");
  });

  it("ignores the late answer of a probe that was given up on", () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({
      name: "grok",
      failureThreshold: 1,
      cooldownMs: 1_000,
      probeTimeoutMs: 5_000,
      clock,
    });
    fail(breaker, 1);
    clock.advance(1_000);
    const lost = breaker.tryAcquire();
    clock.advance(4_999);
    expect(breaker.tryAcquire().allowed).toBe(false);
    clock.advance(1);
    const second = breaker.tryAcquire();
    expect(second.probe).toBe(true);
    breaker.recordSuccess(lost);
    expect(breaker.state).toBe("half-open");
    breaker.recordSuccess(second);
    expect(breaker.state).toBe("closed");
  });

  it("keeps working when a listener throws, and stops calling a removed listener", () => {
    const { breaker } = makeBreaker(1);
    const heard: string[] = [];
    breaker.onEvent(() => {
      throw new Error("logger down");
    });
    const remove = breaker.onEvent((event) => heard.push(event.type));
    fail(breaker, 1);
    remove();
    breaker.recordFailure("server", breaker.tryAcquire());
    expect(heard).toEqual(["breaker:open"]);
    expect(breaker.state).toBe("open");
  });
});

describe("CircuitBreakerRegistry", () => {
  it("keeps one breaker per alias, built from the model's settings", () => {
    const registry = new CircuitBreakerRegistry();
    const claude = registry.get("claude", { failureThreshold: 2, cooldownMs: 500 });
    expect(registry.get("claude")).toBe(claude);
    expect(claude.failureThreshold).toBe(2);
    expect(claude.cooldownMs).toBe(500);
    expect(registry.get("gpt")).not.toBe(claude);
    expect(registry.get("gpt").failureThreshold).toBe(5);
  });

  it("tells its listeners about every breaker, by alias", () => {
    const clock = new ManualClock();
    const registry = new CircuitBreakerRegistry({ clock });
    const heard: string[] = [];
    registry.onEvent((event) => heard.push(`${event.name} ${event.type}`));
    fail(registry.get("claude", { failureThreshold: 1 }), 1);
    fail(registry.get("gpt", { failureThreshold: 1 }), 1);
    expect(heard).toEqual(["claude breaker:open", "gpt breaker:open"]);
    expect(registry.snapshot()).toMatchObject({
      claude: { state: "open" },
      gpt: { state: "open" },
    });
  });
});
