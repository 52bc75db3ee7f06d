import { createLogUpdate } from "log-update";
import type { RunEmitter, RunEvent, StepStatus } from "../engine/index.js";
import type { CliContext } from "./cli-context.js";
import { formatUsd } from "./format-usd.js";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** One line per event, for logs and pipes. */
export function eventLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case "run:start":
      return `run ${event.runId} ${event.resumed ? "resumed" : "started"} (${event.workflow}, iteration ${event.iteration})`;
    case "step:start":
      return `step ${event.stepId} started (iteration ${event.iteration}, attempt ${event.attempt})`;
    case "step:retry":
      return `step ${event.stepId} retrying in ${event.delayMs} ms: ${event.error}`;
    case "step:end": {
      const details = [
        seconds(event.durationMs),
        ...(event.model ? [event.model] : []),
        ...(event.inputTokens + event.outputTokens > 0
          ? [`${event.inputTokens}→${event.outputTokens} tokens`]
          : []),
        ...(event.costUsd > 0 ? [formatUsd(event.costUsd)] : []),
      ].join(" · ");
      return `step ${event.stepId} ${event.status} (${details})${event.error ? `: ${event.error}` : ""}`;
    }
    case "approval:waiting":
      return `approval waiting: ${event.title} (orkestra approve ${event.approvalId} | orkestra reject ${event.approvalId} --reason …)`;
    case "approval:decided":
      return `approval ${event.approvalId} ${event.status} by ${event.decidedBy ?? "someone"}`;
    case "iteration:end":
      return `iteration ${event.iteration} ended${event.score === null ? "" : `: score ${event.score}`}${event.stopReason ? ` (stop: ${event.stopReason})` : ""}`;
    case "run:end":
      return `run ${event.runId} ${event.status}${event.stopReason ? ` (stop: ${event.stopReason})` : ""}${event.error ? `: ${event.error}` : ""}`;
  }
}

interface LiveStep {
  status: StepStatus;
  startedAt: number;
  durationMs?: number;
  model: string | null;
  tokens: number;
  costUsd: number;
  attempt: number;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const MARKS: Partial<Record<StepStatus, string>> = {
  succeeded: "✔",
  failed: "✖",
  skipped: "↷",
  cancelled: "■",
  waiting: "…",
};

/**
 * Shows a run's progress: redrawn in place on a terminal (a line per step with status, model,
 * duration, tokens and cost; a spinner for running steps; the iteration and its score), one
 * line per event otherwise. Returns the function that stops it.
 */
export function showProgress(context: CliContext, events: RunEmitter): () => void {
  if (context.options.json || context.options.quiet) return () => {};
  const stdout = context.io.stdout;
  // A terminal without a size (a pty nobody sized) would show log-update nothing at all.
  if (stdout.isTTY !== true || (stdout as { rows?: number }).rows === 0) {
    return events.onAny((event) => {
      const line = eventLine(event);
      if (line) context.print(line);
    });
  }
  const live = createLogUpdate(stdout as NodeJS.WriteStream);
  const steps = new Map<string, LiveStep>();
  let header = "";
  let iteration = "";
  const notes: string[] = [];
  let frame = 0;
  const render = (): void => {
    const lines = [header + iteration];
    for (const [id, step] of steps) {
      const mark =
        step.status === "running"
          ? (SPINNER[frame % SPINNER.length] ?? "*")
          : (MARKS[step.status] ?? " ");
      const duration = step.durationMs ?? Date.now() - step.startedAt;
      const parts = [
        seconds(duration),
        step.model ?? "",
        step.tokens > 0 ? `${step.tokens} tokens` : "",
        step.costUsd > 0 ? formatUsd(step.costUsd) : "",
      ];
      lines.push(
        `${mark} ${id.padEnd(20)} ${step.status.padEnd(10)} ${parts.filter(Boolean).join(" · ")}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ""}`,
      );
    }
    live([...lines, ...notes].join("\n"));
  };
  const timer = setInterval(() => {
    frame += 1;
    render();
  }, 100);
  const unsubscribe = events.onAny((event) => {
    if (event.type === "run:start") header = `${event.workflow} · run ${event.runId}`;
    if (event.type === "step:start") {
      steps.set(event.stepId, {
        status: "running",
        startedAt: Date.now(),
        model: null,
        tokens: 0,
        costUsd: 0,
        attempt: event.attempt,
      });
    }
    if (event.type === "step:end") {
      const step = steps.get(event.stepId);
      if (step) {
        step.status = event.status;
        step.durationMs = event.durationMs;
        step.model = event.model;
        step.tokens += event.inputTokens + event.outputTokens;
        step.costUsd += event.costUsd;
      }
    }
    if (event.type === "approval:waiting") {
      const step = steps.get(event.stepId);
      if (step) step.status = "waiting";
      notes.push(`waiting for approval: ${event.title} (orkestra approve ${event.approvalId})`);
    }
    if (event.type === "iteration:end" && (event.iteration > 0 || event.score !== null)) {
      iteration = ` · iteration ${event.iteration + 1} done${event.score === null ? "" : ` · score ${event.score}`}`;
    }
    if (event.type === "run:end") notes.push(eventLine(event) ?? "");
    render();
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
    render();
    live.done();
  };
}
