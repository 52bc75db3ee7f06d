import type { FanoutStep } from "../workflow-definition.js";
import {
  checkBudget,
  requireGateway,
  type StepEnvironment,
  StepFailure,
  type StepOutcome,
} from "./step-runner.js";

/** One prompt to several models; partial success is success when `minSuccesses` answered. */
export async function runFanoutStep(
  step: FanoutStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const gateway = requireGateway(environment);
  checkBudget(environment);
  const outcome = await gateway.fanOut(step.models, {
    prompt: step.prompt.render(environment.scope),
    ...(step.system ? { system: step.system.render(environment.scope) } : {}),
    ...(step.maxTokens === undefined ? {} : { maxTokens: step.maxTokens }),
    signal: environment.signal,
    runId: environment.runId,
    stepId: environment.stepId,
  });
  const answers = outcome.results.map((result) => ({ model: result.model, text: result.text }));
  const failures = outcome.failures.map((failure) => ({
    model: failure.model,
    kind: failure.error.kind,
    error: failure.error.message,
  }));
  if (answers.length < step.minSuccesses) {
    throw new StepFailure(
      `step ${step.id}: ${answers.length} of ${step.models.length} models answered, ${step.minSuccesses} needed (${failures.map((failure) => `${failure.model}: ${failure.error}`).join("; ")})`,
      { retryable: outcome.failures.some((failure) => failure.error.retryable), kind: "fanout" },
    );
  }
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  for (const result of outcome.results) {
    inputTokens +=
      result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens;
    outputTokens += result.usage.outputTokens + result.usage.reasoningTokens;
    costUsd += result.costUsd;
  }
  return {
    output: { answers, failures },
    inputTokens,
    outputTokens,
    costUsd,
    model: answers.map((answer) => answer.model).join(",") || null,
  };
}
