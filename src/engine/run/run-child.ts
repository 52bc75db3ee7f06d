import type { ChildOutcome } from "../steps/step-runner.js";
import { findChildRun } from "../store/run-records.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import { resumeRun, runWorkflow } from "./run-api.js";
import type { DriveOptions } from "./run-options.js";
import { getRun, type RunSummary } from "./run-summary.js";

/**
 * Runs a sub-workflow as a child run. A child that a crashed attempt left unfinished is
 * resumed rather than started again; a failed or cancelled one is replaced by a new run.
 */
export async function runChildWorkflow(
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  parent: { runId: string; step: string },
  options: DriveOptions,
): Promise<ChildOutcome> {
  const existing = await findChildRun(options.store, parent.runId, parent.step);
  let summary: RunSummary;
  if (existing && existing.status === "succeeded") {
    summary = await getRun(options.store, existing.id);
  } else if (existing && !["failed", "cancelled"].includes(existing.status)) {
    summary = await resumeRun(existing.id, { ...options, definition, waitForApprovals: true });
  } else {
    summary = await runWorkflow(definition, { ...options, inputs, parent, waitForApprovals: true });
  }
  return {
    runId: summary.runId,
    status: summary.status,
    state: summary.state,
    outputs: summary.outputs,
    costUsd: summary.costUsd,
    ...(summary.error === null ? {} : { error: summary.error }),
  };
}
