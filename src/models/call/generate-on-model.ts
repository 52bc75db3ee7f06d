import { randomUUID } from "node:crypto";
import type { LanguageModelV4GenerateResult, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { BudgetHold } from "../budget/budget-guard.js";
import { settleCall, unrecordedSpendError } from "../budget/settle-call.js";
import { classifyError } from "../classify/classify-error.js";
import { ModelError } from "../errors/model-error.js";
import { labelledModelError } from "../errors/model-error-message.js";
import type { ModelHandle } from "../providers/provider-registry.js";
import { admitAttempt } from "../routing/admit-attempt.js";
import {
  type FinalDecision,
  judgeFailedAttempt,
  waitBeforeRetry,
} from "../routing/attempt-failure.js";
import { TimedSignal } from "../routing/attempt-signal.js";
import type { ModelPlan } from "../routing/model-plan.js";
import { decideRetry, type RetryDecision } from "../routing/retry-policy.js";
import { costNanoUsd, maxCostNanoUsd, nanoUsdToUsd } from "../usage/cost.js";
import { addUsage, normalizeUsage, type TokenUsage, ZERO_USAGE } from "../usage/token-usage.js";
import type { CallContext, GatewayServices } from "./model-call-context.js";
import type { ModelResult } from "./model-request.js";
import { parseStructured, repairMessage } from "./structured-output.js";

/** How a model of the chain ended. */
export type ModelOutcome =
  | { type: "answered"; result: ModelResult<unknown> }
  /** The call moves on to the next model (`fallback`) or stops (`fail`). */
  | {
      type: "failed";
      error: ModelError;
      decision: Exclude<RetryDecision, { action: "retry" }>;
      attempts: number;
    }
  /** Its circuit breaker is open: nothing was sent. */
  | { type: "skipped"; error: ModelError };

/** How long a budget hold outlives the call's deadline: time to settle it. */
const HOLD_GRACE_MS = 60_000;

/** Tokens a repair turn may add to the prompt: the rejected answer plus the correction request. */
const REPAIR_PROMPT_TOKENS = 400;

export function answerText(response: LanguageModelV4GenerateResult): string {
  let text = "";
  for (const part of response.content) if (part.type === "text") text += part.text;
  return text;
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
export async function holdBudget(
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

export interface LedgerEntry {
  plan: ModelPlan;
  context: CallContext;
  outcome: "success" | "error" | "incomplete";
  errorKind: string | null;
  usage: TokenUsage;
  costUsd: number;
  startedAt: number;
  attempts: number;
  streamed: boolean;
}

export function recordLedger(services: GatewayServices, entry: LedgerEntry): void {
  services.ledger?.record({
    id: randomUUID(),
    created_at: services.now(),
    alias: entry.plan.alias,
    provider: entry.plan.provider,
    model: entry.plan.modelId,
    outcome: entry.outcome,
    error_kind: entry.errorKind,
    input_tokens: entry.usage.inputTokens,
    cache_read_tokens: entry.usage.cacheReadTokens,
    cache_write_tokens: entry.usage.cacheWriteTokens,
    output_tokens: entry.usage.outputTokens,
    reasoning_tokens: entry.usage.reasoningTokens,
    cost_usd: entry.costUsd,
    latency_ms: services.now() - entry.startedAt,
    attempts: entry.attempts,
    simulated: entry.plan.simulated ? 1 : 0,
    streamed: entry.streamed ? 1 : 0,
    run_id: entry.context.request.runId ?? null,
    task_id: entry.context.request.taskId ?? null,
    step_id: entry.context.request.stepId ?? null,
  });
}

/** Turns a provider handle failure (a missing key) into the first failed attempt. */
export function resolveHandle(
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
export function failBeforeSending(
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

/** The error of this model's latest failed attempt in this call, if any. */

/** What a model needs before its first attempt: a provider handle and, under a budget, a hold. */
export interface PreparedModel {
  handle: ModelHandle;
  maxTokens: number;
  hold: BudgetHold | undefined;
  startedAt: number;
}

/**
 * Resolves the model's provider and holds its worst-case cost against the budget. A missing
 * key or a refused budget ends the model here, before any request is sent.
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

/**
 * Calls one model of the chain until it answers, or the retry policy says to move on or stop.
 * Breaker, rate limiter and budget wrap every attempt; every path settles what it took.
 */
export async function generateOnModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
): Promise<ModelOutcome> {
  const preparation = await prepareModel(services, plan, context);
  if ("outcome" in preparation) return preparation.outcome;
  const { handle, maxTokens, hold, startedAt: modelStartedAt } = preparation.prepared;
  const request = context.request;

  let prompt: LanguageModelV4Prompt = context.prompt;
  let usage: TokenUsage = ZERO_USAGE;
  let repaired = false;
  // The attempt loop ends in an answer (settled after the loop, outside the attempt's `try`:
  // a store failure there must not pass for the model's) or in a failure.
  let ending:
    | { answered: ModelResult<unknown>; costNano: number }
    | { failed: { error: ModelError; decision: FinalDecision } }
    | undefined;

  for (let attempt = 1; ending === undefined; attempt += 1) {
    const admission = await admitAttempt(plan, context, attempt, context.inputBound + maxTokens);
    if (!admission.admitted) {
      if ("stop" in admission) {
        ending = { failed: admission.stop };
        break;
      }
      await settleCall(services, plan, hold, 0);
      return { type: "skipped", error: admission.skip };
    }
    const { permit, breakerDecision } = admission;
    const startedAt = services.now();
    const timeoutMs = attemptTimeoutMs(plan, context, startedAt);
    const attemptSignal = new TimedSignal(context.callSignal);
    attemptSignal.arm(timeoutMs);
    plan.log.debug({ attempt, timeoutMs, maxTokens }, `calling ${plan.provider} ${plan.modelId}`);
    try {
      const response = await handle.model.doGenerate({
        prompt,
        maxOutputTokens: maxTokens,
        ...((request.temperature ?? plan.temperature) === undefined
          ? {}
          : { temperature: request.temperature ?? plan.temperature }),
        ...(context.responseFormat === undefined ? {} : { responseFormat: context.responseFormat }),
        abortSignal: attemptSignal.signal,
      });
      const responseUsage = normalizeUsage(response.usage);
      permit.settle(responseUsage.totalTokens);
      usage = addUsage(usage, responseUsage);
      const text = answerText(response);
      if (text === "" && response.finishReason.unified === "content-filter") {
        throw labelledModelError(plan, `the provider blocked the answer (content filter)`, {
          kind: "content_filter",
          providerCode: response.finishReason.raw,
        });
      }
      let object: unknown;
      if (request.schema) {
        const parsed = parseStructured(text, request.schema);
        if (!parsed.ok) {
          if (repaired) {
            throw labelledModelError(plan, `structured output rejected twice: ${parsed.problem}`, {
              kind: "parse",
              retryable: false,
              providerCode: "schema_mismatch",
            });
          }
          repaired = true;
          plan.breaker.recordSuccess(breakerDecision);
          plan.log.info(
            { attempt, problem: parsed.problem },
            "structured output rejected; asking the model to correct it",
          );
          prompt = [
            ...prompt,
            { role: "assistant", content: [{ type: "text", text }] },
            { role: "user", content: [{ type: "text", text: repairMessage(parsed.problem) }] },
          ];
          continue;
        }
        object = parsed.value;
      }
      plan.breaker.recordSuccess(breakerDecision);
      const costNano = plan.price ? costNanoUsd(usage, plan.price) : 0;
      const costUsd = nanoUsdToUsd(costNano);
      plan.log.debug(
        {
          attempt,
          latencyMs: services.now() - startedAt,
          usage,
          costUsd,
          finishReason: response.finishReason.unified,
        },
        "answered",
      );
      ending = {
        costNano,
        answered: {
          model: plan.alias,
          provider: plan.provider,
          modelId: plan.modelId,
          simulated: plan.simulated,
          text,
          object,
          finishReason: response.finishReason.unified,
          usage,
          costUsd,
          durationMs: services.now() - context.startedAt,
          attempts: attempt,
          fallbacks: context.hops,
        },
      };
    } catch (thrown) {
      permit.release();
      const verdict = judgeFailedAttempt(services, plan, context, {
        thrown,
        attempt,
        startedAt,
        timeoutMs,
        timedOut: attemptSignal.timedOut,
        breakerDecision,
      });
      const stop =
        verdict.next === "stop" ? verdict : await waitBeforeRetry(plan, context, verdict.delayMs);
      if (stop) ending = { failed: stop };
    } finally {
      attemptSignal.dispose();
    }
  }

  if ("answered" in ending) {
    const result = ending.answered;
    const unsettled = await settleCall(services, plan, hold, ending.costNano);
    recordLedger(services, {
      plan,
      context,
      outcome: "success",
      errorKind: null,
      usage,
      costUsd: result.costUsd,
      startedAt: modelStartedAt,
      attempts: result.attempts,
      streamed: false,
    });
    if (unsettled) throw unrecordedSpendError(plan, unsettled, result, ending.costNano);
    return { type: "answered", result };
  }
  const failure = ending.failed;
  const costNano = plan.price ? costNanoUsd(usage, plan.price) : 0;
  const unsettled = await settleCall(services, plan, hold, costNano);
  const attemptsOnModel = context.attempts.filter((attempt) => attempt.model === plan.alias).length;
  recordLedger(services, {
    plan,
    context,
    outcome: "error",
    errorKind: failure.error.kind,
    usage,
    costUsd: nanoUsdToUsd(costNano),
    startedAt: modelStartedAt,
    attempts: attemptsOnModel,
    streamed: false,
  });
  if (unsettled && costNano > 0) throw unrecordedSpendError(plan, unsettled, undefined, costNano);
  return {
    type: "failed",
    error: failure.error,
    decision: failure.decision,
    attempts: attemptsOnModel,
  };
}
