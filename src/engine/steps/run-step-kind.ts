import type { StepDefinition } from "../workflow-definition.js";
import { runApprovalStep } from "./run-approval-step.js";
import { runCodeStep } from "./run-code-step.js";
import { runCommandStep } from "./run-command-step.js";
import { runFanoutStep } from "./run-fanout-step.js";
import { runPromptStep } from "./run-prompt-step.js";
import { runSubWorkflowStep } from "./run-subworkflow-step.js";
import { runVoteStep } from "./run-vote-step.js";
import type { StepEnvironment, StepOutcome } from "./step-runner.js";

/** Runs one attempt of a step, by its kind. */
export function runStepKind(
  step: StepDefinition,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  switch (step.kind) {
    case "prompt":
      return runPromptStep(step, environment);
    case "fanout":
      return runFanoutStep(step, environment);
    case "command":
      return runCommandStep(step, environment);
    case "approval":
      return runApprovalStep(step, environment);
    case "workflow":
      return runSubWorkflowStep(step, environment);
    case "code":
      return runCodeStep(step, environment);
    case "vote":
      return runVoteStep(step, environment);
  }
}
