import { describe, expect, it } from "vitest";
import { configSchema } from "../../config/index.js";
import { createLogger } from "../../observability/index.js";
import { ModelError, type ModelErrorKind } from "../errors/model-error.js";
import { CircuitBreakerRegistry } from "./circuit-breaker.js";
import { planModel } from "./model-plan.js";
import { RateLimiterRegistry } from "./rate-limiter.js";
import { backoffDelayMs, decideRetry, RETRY_AFTER_FLOOR_MS } from "./retry-policy.js";
import { DEFAULT_RETRY_SETTINGS } from "./retry-settings.js";

function failure(
  kind: ModelErrorKind,
  options: { retryAfterMs?: number; retryable?: boolean } = {},
) {
  return new ModelError(`${kind} happened`, {
    kind,
    model: "claude",
    provider: "anthropic",
    ...options,
  });
}

/** The same draw every time: deterministic jitter. */
const always = (value: number) => () => value;

describe("decideRetry", () => {
  it("retries a 429 after the Retry-After delay", () => {
    const decision = decideRetry({
      error: failure("rate_limit", { retryAfterMs: 7_000 }),
      attempt: 1,
    });
    expect(decision).toEqual({ action: "retry", delayMs: 7_000, reason: "retryAfter" });
  });

  it("waits a small floor on a Retry-After of 0, so a server cannot make us hammer it", () => {
    for (const retryAfterMs of [0, 1, 99]) {
      const decision = decideRetry({ error: failure("overloaded", { retryAfterMs }), attempt: 1 });
      expect(decision).toEqual({
        action: "retry",
        delayMs: RETRY_AFTER_FLOOR_MS,
        reason: "retryAfter",
      });
    }
    expect(RETRY_AFTER_FLOOR_MS).toBe(100);
    const above = decideRetry({ error: failure("overloaded", { retryAfterMs: 101 }), attempt: 1 });
    expect(above).toMatchObject({ delayMs: 101 });
  });

  it("moves on when even the floor would outlast the time left", () => {
    const error = failure("overloaded", { retryAfterMs: 0 });
    expect(decideRetry({ error, attempt: 1, timeLeftMs: 50 })).toEqual({
      action: "fallback",
      reason: "deadline",
    });
  });

  it("retries without a Retry-After after a jittered backoff", () => {
    const decision = decideRetry({ error: failure("server"), attempt: 1, random: always(0.5) });
    expect(decision).toEqual({ action: "retry", delayMs: 500, reason: "backoff" });
  });

  it("does not retry insufficient_quota but falls back", () => {
    const decision = decideRetry({
      error: failure("quota_exhausted", { retryAfterMs: 1_000 }),
      attempt: 1,
    });
    expect(decision).toEqual({ action: "fallback", reason: "errorNotRetryable" });
  });

  it("does not retry context-length, content-filter or auth errors but falls back", () => {
    for (const kind of [
      "context_length",
      "content_filter",
      "auth",
      "not_found",
      "invalid_request",
    ] as const) {
      expect(decideRetry({ error: failure(kind), attempt: 1 })).toEqual({
        action: "fallback",
        reason: "errorNotRetryable",
      });
    }
  });

  it("follows the error's own retryable flag over its kind", () => {
    const permanentNetwork = failure("network", { retryable: false });
    expect(decideRetry({ error: permanentNetwork, attempt: 1 })).toEqual({
      action: "fallback",
      reason: "errorNotRetryable",
    });
  });

  it("fails a budget_exceeded call without falling back", () => {
    expect(decideRetry({ error: failure("budget_exceeded"), attempt: 1 })).toEqual({
      action: "fail",
      reason: "errorNotRetryable",
    });
  });

  it("fails a cancelled call, even when fallbackOn lists cancelled", () => {
    const settings = { fallbackOn: ["cancelled"] as const };
    expect(decideRetry({ error: failure("cancelled"), attempt: 1, settings })).toEqual({
      action: "fail",
      reason: "abort",
    });
  });

  it("fails instead of falling back when the kind is not in fallbackOn", () => {
    const settings = { fallbackOn: ["rate_limit"] as const };
    expect(decideRetry({ error: failure("auth"), attempt: 1, settings })).toEqual({
      action: "fail",
      reason: "errorNotRetryable",
    });
  });

  it("retries maxRetries times, then falls back", () => {
    const error = failure("overloaded");
    const actions = [1, 2, 3, 4].map(
      (attempt) => decideRetry({ error, attempt, random: always(0) }).action,
    );
    expect(actions).toEqual(["retry", "retry", "retry", "fallback"]);
    expect(decideRetry({ error, attempt: 4 })).toEqual({
      action: "fallback",
      reason: "maxRetriesExceeded",
    });
  });

  it("fails when retries run out and the kind may not fall back", () => {
    const settings = { maxRetries: 1, fallbackOn: [] };
    expect(decideRetry({ error: failure("server"), attempt: 2, settings })).toEqual({
      action: "fail",
      reason: "maxRetriesExceeded",
    });
  });

  it("takes maxRetries from the model's settings", () => {
    const error = failure("server");
    expect(decideRetry({ error, attempt: 1, settings: { maxRetries: 0 } })).toEqual({
      action: "fallback",
      reason: "maxRetriesExceeded",
    });
  });

  it("moves on instead of sleeping through a Retry-After longer than maxRetryAfterMs", () => {
    const error = failure("rate_limit", { retryAfterMs: 120_000 });
    expect(decideRetry({ error, attempt: 1 })).toEqual({
      action: "fallback",
      reason: "retryAfterTooLong",
    });
    expect(
      decideRetry({ error, attempt: 1, settings: { maxRetryAfterMs: 180_000 } }),
    ).toMatchObject({
      action: "retry",
      delayMs: 120_000,
    });
  });

  it("moves on instead of sleeping through a Retry-After longer than the time left", () => {
    const error = failure("rate_limit", { retryAfterMs: 20_000 });
    expect(decideRetry({ error, attempt: 1, timeLeftMs: 15_000 })).toEqual({
      action: "fallback",
      reason: "deadline",
    });
    expect(decideRetry({ error, attempt: 1, timeLeftMs: 25_000 })).toMatchObject({
      action: "retry",
      delayMs: 20_000,
    });
  });

  it("moves on when the backoff would end after the deadline", () => {
    const error = failure("server");
    expect(decideRetry({ error, attempt: 3, timeLeftMs: 2_000, random: always(0.9) })).toEqual({
      action: "fallback",
      reason: "deadline",
    });
    expect(decideRetry({ error, attempt: 3, timeLeftMs: 2_000, random: always(0.1) })).toEqual({
      action: "retry",
      delayMs: 400,
      reason: "backoff",
    });
  });

  it("fails once the deadline has passed, without falling back", () => {
    expect(decideRetry({ error: failure("server"), attempt: 1, timeLeftMs: 0 })).toEqual({
      action: "fail",
      reason: "deadline",
    });
  });
});

