import type { RetryDecision } from "../routing/retry-policy.js";
import { ModelError } from "./model-error.js";

const marker = Symbol.for("orkestra.modelCallFailure");

/** Why a call (one model, or a whole fallback chain) ended without a result. */
export type ModelCallFailureReason =
  /** The last model used up its retries. */
  | "maxRetriesExceeded"
  /** The failure cannot be retried and may not fall back (its kind is not in fallbackOn). */
  | "errorNotRetryable"
  /** The provider asked for a longer wait than maxRetryAfterMs and there was nowhere to go. */
  | "retryAfterTooLong"
  /** The caller cancelled. */
  | "abort"
  /** The overall deadline passed, or the next wait would have passed it. */
  | "deadline"
  /** Every model of the chain was tried and failed. */
  | "chainExhausted"
  /** Every model left was skipped by its open circuit breaker. */
  | "breakerOpen";

/** One attempt on one model. */
export interface ModelAttempt {
  /** Model alias. */
  model: string;
  provider: string;
  /** Which attempt on this model: 1 for the first. */
  attempt: number;
  error: ModelError;
  /** The wait after this attempt, before the next one on the same model. */
  delayMs?: number;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
}

export interface ModelCallFailureOptions {
  reason: ModelCallFailureReason;
  /** Every attempt, in order, across every model tried. */
  attempts: readonly ModelAttempt[];
  /**
   * The error the call ends in, when it is not the last attempt's: a cancellation or deadline
   * met while waiting between attempts, or an open breaker. @defaultValue the last attempt's
   */
  lastError?: ModelError;
}

/**
 * The error a failed call ends in: a `ModelError` (same `kind`, `retryable`, `status`, model
 * and provider as `lastError`, so `catch` code written for one attempt keeps working) that
 * also keeps every attempt, like the AI SDK's RetryError.
 *
 * Which error speaks for the call: the last one. The chain's order is the user's order of
 * preference, so the last model's answer is the final word; the message lists what every
 * model said, and `attempts` has them all. `retryable` stays the last error's: a call that
 * ran out of retries on a rate limit is still worth re-running later (a queue may), one that
 * failed on auth is not.
 */
export class ModelCallFailure extends ModelError {
  readonly [marker] = true;
  readonly reason: ModelCallFailureReason;
  readonly attempts: readonly ModelAttempt[];
  readonly lastError: ModelError;

  constructor(options: ModelCallFailureOptions) {
    const lastError = options.lastError ?? options.attempts.at(-1)?.error ?? noAttemptError();
    super(`${lastError.message} [${options.reason}: ${summarizeAttempts(options.attempts)}]`, {
      kind: lastError.kind,
      model: lastError.model,
      provider: lastError.provider,
      retryable: lastError.retryable,
      status: lastError.status,
      retryAfterMs: lastError.retryAfterMs,
      providerCode: lastError.providerCode,
      hint: lastError.hint,
      cause: lastError,
    });
    this.name = "ModelCallFailure";
    this.reason = options.reason;
    this.attempts = options.attempts;
    this.lastError = lastError;
  }

  static override isInstance(error: unknown): error is ModelCallFailure {
    return ModelError.isInstance(error) && marker in error;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      reason: this.reason,
      attempts: this.attempts.map((attempt) => ({
        model: attempt.model,
        provider: attempt.provider,
        attempt: attempt.attempt,
        error: attempt.error.toJSON(),
        delayMs: attempt.delayMs ?? null,
        startedAt: attempt.startedAt,
        durationMs: attempt.durationMs,
      })),
    };
  }
}

/**
 * The failure reason for a decision that ended the call. A `fallback` with no model left is
 * `chainExhausted` when the chain had more than one model; on a lone model the decision's own
 * reason says more.
 */
export function failureReasonFor(
  decision: Exclude<RetryDecision, { action: "retry" }>,
  modelsTried: number,
): ModelCallFailureReason {
  return decision.action === "fallback" && modelsTried > 1 ? "chainExhausted" : decision.reason;
}

/** `4 attempts: claude ×3 (overloaded), gpt ×1 (rate_limit)`. */
export function summarizeAttempts(attempts: readonly ModelAttempt[]): string {
  if (attempts.length === 0) return "no attempt made";
  const byModel = new Map<string, { count: number; kinds: Set<string> }>();
  for (const attempt of attempts) {
    const entry = byModel.get(attempt.model) ?? { count: 0, kinds: new Set<string>() };
    entry.count += 1;
    entry.kinds.add(attempt.error.kind);
    byModel.set(attempt.model, entry);
  }
  const models = [...byModel].map(
    ([model, { count, kinds }]) => `${model} ×${count} (${[...kinds].join(", ")})`,
  );
  return `${attempts.length} ${attempts.length === 1 ? "attempt" : "attempts"}: ${models.join(", ")}`;
}

function noAttemptError(): ModelError {
  return new ModelError("the call ended before any model was tried", {
    kind: "server",
    model: "(none)",
    provider: "(none)",
  });
}
