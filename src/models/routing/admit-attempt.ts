import type { CallContext } from "../call/model-call-context.js";
import type { ModelError } from "../errors/model-error.js";
import { labelledModelError } from "../errors/model-error-message.js";
import { type FinalDecision, stopOnOpenBreaker, stoppedWhileWaiting } from "./attempt-failure.js";
import type { BreakerDecision } from "./circuit-breaker.js";
import type { ModelPlan } from "./model-plan.js";
import type { RateLimitPermit } from "./rate-limiter.js";

/** Whether an attempt may go out now, and what it holds if so. */
export type Admission =
  | { admitted: true; permit: RateLimitPermit; breakerDecision: BreakerDecision }
  /** The model ends here: the caller cancelled or the deadline passed while waiting, or its breaker opened between attempts. */
  | { admitted: false; stop: { error: ModelError; decision: FinalDecision } }
  /** Its breaker is open before the first attempt: the chain skips it without a request. */
  | { admitted: false; skip: ModelError };

export function breakerOpenError(plan: ModelPlan, decision: BreakerDecision): ModelError {
  const until =
    decision.retryAt === undefined ? "" : ` until ${new Date(decision.retryAt).toISOString()}`;
  return labelledModelError(
    plan,
    `skipped, circuit breaker ${decision.state}${until} after ${decision.consecutiveFailures} consecutive failures`,
    {
      kind: "overloaded",
      retryable: true,
      providerCode: "circuit_open",
    },
  );
}

function lastAttemptError(context: CallContext, plan: ModelPlan): ModelError | undefined {
  return context.attempts.findLast((attempt) => attempt.model === plan.alias)?.error;
}

/**
 * The gate before every attempt, shared by generate and stream. An open breaker skips the
 * model without waiting for its rate limiter. Otherwise the breaker decides (and a half-open
 * one hands out its probe) only once the bucket lets the request go: the wait is not part of
 * the attempt's timeout, and a deadline met while waiting says nothing about the model's health.
 */
export async function admitAttempt(
  plan: ModelPlan,
  context: CallContext,
  attempt: number,
  tokens: number,
): Promise<Admission> {
  let breakerDecision = plan.breaker.canAttempt() ? undefined : plan.breaker.tryAcquire();
  let permit: RateLimitPermit | undefined;
  if (breakerDecision === undefined) {
    try {
      permit = await plan.limiter.acquire({ tokens }, context.callSignal);
    } catch (reason) {
      return { admitted: false, stop: stoppedWhileWaiting(plan, context, reason) };
    }
    breakerDecision = plan.breaker.tryAcquire();
  }
  if (!breakerDecision.allowed || permit === undefined) {
    permit?.release();
    const refusal = breakerOpenError(plan, breakerDecision);
    if (attempt === 1) return { admitted: false, skip: refusal };
    // Opened by a concurrent call while this one waited to retry or repair: this model was
    // tried, so it ends as a failure with its ledger row, not as a skip.
    const error = lastAttemptError(context, plan) ?? refusal;
    return { admitted: false, stop: { error, decision: stopOnOpenBreaker(plan, context, error) } };
  }
  return { admitted: true, permit, breakerDecision };
}