describe("backoffDelayMs", () => {
  const settings = { baseMs: 1_000, capMs: 8_000 };

  it("stays within [0, min(cap, base·2^n)) for every draw", () => {
    const ceilings = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000];
    ceilings.forEach((ceiling, index) => {
      for (const draw of [0, 0.25, 0.5, 0.999_999, 1]) {
        const delay = backoffDelayMs(index + 1, settings, always(draw));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    });
  });

  it("grows the ceiling by doubling up to the cap", () => {
    const maxima = [1, 2, 3, 4, 5].map((attempt) =>
      backoffDelayMs(attempt, settings, always(0.999_999)),
    );
    expect(maxima).toEqual([999, 1_999, 3_999, 7_999, 7_999]);
  });

  it("uses the gateway's defaults: base 1 s, cap 8 s, 3 retries", () => {
    // What a model configured with nothing retries with, through the path the gateway takes.
    const config = configSchema.parse({ models: { plain: { provider: "simulated" } } });
    const plan = planModel("plain", config.models.plain!, {
      gateway: config.gateway,
      limiters: new RateLimiterRegistry(),
      breakers: new CircuitBreakerRegistry(),
      logger: createLogger({ level: "silent" }),
    });
    expect(plan.retry).toEqual(DEFAULT_RETRY_SETTINGS);
    expect(plan.retry).toMatchObject({
      maxRetries: 3,
      baseMs: 1_000,
      capMs: 8_000,
      maxRetryAfterMs: 60_000,
    });
    expect(DEFAULT_RETRY_SETTINGS.fallbackOn).not.toContain("cancelled");
    expect(DEFAULT_RETRY_SETTINGS.fallbackOn).not.toContain("budget_exceeded");
    expect(DEFAULT_RETRY_SETTINGS.fallbackOn).toHaveLength(12);
  });
});
