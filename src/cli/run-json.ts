import type { RunSummary } from "../engine/index.js";
import { isoTime } from "./iso-time.js";

/** `orkestra run --json` and `resume --json`: the shape is a public contract. */
export function runJson(summary: RunSummary, success: boolean): Record<string, unknown> {
  return {
    success,
    runId: summary.runId,
    status: summary.status,
    outputs: summary.outputs,
    state: summary.state,
    costUsd: summary.costUsd,
    iterations: summary.iterations,
    steps: summary.steps.map((step) => ({
      id: step.id,
      status: step.status,
      attempts: step.attempts,
      durationMs: step.durationMs,
      costUsd: step.costUsd,
      model: step.model,
    })),
  };
}

/** `orkestra show --json`: the run document plus per-step timings and errors. */
export function showJson(summary: RunSummary): Record<string, unknown> {
  return {
    ...runJson(summary, summary.status === "succeeded"),
    workflow: summary.workflow,
    stopReason: summary.stopReason,
    error: summary.error,
    createdAt: isoTime(summary.createdAt),
    startedAt: isoTime(summary.startedAt),
    finishedAt: isoTime(summary.finishedAt),
    steps: summary.steps.map((step) => ({
      id: step.id,
      status: step.status,
      attempts: step.attempts,
      durationMs: step.durationMs,
      costUsd: step.costUsd,
      model: step.model,
      iteration: step.iteration,
      startedAt: isoTime(step.startedAt),
      finishedAt: isoTime(step.finishedAt),
      error: step.error,
    })),
  };
}
