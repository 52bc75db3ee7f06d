import type { SubWorkflowStep } from "../workflow-definition.js";
import { type StepEnvironment, StepFailure, type StepOutcome } from "./step-runner.js";

/** Runs the sub-workflow as a child run with its own inputs; its state is the step's object. */
export async function runSubWorkflowStep(
  step: SubWorkflowStep,
  environment: StepEnvironment,
): Promise<StepOutcome> {
  const inputs: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(step.inputs))
    inputs[name] = template.resolve(environment.scope);
  const child = await environment.runChild(step.workflow, inputs);
  if (child.status !== "succeeded") {
    throw new StepFailure(
      `step ${step.id}: sub-workflow ${step.workflow.name} (run ${child.runId}) ${child.status}${child.error ? `: ${child.error}` : ""}`,
      { retryable: false, kind: "workflow" },
    );
  }
  const output = { runId: child.runId, state: child.state, outputs: child.outputs };
  // The child's model calls are on its own ledger rows and run row; counting them here again
  // would double the parent's cost.
  return { output, inputTokens: 0, outputTokens: 0, costUsd: 0, model: null };
}
