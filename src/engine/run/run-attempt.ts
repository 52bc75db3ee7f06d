import { runStepKind } from "../steps/run-step-kind.js";
import { type StepEnvironment, StepFailure } from "../steps/step-runner.js";
import type { StepDefinition, StepView } from "../workflow-definition.js";
import type { CommitFields } from "./run-writer.js";
import { raceAbort } from "./step-failures.js";
import { viewFromOutput } from "./view-from-output.js";

/** What an attempt that succeeded commits, and what later steps see of it. */
export interface SucceededAttempt {
  fields: CommitFields;
  view: StepView;
  /** Its state writes as committed (JSON round-tripped), or null. */
  writes: Record<string, unknown> | null;
}

/**
 * Runs one attempt of `step` until it settles or its signal aborts; checks a code step's
 * output against its schema (an invalid output is a retryable failure); shapes the commit:
 * the output as JSON, the view later steps see (made from that JSON alone, as a resume would),
 * and the state writes of the step's `writes` templates.
 */
export async function runAttempt(
  step: StepDefinition,
  environment: StepEnvironment,
): Promise<SucceededAttempt> {
  const outcome = await raceAbort(runStepKind(step, environment), environment.signal);
  let output = outcome.output;
  if (step.kind === "code" && step.output) {
    const parsed = step.output.safeParse(output);
    if (!parsed.success) {
      throw new StepFailure(`step ${step.id}: invalid output: ${parsed.error.message}`, {
        retryable: true,
        kind: "validation",
      });
    }
    output = parsed.data;
  }
  const outputJson = JSON.stringify(output ?? null);
  const view = viewFromOutput(step.kind, JSON.parse(outputJson));
  const writes: Record<string, unknown> = {};
  let written = false;
  for (const [channel, template] of Object.entries(step.writes)) {
    const value = template.resolve({ ...environment.scope, output: view });
    if (value === undefined) continue;
    writes[channel] = value;
    written = true;
  }
  const deltaJson = written ? JSON.stringify(writes) : null;
  return {
    fields: {
      status: "succeeded",
      outputJson,
      deltaJson,
      errorJson: null,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      costUsd: outcome.costUsd,
      model: outcome.model,
    },
    view,
    writes: deltaJson === null ? null : (JSON.parse(deltaJson) as Record<string, unknown>),
  };
}
