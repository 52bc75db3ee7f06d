import { type VoteRequest, vote } from "../../consensus/index.js";
import { UsageError } from "../../errors/index.js";
import type { VoteStep } from "../workflow-definition.js";
import {
  checkBudget,
  requireGateway,
  type StepEnvironment,
  StepFailure,
  type StepOutcome,
} from "./step-runner.js";

/** The options of a vote step: each template one option, or one template giving the list. */
function renderOptions(step: VoteStep, environment: StepEnvironment): string[] {
  const [only] = step.options;
  if (step.options.length === 1 && only !== undefined) {
    const value = only.resolve(environment.scope);
    if (Array.isArray(value)) return value.map((option) => String(option));
  }
  return step.options.map((option) => option.render(environment.scope));
}

/**
 * A committee decides. The output is the vote's result (text: the winner); a vote that does
 * not decide still succeeds, with `status` saying why (`steps.<id>.object.status`). The run's
 * budget left caps the vote's spend, on top of the step's own `budgetUsd`.
 */
export async function runVoteStep(
  step: VoteStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const gateway = requireGateway(environment);
  checkBudget(environment);
  const left = environment.budgetLeftUsd();
  const cap = Math.min(step.budgetUsd ?? Number.POSITIVE_INFINITY, left);
  const request: VoteRequest = {
    question: step.question.render(environment.scope),
    options: renderOptions(step, environment),
    members: step.members,
    method: step.method,
    ...(step.weights === undefined ? {} : { weights: step.weights }),
    ...(step.quorum === undefined ? {} : { quorum: step.quorum }),
    ...(step.threshold === undefined ? {} : { threshold: step.threshold }),
    ...(step.rounds === undefined ? {} : { rounds: step.rounds }),
    ...(step.chair === undefined ? {} : { chair: step.chair }),
    ...(step.tieBreak === undefined ? {} : { tieBreak: step.tieBreak }),
    ...(step.seed === undefined ? {} : { seed: step.seed }),
    ...(Number.isFinite(cap) ? { budgetUsd: cap } : {}),
    ...(step.free === undefined ? {} : { free: step.free }),
    ...(step.maxTokens === undefined ? {} : { maxTokens: step.maxTokens }),
    signal: environment.signal,
    runId: environment.runId,
    stepId: environment.stepId,
  };
  try {
    const result = await vote(gateway, environment.store, request, {
      actor: `run:${environment.runId}`,
    });
    return {
      output: result,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      costUsd: result.costUsd,
      model: step.members.join(","),
    };
  } catch (error) {
    if (!UsageError.isInstance(error)) throw error;
    throw new StepFailure(`step ${environment.stepId}: ${error.message}`, {
      retryable: false,
      kind: "usage",
      cause: error,
    });
  }
}
