import type { ApprovalStep } from "../workflow-definition.js";
import { type StepEnvironment, StepFailure, type StepOutcome } from "./step-runner.js";

/** Waits for a person; a rejection (or its timeout) is a failure that no retry changes. */
export async function runApprovalStep(
  step: ApprovalStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const decision = await environment.awaitApproval({
    title: step.title.render(environment.scope),
    prompt: step.prompt.render(environment.scope),
    data: step.data?.resolve(environment.scope) ?? null,
    ...(step.approvalTimeoutMs === undefined ? {} : { timeoutMs: step.approvalTimeoutMs }),
  });
  if (decision.status === "rejected") {
    throw new StepFailure(
      `step ${step.id}: rejected by ${decision.decidedBy ?? "someone"}${decision.comment ? `: ${decision.comment}` : ""}`,
      { retryable: false, kind: "rejected" },
    );
  }
  const output = {
    approved: true,
    approvalId: decision.approvalId,
    decidedBy: decision.decidedBy,
    comment: decision.comment,
  };
  return { output, inputTokens: 0, outputTokens: 0, costUsd: 0, model: null };
}
