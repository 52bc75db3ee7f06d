import type { StepContext } from "../run/step-context.js";
import type { CodeStep } from "../workflow-definition.js";
import type { StepEnvironment, StepOutcome } from "./step-runner.js";

export async function runCodeStep(
  step: CodeStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const { scope } = environment;
  const context: StepContext = {
    inputs: scope.inputs,
    state: scope.state,
    steps: scope.steps,
    iteration: scope.iteration,
    ...(scope.previous ? { previous: scope.previous } : {}),
    signal: environment.signal,
    runId: environment.runId,
    stepId: environment.stepId,
    attempt: environment.attempt,
    gateway: environment.gateway as StepContext["gateway"],
    // Made when the step first logs: most never do, and a child logger per attempt is not free.
    get logger() {
      return environment.logger;
    },
  };
  const output = await (step.run as (context: StepContext) => unknown)(context);
  return {
    output,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    model: null,
  };
}
