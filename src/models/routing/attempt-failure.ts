import type { CallContext, GatewayServices } from "../call/model-call-context.js";
import { classifyError } from "../classify/classify-error.js";
import type { ModelAttempt } from "../errors/model-call-failure.js";
import type { ModelError } from "../errors/model-error.js";
import { sleep } from "./abortable-sleep.js";
import type { BreakerDecision } from "./circuit-breaker.js";
import type { ModelPlan } from "./model-plan.js";
import { decideRetry, type RetryDecision } from "./retry-policy.js";
import { retrySettingsForCall } from "./retry-settings.js";

export type FinalDecision = Exclude<RetryDecision, { action: "retry" }>;

/** After a failed attempt: try the same model again after `delayMs`, or stop with a decision. */
export type AttemptVerdict =
  | { next: "retry"; error: ModelError; delayMs: number }
  | { next: "stop"; error: ModelError; decision: FinalDecision };

export interface FailedAttempt {
  thrown: unknown;
  attempt: number;
  startedAt: number;
  timeoutMs: number;
  /** The per-attempt timer (or the stream idle timer) fired. */
  timedOut: boolean;
  /** What that timer said, for the message. @defaultValue `no answer within <timeoutMs> ms` */
  timeoutDetail?: string;
  breakerDecision: BreakerDecision | undefined;
}

/**
 * One failed attempt, end to end: classify it, tell the breaker, keep it in the call's
 * attempt log, log it with the model alias, and ask the retry policy what comes next.
 */
export function judgeFailedAttempt(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  failed: FailedAttempt,
): AttemptVerdict {
  const error = classifyError(failed.thrown, {
    alias: plan.alias,
    provider: plan.provider,
    model: plan.modelId,
    timedOut: failed.timedOut || context.deadlinePassed,
    timeoutMs: failed.timeoutMs,
    ...(failed.timeoutDetail === undefined ? {} : { timeoutDetail: failed.timeoutDetail }),
    ...(context.callerSignal === undefined ? {} : { cancelSignal: context.callerSignal }),
    ...(plan.apiKeyEnv === undefined ? {} : { apiKeyEnv: plan.apiKeyEnv }),
    secrets: services.registry.secretsFor(plan.alias),
  });
  // An attempt cut short by the call's own deadline says nothing about the model's health:
  // it must not push the breaker towards open (a neutral kind still hands back a probe).
  const cutByDeadline =
    error.kind === "timeout" &&
    (context.deadlinePassed || failed.timeoutMs < (context.request.timeoutMs ?? plan.timeoutMs));
  plan.breaker.recordFailure(cutByDeadline ? "cancelled" : error.kind, failed.breakerDecision);
  const record: ModelAttempt = {
    model: plan.alias,
    provider: plan.provider,
    attempt: failed.attempt,
    error,
    startedAt: failed.startedAt,
    durationMs: services.now() - failed.startedAt,
  };
  context.attempts.push(record);
  const decision = decideRetry({
    error,
    attempt: failed.attempt,
    settings: retrySettingsForCall(plan.retry, context.request.retries),
    timeLeftMs: context.deadlineAt - services.now(),
    random: services.random,
  });
  const fields = {
    attempt: failed.attempt,
    kind: error.kind,
    status: error.status,
    reason: decision.reason,
  };
  if (decision.action !== "retry") {
    plan.log.warn({ ...fields, next: decision.action }, error.message);
    return { next: "stop", error, decision };
  }
  if (!plan.breaker.canAttempt()) {
    // The breaker opened while this model still had retries: waiting out a backoff only to be
    // refused would waste the time left. The model was tried, so it ends as a failure (with a
    // ledger row and its attempts), not as a skip.
    const stop = stopOnOpenBreaker(plan, context, error);
    plan.log.warn({ ...fields, reason: stop.reason, next: stop.action }, error.message);
    return { next: "stop", error, decision: stop };
  }
  record.delayMs = decision.delayMs;
  plan.log.warn(
    { ...fields, delayMs: decision.delayMs },
    `${error.message}; retrying in ${decision.delayMs} ms`,
  );
  return { next: "retry", error, delayMs: decision.delayMs };
}

/** What ends a model that was already tried once its breaker refuses the next attempt. */
export function stopOnOpenBreaker(
  plan: ModelPlan,
  context: CallContext,
  error: ModelError,
): FinalDecision {
  const settings = retrySettingsForCall(plan.retry, context.request.retries);
  return settings.fallbackOn.includes(error.kind)
    ? { action: "fallback", reason: "breakerOpen" }
    : { action: "fail", reason: "breakerOpen" };
}

/**
 * Waits out a retry delay. Resolves undefined when the wait ran its course, or the final
 * decision when the caller cancelled or the deadline passed during it.
 */
export async function waitBeforeRetry(
  plan: ModelPlan,
  context: CallContext,
  delayMs: number,
): Promise<{ error: ModelError; decision: FinalDecision } | undefined> {
  try {
    await sleep(delayMs, context.callSignal);
    return undefined;
  } catch (reason) {
    return stoppedWhileWaiting(plan, context, reason);
  }
}

/**
 * The end of a call whose wait (between attempts, or for the rate limiter) was cut short by
 * the caller's signal or the deadline: `reason` is what the aborted wait rejected with.
 */
export function stoppedWhileWaiting(
  plan: ModelPlan,
  context: CallContext,
  reason: unknown,
): { error: ModelError; decision: FinalDecision } {
  const error = classifyError(reason, {
    alias: plan.alias,
    provider: plan.provider,
    model: plan.modelId,
    timedOut: context.deadlinePassed,
    ...(context.callerSignal === undefined ? {} : { cancelSignal: context.callerSignal }),
  });
  return {
    error,
    decision: { action: "fail", reason: error.kind === "cancelled" ? "abort" : "deadline" },
  };
}
