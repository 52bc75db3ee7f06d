import type { PromptStep } from "../workflow-definition.js";
import {
  checkBudget,
  requireGateway,
  type StepEnvironment,
  type StepOutcome,
} from "./step-runner.js";

export async function runPromptStep(
  step: PromptStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const gateway = requireGateway(environment);
  checkBudget(environment);
  const result = await gateway.generate({
    model: step.model,
    prompt: step.prompt.render(environment.scope),
    ...(step.system ? { system: step.system.render(environment.scope) } : {}),
    ...(step.maxTokens === undefined ? {} : { maxTokens: step.maxTokens }),
    ...(step.schema ? { schema: step.schema } : {}),
    signal: environment.signal,
    runId: environment.runId,
    stepId: environment.stepId,
  });
  return {
    output: { text: result.text, object: result.object, model: result.model },
    inputTokens:
      result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens,
    outputTokens: result.usage.outputTokens + result.usage.reasoningTokens,
    costUsd: result.costUsd,
    model: result.model,
  };
}
