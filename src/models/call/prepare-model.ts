import type { BudgetHold } from "../budget/budget-guard.js";
import { classifyError } from "../classify/classify-error.js";
import { ModelError } from "../errors/model-error.js";
import { labelledModelError } from "../errors/model-error-message.js";
import type { ModelHandle } from "../providers/provider-registry.js";
import {
  type FinalDecision,
  stopOnOpenBreaker,
  stoppedWhileWaiting,
} from "../routing/attempt-failure.js";
import type { BreakerDecision } from "../routing/circuit-breaker.js";
import type { ModelPlan } from "../routing/model-plan.js";
import type { RateLimitPermit } from "../routing/rate-limiter.js";
import { decideRetry } from "../routing/retry-policy.js";
import { maxCostNanoUsd } from "../usage/cost.js";
import type { ModelOutcome } from "./end-model.js";
import type { CallContext, GatewayServices } from "./model-call-context.js";

/** How long a budget hold outlives the call's deadline: time to settle it. */
export const HOLD_GRACE_MS = 60_000;

/** Tokens a repair turn may add to the prompt: the rejected answer plus the correction request. */
const REPAIR_PROMPT_TOKENS = 400;

/** What a model needs before its first attempt: a provider handle and, under a budget, a hold. */
export interface PreparedModel {
  handle: ModelHandle;
  maxTokens: number;
  hold: BudgetHold | undefined;
  startedAt: number;
}

/**
 * The way down for one model of the chain, shared by `generate` and `stream`: `prepareModel`
 * once per model, then `admitAttempt` before each attempt (it also gives the attempt its timeout).
 *
 * Resolves the
 * model's provider and holds its worst-case cost against the budget. A missing key or a
 * refused budget ends the model here, before any request is sent.
 */
export async function prepareModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
): Promise<{ prepared: PreparedModel } | { outcome: ModelOutcome }> {
  const resolved = await resolveHandle(services, plan);
  if ("error" in resolved)
    return { outcome: failBeforeSending(services, plan, context, resolved.error) };
  const maxTokens = context.request.maxTokens ?? plan.maxTokens;
  const startedAt = services.now();
  const budget = await holdBudget(services, plan, context, maxTokens);
  if ("refusal" in budget)
    return { outcome: failBeforeSending(services, plan, context, budget.refusal) };
  return { prepared: { handle: resolved.handle, maxTokens, hold: budget.hold, startedAt } };
}

/** The attempt's timeout: the model's (or the request's), cut to what the deadline leaves. */
function attemptTimeoutMs(plan: ModelPlan, context: CallContext, startedAt: number): number {
  return Math.max(
    1,
    Math.min(context.request.timeoutMs ?? plan.timeoutMs, context.deadlineAt - startedAt),
  );
}

/** The largest amount one call on this model can cost, to hold against budgets. */
export function worstCaseNanoUsd(plan: ModelPlan, context: CallContext, maxTokens: number): number {
  if (!plan.price) return 0;
  const once = maxCostNanoUsd(
    { inputTokensBound: context.inputBound, maxOutputTokens: maxTokens },
    plan.price,
  );
  if (!context.request.schema) return once;
  // Structured output may need one repair turn, which re-reads the prompt plus the first answer.
  return (
    once +
    maxCostNanoUsd(
      {
        inputTokensBound: context.inputBound + maxTokens + REPAIR_PROMPT_TOKENS,
        maxOutputTokens: maxTokens,
      },
      plan.price,
    )
  );
}

/** Holds budget for a call on this model, or returns the refusal as a ModelError. */
async function holdBudget(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  maxTokens: number,
): Promise<{ hold: BudgetHold | undefined } | { refusal: ModelError }> {
  const budget = services.budget;
  const limits = context.request.spendLimits ?? [];
  if (!budget || (!budget.active && limits.length === 0)) return { hold: undefined };
  // `reserve` holds nothing when no budget line applies to this model; only an unpriced model
  // needs that looked up on its own, to be refused.
  if (!plan.price) {
    if (!budget.appliesTo(plan.alias, limits)) return { hold: undefined };
    return {
      refusal: labelledModelError(
        plan,
        `no price is known for this model (models.${plan.alias}.price is not set and the price table has no entry), so its cost cannot be held against the budget`,
        {
          kind: "budget_exceeded",
          providerCode: "unpriced_model",
          hint: `Set models.${plan.alias}.price ({ input, output } in USD per million tokens) in orkestra.yaml.`,
        },
      ),
    };
  }
  try {
    return {
      hold: await budget.reserve(
        plan.alias,
        plan.provider,
        worstCaseNanoUsd(plan, context, maxTokens),
        // The call's own deadline, which a request may set longer than gateway.deadlineMs.
        Math.max(0, context.deadlineAt - services.now()) + HOLD_GRACE_MS,
        limits,
      ),
    };
  } catch (error) {
    if (!ModelError.isInstance(error)) throw error;
    services.audit("budget:exceeded", `model:${plan.alias}`, "denied", {
      message: error.message,
      limit: error.providerCode,
    });
    return { refusal: error };
  }
}

/** Turns a provider handle failure (a missing key) into the first failed attempt. */
async function resolveHandle(
  services: GatewayServices,
  plan: ModelPlan,
): Promise<{ handle: ModelHandle } | { error: ModelError }> {
  try {
    return { handle: await services.registry.resolve(plan.alias) };
  } catch (thrown) {
    return {
      error: classifyError(thrown, {
        alias: plan.alias,
        provider: plan.provider,
        model: plan.modelId,
        ...(plan.apiKeyEnv === undefined ? {} : { apiKeyEnv: plan.apiKeyEnv }),
      }),
    };
  }
}

/** The retry decision for a failure before any request went out (missing key, budget). */
function failBeforeSending(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  error: ModelError,
): ModelOutcome {
  const now = services.now();
  context.attempts.push({
    model: plan.alias,
    provider: plan.provider,
    attempt: 1,
    error,
    startedAt: now,
    durationMs: 0,
  });
  const decision = decideRetry({
    error,
    attempt: Number.POSITIVE_INFINITY,
    settings: plan.retry,
    timeLeftMs: context.deadlineAt - now,
  });
  plan.log.warn({ kind: error.kind }, error.message);
  // A limit of this model alone (its per-model budget, or no price to hold against a budget)
  // leaves other models usable: move on. A global budget stops the whole call.
  const modelScopedRefusal =
    error.kind === "budget_exceeded" &&
    (error.providerCode?.startsWith("budget.per_model.") === true ||
      error.providerCode === "unpriced_model");
  return {
    type: "failed",
    error,
    decision:
      decision.action === "retry" || modelScopedRefusal
        ? { action: "fallback", reason: "errorNotRetryable" }
        : decision,
    attempts: 0,
  };
}

/** Whether an attempt may go out now, and what it holds if so. */
export type Admission =
  | {
      admitted: true;
      permit: RateLimitPermit;
      breakerDecision: BreakerDecision;
      /** When the attempt starts: once admitted, the wait for the bucket is over. */
      startedAt: number;
      /** Its timeout, from `startedAt`. */
      timeoutMs: number;
    }
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
 * An admitted attempt gets its start time and its timeout with the permit.
 */
export async function admitAttempt(
  services: GatewayServices,
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
  const startedAt = services.now();
  return {
    admitted: true,
    permit,
    breakerDecision,
    startedAt,
    timeoutMs: attemptTimeoutMs(plan, context, startedAt),
  };
}
