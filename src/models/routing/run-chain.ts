import type { ModelOutcome } from "../call/end-model.js";
import type { CallContext, GatewayServices } from "../call/model-call-context.js";
import type { ModelResult } from "../call/model-request.js";
import { failureReasonFor, ModelCallFailure } from "../errors/model-call-failure.js";
import type { ModelError } from "../errors/model-error.js";
import type { ModelPlan } from "./model-plan.js";

/** An outcome that ends the chain without an answer and without trying further models. */
export type TerminalOutcome = { type: "incomplete"; error: ModelError };

export interface ChainHooks<Outcome> {
  /**
   * Runs the call on one model: `generateOnModel` or a stream's `streamOnModel`, passed as
   * they are, so each model's route goes from here straight down to its loop and back.
   */
  runModel(services: GatewayServices, plan: ModelPlan, context: CallContext): Promise<Outcome>;
  /** Called before moving on from `from` to `to`. */
  onFallback?(from: ModelPlan, to: string, error: ModelError): void;
}

/**
 * Walks a chain of models until one answers. A model whose breaker is open is skipped; a
 * failed model hands over to the next one when its decision was `fallback`, and stops the
 * call when it was `fail`. Ends in the answer or one ModelCallFailure keeping every attempt.
 */
export async function runChain<Outcome extends ModelOutcome | TerminalOutcome>(
  chain: readonly ModelPlan[],
  services: GatewayServices,
  context: CallContext,
  hooks: ChainHooks<Outcome>,
): Promise<ModelResult<unknown>> {
  let lastFailure: Extract<ModelOutcome, { type: "failed" }> | undefined;
  let lastSkip: ModelError | undefined;
  let modelsTried = 0;
  for (const [index, plan] of chain.entries()) {
    const outcome = await hooks.runModel(services, plan, context);
    if (outcome.type === "answered") return outcome.result;
    if (outcome.type === "incomplete") throw outcome.error;
    const next = chain[index + 1]?.alias;
    if (outcome.type === "skipped") {
      lastSkip = outcome.error;
      context.hops.push({
        model: plan.alias,
        kind: outcome.error.kind,
        message: outcome.error.message,
        attempts: 0,
      });
      plan.log.warn(
        next
          ? `skipping ${plan.alias} (circuit open); trying ${next}`
          : `skipping ${plan.alias} (circuit open)`,
      );
      if (next) hooks.onFallback?.(plan, next, outcome.error);
      continue;
    }
    modelsTried += 1;
    lastFailure = outcome;
    if (outcome.decision.action === "fail") {
      throw new ModelCallFailure({
        reason: outcome.decision.reason,
        attempts: context.attempts,
        lastError: outcome.error,
      });
    }
    context.hops.push({
      model: plan.alias,
      kind: outcome.error.kind,
      message: outcome.error.message,
      attempts: outcome.attempts,
    });
    if (next) {
      plan.log.warn(
        { next, kind: outcome.error.kind },
        `falling back from ${plan.alias} to ${next}: ${outcome.error.kind}`,
      );
      hooks.onFallback?.(plan, next, outcome.error);
    }
  }
  if (!lastFailure) {
    throw new ModelCallFailure({
      reason: "breakerOpen",
      attempts: context.attempts,
      ...(lastSkip ? { lastError: lastSkip } : {}),
    });
  }
  throw new ModelCallFailure({
    reason: failureReasonFor(lastFailure.decision, modelsTried),
    attempts: context.attempts,
    lastError: lastFailure.error,
  });
}
