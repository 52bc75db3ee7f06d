import type { BudgetHold } from "../budget/budget-guard.js";
import { classifyError } from "../classify/classify-error.js";
import { ModelError } from "../errors/model-error.js";
import { labelledModelError } from "../errors/model-error-message.js";
import type { ModelHandle } from "../providers/provider-registry.js";
import type { ModelPlan } from "../routing/model-plan.js";
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
 * The way down for one model of the chain, shared by `generate` and `stream`: resolves the
 * model's provider and holds its worst-case cost against the budget. A missing key or a
 * refused budget ends the model here, before any request is sent.
 */
export async function prepareModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
): Promise<{ prepared: PreparedModel } | { outcome: ModelOutcome }> {
  const resolved = resolveHandle(services, plan);
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
export function attemptTimeoutMs(plan: ModelPlan, context: CallContext, startedAt: number): number {
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
  if (!budget?.active) return { hold: undefined };
  // `reserve` holds nothing when no budget line applies to this model; only an unpriced model
  // needs that looked up on its own, to be refused.
  if (!plan.price) {
    if (!budget.appliesTo(plan.alias)) return { hold: undefined };
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
function resolveHandle(
  services: GatewayServices,
  plan: ModelPlan,
): { handle: ModelHandle } | { error: ModelError } {
  try {
    return { handle: services.registry.resolve(plan.alias) };
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
