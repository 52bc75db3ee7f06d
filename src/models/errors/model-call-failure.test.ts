import { describe, expect, it } from "vitest";
import {
  failureReasonFor,
  type ModelAttempt,
  ModelCallFailure,
  summarizeAttempts,
} from "./model-call-failure.js";
import { ModelError, type ModelErrorKind } from "./model-error.js";

function attempt(
  model: string,
  number: number,
  kind: ModelErrorKind,
  status?: number,
): ModelAttempt {
  return {
    model,
    provider: model === "claude" ? "anthropic" : "openai",
    attempt: number,
    error: new ModelError(`${model}: ${kind}`, { kind, model, provider: "x", status }),
    startedAt: 1_000 * number,
    durationMs: 120,
  };
}

describe("ModelCallFailure", () => {
  const attempts = [
    { ...attempt("claude", 1, "overloaded", 529), delayMs: 400 },
    { ...attempt("claude", 2, "overloaded", 529), delayMs: 1_300 },
    attempt("claude", 3, "context_length", 400),
    attempt("gpt", 1, "rate_limit", 429),
  ];

  it("is the last model's error, with every attempt kept", () => {
    const failure = new ModelCallFailure({ reason: "chainExhausted", attempts });
    expect(failure).toMatchObject({
      kind: "rate_limit",
      retryable: true,
      status: 429,
      model: "gpt",
    });
    expect(failure.lastError).toBe(attempts[3]?.error);
    expect(failure.cause).toBe(attempts[3]?.error);
    expect(failure.attempts).toHaveLength(4);
    expect(failure.message).toBe(
      "gpt: rate_limit [chainExhausted: 4 attempts: claude ×3 (overloaded, context_length), gpt ×1 (rate_limit)]",
    );
  });

  it("is recognised as a ModelError and as a call failure", () => {
    const failure = new ModelCallFailure({ reason: "maxRetriesExceeded", attempts });
    expect(ModelError.isInstance(failure)).toBe(true);
    expect(ModelCallFailure.isInstance(failure)).toBe(true);
    expect(ModelCallFailure.isInstance(attempts[0]?.error)).toBe(false);
  });

  it("speaks with the error that stopped the call between attempts", () => {
    const cancelled = new ModelError("cancelled while waiting", {
      kind: "cancelled",
      model: "claude",
      provider: "anthropic",
    });
    const failure = new ModelCallFailure({
      reason: "abort",
      attempts: attempts.slice(0, 2),
      lastError: cancelled,
    });
    expect(failure).toMatchObject({ kind: "cancelled", retryable: false, reason: "abort" });
  });

  it("serialises every attempt", () => {
    const json = new ModelCallFailure({ reason: "chainExhausted", attempts }).toJSON();
    expect(json).toMatchObject({ kind: "rate_limit", reason: "chainExhausted" });
    expect(json.attempts).toEqual([
      expect.objectContaining({
        model: "claude",
        attempt: 1,
        delayMs: 400,
        error: expect.objectContaining({ kind: "overloaded" }),
      }),
      expect.objectContaining({ attempt: 2, delayMs: 1_300 }),
      expect.objectContaining({ attempt: 3, delayMs: null }),
      expect.objectContaining({ model: "gpt", attempt: 1 }),
    ]);
  });

  it("still ends in one error when no model was tried", () => {
    const failure = new ModelCallFailure({ reason: "breakerOpen", attempts: [] });
    expect(failure.kind).toBe("server");
    expect(failure.message).toContain("no attempt made");
  });
});

describe("failureReasonFor", () => {
  it("says chainExhausted when a chain has nowhere left to fall back", () => {
    expect(failureReasonFor({ action: "fallback", reason: "maxRetriesExceeded" }, 2)).toBe(
      "chainExhausted",
    );
  });

  it("keeps the decision's reason for a lone model or a fail", () => {
    expect(failureReasonFor({ action: "fallback", reason: "maxRetriesExceeded" }, 1)).toBe(
      "maxRetriesExceeded",
    );
    expect(failureReasonFor({ action: "fail", reason: "abort" }, 3)).toBe("abort");
  });
});

describe("summarizeAttempts", () => {
  it("counts one attempt in the singular", () => {
    expect(summarizeAttempts([attempt("gpt", 1, "auth", 401)])).toBe("1 attempt: gpt ×1 (auth)");
  });
});
