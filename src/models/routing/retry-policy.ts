import type { ModelError } from "../errors/model-error.js";
import { DEFAULT_RETRY_SETTINGS, type RetrySettings } from "./retry-settings.js";

/** Why the next step is what it is. */
export type RetryReason =
  /**
   * Waiting as long as the provider asked (Retry-After, retry-after-ms, RetryInfo), but at
   * least {@link RETRY_AFTER_FLOOR_MS}.
   */
  | "retryAfter"
  /** Waiting an exponential backoff with full jitter. */
  | "backoff"
  /** The failure will not go away by asking this model again. */
  | "errorNotRetryable"
  /** This model had its `maxRetries`. */
  | "maxRetriesExceeded"
  /** The provider asked for a wait longer than `maxRetryAfterMs`. */
  | "retryAfterTooLong"
  /** The wait would end after the call's overall deadline, or the deadline has passed. */
  | "deadline"
  /** The caller cancelled. */
  | "abort"
  /**
   * The model's circuit breaker opened (this model's own failures, or a concurrent call's)
   * while it still had retries: no more attempts on it now. Decided by the attempt loop, never
   * by {@link decideRetry}.
   */
  | "breakerOpen";

export type RetryDecision =
  | { action: "retry"; delayMs: number; reason: "retryAfter" | "backoff" }
  /** Move on to the next model of the chain. */
  | { action: "fallback"; reason: Exclude<RetryReason, "retryAfter" | "backoff"> }
  /** Stop the whole call. */
  | { action: "fail"; reason: Exclude<RetryReason, "retryAfter" | "backoff"> };

/**
 * The shortest wait a Retry-After earns, whatever it says: a server answering `Retry-After: 0`
 * (or a date in the past) to every request would otherwise get a tight loop of retries.
 */
export const RETRY_AFTER_FLOOR_MS = 100;

export interface RetryDecisionInput {
  /** The classified failure of the attempt that just ended. */
  error: ModelError;
  /** Which attempt on this model just failed: 1 for the first. */
  attempt: number;
  /** @defaultValue DEFAULT_RETRY_SETTINGS */
  settings?: Partial<RetrySettings>;
  /** Milliseconds until the call's overall deadline. @defaultValue Infinity */
  timeLeftMs?: number;
  /** A number in [0, 1). @defaultValue Math.random */
  random?: () => number;
}

/**
 * What to do after a failed attempt: retry this model after a delay, fall back to the next
 * model, or fail the whole call. Pure: no timers, no clock; the caller sleeps.
 *
 * Retryable and can-fall-back are separate facts. A context-length, content-filter or auth
 * error is never retried on the same model but does move to the next (if its kind is in
 * `fallbackOn`), because another model may have a larger window, other filters or another
 * key. A cancellation always stops the call, whatever `fallbackOn` says: the caller asked
 * for it.
 */
export function decideRetry(input: RetryDecisionInput): RetryDecision {
  const { error, attempt } = input;
  const settings = { ...DEFAULT_RETRY_SETTINGS, ...input.settings };
  const timeLeftMs = input.timeLeftMs ?? Number.POSITIVE_INFINITY;
  const moveOn = (reason: Exclude<RetryReason, "retryAfter" | "backoff">): RetryDecision =>
    settings.fallbackOn.includes(error.kind)
      ? { action: "fallback", reason }
      : { action: "fail", reason };

  if (error.kind === "cancelled") return { action: "fail", reason: "abort" };
  // No time left for any model: falling back would only start an attempt that cannot finish.
  if (timeLeftMs <= 0) return { action: "fail", reason: "deadline" };
  if (!error.retryable) return moveOn("errorNotRetryable");
  if (attempt > settings.maxRetries) return moveOn("maxRetriesExceeded");

  if (error.retryAfterMs !== undefined) {
    // Honoured exactly when it fits; a wait we cannot afford is not shortened (coming back
    // early earns another 429) but handed to the next model.
    if (error.retryAfterMs > settings.maxRetryAfterMs) return moveOn("retryAfterTooLong");
    const delayMs = Math.max(error.retryAfterMs, RETRY_AFTER_FLOOR_MS);
    if (delayMs >= timeLeftMs) return moveOn("deadline");
    return { action: "retry", delayMs, reason: "retryAfter" };
  }
  const delayMs = backoffDelayMs(attempt, settings, input.random ?? Math.random);
  if (delayMs >= timeLeftMs) return moveOn("deadline");
  return { action: "retry", delayMs, reason: "backoff" };
}

/**
 * Full jitter: a uniform draw from [0, min(cap, base · 2^(attempt-1))). Chosen over equal
 * jitter because our callers are many workers sharing one provider's limits: AWS's study of
 * competing clients ("Exponential Backoff And Jitter", Brooker, 2015) found full jitter does
 * the least total work and finishes soonest, while equal jitter keeps half of every delay in
 * lockstep. A near-zero draw costs little here: the rate limiter paces the next call, and a
 * 429 that names a delay is honoured through Retry-After instead.
 */
export function backoffDelayMs(
  attempt: number,
  settings: Pick<RetrySettings, "baseMs" | "capMs">,
  random: () => number,
): number {
  const ceiling = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(draw * ceiling), Math.max(0, ceiling - 1));
}
