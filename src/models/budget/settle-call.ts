import type { GatewayServices } from "../call/model-call-context.js";
import type { ModelResult } from "../call/model-request.js";
import { modelLabel } from "../errors/model-error-message.js";
import type { ModelPlan } from "../routing/model-plan.js";
import type { IncompleteStreamError } from "../streaming/model-stream.js";
import { nanoUsdToUsd } from "../usage/cost.js";
import type { BudgetHold } from "./budget-guard.js";
import { retryStoreWrite, STORE_WRITE_TRIES } from "./retry-store-write.js";
import { UnrecordedSpendError } from "./unrecorded-spend-error.js";

/** The store's last error when a settle failed every try; undefined when it was settled. */
export type SettleFailure = { error: unknown } | undefined;

/**
 * Settles a call's budget hold to what the call cost, after the provider answered (or the
 * model's attempts ended). Retries a failing store a couple of times; when every try fails,
 * logs and audits the spend (`budget:settle_failed`) and returns the last error. Spend beyond
 * the hold (a provider that ignored `maxTokens`) is audited as `budget:overrun`: it still
 * counts in full against every budget line. Never throws. Start it before recording the call's
 * ledger row and await it after: then both can share one transaction.
 */
export async function settleCall(
  services: GatewayServices,
  plan: ModelPlan,
  hold: BudgetHold | undefined,
  costNanoUsd: number,
): Promise<SettleFailure> {
  const budget = services.budget;
  if (!hold || !budget) return undefined;
  if (costNanoUsd > hold.amountNanoUsd) reportOverrun(services, plan, hold, costNanoUsd);
  const onFailedTry = (error: unknown, attempt: number): void =>
    plan.log.warn({ err: error, attempt }, "could not settle the budget hold");
  // The first try joins the call's ledger row in one transaction where the store allows it;
  // should that fail, the further tries settle on their own. Never the model call again.
  let failure: SettleFailure;
  try {
    await budget.settle(hold, costNanoUsd, services.ledger);
    return undefined;
  } catch (error) {
    onFailedTry(error, 1);
    failure = await retryStoreWrite(() => budget.settle(hold, costNanoUsd), onFailedTry, 2);
  }
  if (failure === undefined) return undefined;
  const lastError = failure.error;
  const message = lastError instanceof Error ? lastError.message : String(lastError);
  plan.log.error(
    { err: lastError, heldNanoUsd: hold.amountNanoUsd, actualNanoUsd: costNanoUsd },
    `spend of ${nanoUsdToUsd(costNanoUsd)} USD could not be recorded in the budget counters`,
  );
  services.audit("budget:settle_failed", `model:${plan.alias}`, "failure", {
    model: plan.alias,
    heldUsd: nanoUsdToUsd(hold.amountNanoUsd),
    actualUsd: nanoUsdToUsd(costNanoUsd),
    message,
  });
  return failure;
}

function reportOverrun(
  services: GatewayServices,
  plan: ModelPlan,
  hold: BudgetHold,
  costNanoUsd: number,
): void {
  const data = {
    model: plan.alias,
    heldUsd: nanoUsdToUsd(hold.amountNanoUsd),
    actualUsd: nanoUsdToUsd(costNanoUsd),
  };
  plan.log.warn(
    data,
    `${plan.alias} cost more than was held for it (the provider billed past maxTokens)`,
  );
  services.audit("budget:overrun", `model:${plan.alias}`, "overrun", data);
}

/** The error a call ends in when its answer arrived but its spend could not be settled. */
export function unrecordedSpendError(
  plan: ModelPlan,
  failure: { error: unknown },
  answer: ModelResult<unknown> | IncompleteStreamError | undefined,
  costNanoUsd: number,
): UnrecordedSpendError {
  const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
  const what = answer === undefined ? "the model's attempts were paid for" : "the answer arrived";
  return new UnrecordedSpendError(
    `${modelLabel(plan.alias, plan.provider, plan.modelId)}: ${what} (cost $${nanoUsdToUsd(costNanoUsd)}), but the store failed to record the spend in the budget after ${STORE_WRITE_TRIES} tries: ${reason}`,
    { answer, model: plan.alias, costUsd: nanoUsdToUsd(costNanoUsd), cause: failure.error },
  );
}
