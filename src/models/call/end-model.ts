import { randomUUID } from "node:crypto";
import { settleCall, unrecordedSpendError } from "../budget/settle-call.js";
import type { ModelError } from "../errors/model-error.js";
import type { FinalDecision } from "../routing/attempt-failure.js";
import type { ModelPlan } from "../routing/model-plan.js";
import type { RetryDecision } from "../routing/retry-policy.js";
import { IncompleteStreamError } from "../streaming/incomplete-stream-error.js";
import { callCost } from "../usage/cost.js";
import type { TokenUsage } from "../usage/token-usage.js";
import type { CallContext, GatewayServices } from "./model-call-context.js";
import type { ModelResult } from "./model-request.js";
import type { PreparedModel } from "./prepare-model.js";

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

/** How a model of a streaming chain ended: as for `generate`, plus broken off mid-answer. */
export type StreamOutcome = ModelOutcome | { type: "incomplete"; error: IncompleteStreamError };

/** How the attempts on one model came out, before its books are closed. */
export type ModelEnding =
  | {
      type: "answered";
      text: string;
      object: unknown;
      finishReason: string;
      usage: TokenUsage;
      attempts: number;
    }
  | { type: "failed"; failure: { error: ModelError; decision: FinalDecision }; usage: TokenUsage }
  /** A stream that broke off after content: `error` says why. */
  | {
      type: "incomplete";
      error: ModelError;
      partialText: string;
      usage: TokenUsage;
      usageEstimated: boolean;
      attempts: number;
    }
  | { type: "skipped"; error: ModelError };

/** What the way down left for the way back: the hold to settle and when the model started. */
export type ModelBooks = Pick<PreparedModel, "hold" | "startedAt"> & { streamed: boolean };

/**
 * The way back for one model of the chain, shared by `generate` and `stream`: prices what the
 * attempts used, settles the budget hold to it, writes the ledger row and gives the outcome.
 * The settle runs outside any attempt: a store failure here is not the model's, so spend that
 * could not be recorded ends the call in an UnrecordedSpendError that keeps the answer.
 */
export async function endModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  books: ModelBooks,
  ending: Exclude<ModelEnding, { type: "incomplete" }>,
): Promise<ModelOutcome>;
export async function endModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  books: ModelBooks,
  ending: ModelEnding,
): Promise<StreamOutcome>;
export async function endModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  books: ModelBooks,
  ending: ModelEnding,
): Promise<StreamOutcome> {
  // Without a hold (no budget applies) there is nothing to settle: the books close at once.
  if (ending.type === "skipped") {
    if (books.hold) await settleCall(services, plan, books.hold, 0);
    return { type: "skipped", error: ending.error };
  }
  const { nanoUsd: costNano, usd: costUsd } = callCost(ending.usage, plan.price);
  // Started before the ledger row is recorded, awaited after: both can share one commit.
  const settling = books.hold ? settleCall(services, plan, books.hold, costNano) : undefined;
  const ledger = (outcome: LedgerOutcome, errorKind: string | null, attempts: number): void =>
    recordLedger(services, plan, context, books, {
      outcome,
      errorKind,
      usage: ending.usage,
      costUsd,
      attempts,
    });

  if (ending.type === "answered") {
    const result: ModelResult<unknown> = {
      model: plan.alias,
      provider: plan.provider,
      modelId: plan.modelId,
      simulated: plan.simulated,
      text: ending.text,
      object: ending.object,
      finishReason: ending.finishReason,
      usage: ending.usage,
      costUsd,
      durationMs: services.now() - context.startedAt,
      attempts: ending.attempts,
      fallbacks: context.hops,
    };
    plan.log.debug({ attempts: ending.attempts, usage: ending.usage, costUsd }, "answered");
    ledger("success", null, ending.attempts);
    const unsettled = settling && (await settling);
    if (unsettled) throw unrecordedSpendError(plan, unsettled, result, costNano);
    return { type: "answered", result };
  }

  if (ending.type === "incomplete") {
    const incomplete = new IncompleteStreamError(
      `${ending.error.message} (stream incomplete after ${ending.partialText.length} characters)`,
      {
        cause: ending.error,
        partialText: ending.partialText,
        usage: ending.usage,
        usageEstimated: ending.usageEstimated,
        costUsd,
      },
    );
    ledger("incomplete", ending.error.kind, ending.attempts);
    const unsettled = settling && (await settling);
    if (unsettled) throw unrecordedSpendError(plan, unsettled, incomplete, costNano);
    return { type: "incomplete", error: incomplete };
  }

  const attemptsOnModel = context.attempts.filter((attempt) => attempt.model === plan.alias).length;
  ledger("error", ending.failure.error.kind, attemptsOnModel);
  const unsettled = settling && (await settling);
  if (unsettled && costNano > 0) throw unrecordedSpendError(plan, unsettled, undefined, costNano);
  return {
    type: "failed",
    error: ending.failure.error,
    decision: ending.failure.decision,
    attempts: attemptsOnModel,
  };
}

type LedgerOutcome = "success" | "error" | "incomplete";

function recordLedger(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  books: ModelBooks,
  entry: {
    outcome: LedgerOutcome;
    errorKind: string | null;
    usage: TokenUsage;
    costUsd: number;
    attempts: number;
  },
): void {
  services.ledger?.record({
    id: randomUUID(),
    created_at: services.now(),
    alias: plan.alias,
    provider: plan.provider,
    model: plan.modelId,
    outcome: entry.outcome,
    error_kind: entry.errorKind,
    input_tokens: entry.usage.inputTokens,
    cache_read_tokens: entry.usage.cacheReadTokens,
    cache_write_tokens: entry.usage.cacheWriteTokens,
    output_tokens: entry.usage.outputTokens,
    reasoning_tokens: entry.usage.reasoningTokens,
    cost_usd: entry.costUsd,
    latency_ms: services.now() - books.startedAt,
    attempts: entry.attempts,
    simulated: plan.simulated ? 1 : 0,
    streamed: books.streamed ? 1 : 0,
    run_id: context.request.runId ?? null,
    task_id: context.request.taskId ?? null,
    step_id: context.request.stepId ?? null,
  });
}
