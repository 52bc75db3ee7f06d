import type { LoopSpec, LoopStopReason, RunSummary } from "../engine/index.js";

/** The six analysis steps of examples/manuscript-review.yaml, in report order, with their labels. */
export const DEMO_ASPECTS = [
  ["structure", "structure"],
  ["characters", "characters"],
  ["pacing", "pacing"],
  ["style", "style"],
  ["consistency", "consistency"],
  ["market_fit", "market fit"],
] as const;

export interface DemoReport {
  /** Every model the steps ran on is the simulated provider: no provider was called. */
  simulated: boolean;
  model: string;
  /** The bundled sample the demo reviewed. */
  manuscript: string;
  /** Each aspect's review in the last iteration, by step id; null when the step did not succeed. */
  findings: Record<string, string | null>;
  /** The synthesis of the last iteration. */
  verdict: { score: number | null; summary: string | null };
  iterations: { iteration: number; score: number | null }[];
  stopReason: LoopStopReason | null;
  /** Why the loop stopped, in words. */
  stoppedBecause: string;
  costUsd: number;
  durationMs: number;
  runId: string;
  /** The command that shows the run. */
  show: string;
}

function outputText(summary: RunSummary, stepId: string): string | null {
  const output = summary.outputs[stepId] as { text?: unknown } | undefined;
  return typeof output?.text === "string" ? output.text : null;
}

function verdictOf(summary: RunSummary): DemoReport["verdict"] {
  const output = summary.outputs.synthesis as { object?: Record<string, unknown> } | undefined;
  const score = output?.object?.score;
  const text = output?.object?.summary;
  return {
    score: typeof score === "number" ? score : null,
    summary: typeof text === "string" ? text : null,
  };
}

/** Why the loop ended, said with the loop's own settings. */
export function stopReasonText(
  reason: LoopStopReason | null,
  loop: LoopSpec | undefined,
  status: RunSummary["status"],
): string {
  switch (reason) {
    case "until":
      return `the score passed (until: ${loop?.until?.source ?? "the condition held"})`;
    case "max_iterations":
      return `maxIterations (${loop?.maxIterations ?? "?"}) reached before the score passed${loop?.until ? ` (until: ${loop.until.source})` : ""}`;
    case "no_improvement":
      return `the score did not improve for ${loop?.noImprovement ?? "?"} iterations (noImprovement)`;
    case "budget":
      return "the run's budget was spent";
    case "deadline":
      return "the run's deadline passed";
    case "no_loop":
      return "the workflow has no loop";
    default:
      return `the run ended ${status}`;
  }
}

export interface DemoReportContext {
  summary: RunSummary;
  loop: LoopSpec | undefined;
  model: string;
  simulated: boolean;
  manuscript: string;
  durationMs: number;
}

export function demoReport(context: DemoReportContext): DemoReport {
  const { summary } = context;
  return {
    simulated: context.simulated,
    model: context.model,
    manuscript: context.manuscript,
    findings: Object.fromEntries(DEMO_ASPECTS.map(([id]) => [id, outputText(summary, id)])),
    verdict: verdictOf(summary),
    iterations: summary.iterations,
    stopReason: summary.stopReason,
    stoppedBecause: stopReasonText(summary.stopReason, context.loop, summary.status),
    costUsd: summary.costUsd,
    durationMs: context.durationMs,
    runId: summary.runId,
    show: `orkestra show ${summary.runId}`,
  };
}
