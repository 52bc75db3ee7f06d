import {
  cancelRun,
  gcRuns,
  getRun,
  listRuns,
  liveRunSource,
  type RunStatus,
  type RunSummary,
} from "../engine/index.js";
import { UsageError } from "../errors/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";
import { isoTime, tableTime } from "./iso-time.js";
import { loadWorkflow } from "./load-workflow.js";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";
import { showJson } from "./run-json.js";
import { RUN_STATUSES } from "./run-statuses.js";

function compact(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function printRun(context: CliContext, summary: RunSummary): void {
  context.print(
    `run ${summary.runId} · ${summary.workflow} · ${summary.status}${summary.stopReason ? ` (stop: ${summary.stopReason})` : ""} · ${formatUsd(summary.costUsd)}`,
  );
  context.print(
    `started ${tableTime(summary.startedAt)} · finished ${tableTime(summary.finishedAt)}`,
  );
  if (summary.error) context.print(`error: ${summary.error}`);
  context.print("");
  context.print(
    formatTable(summary.steps, [
      { header: "STEP", value: (step) => step.id },
      { header: "STATUS", value: (step) => step.status },
      { header: "ATTEMPTS", value: (step) => String(step.attempts), align: "right" },
      {
        header: "TIME",
        value: (step) => `${(step.durationMs / 1000).toFixed(2)}s`,
        align: "right",
      },
      { header: "COST", value: (step) => formatUsd(step.costUsd), align: "right" },
      { header: "MODEL", value: (step) => step.model ?? "-" },
      { header: "ERROR", value: (step) => (step.error ?? "").split("\n")[0] ?? "" },
    ]),
  );
  if (summary.iterations.length > 1 || summary.iterations.some((entry) => entry.score !== null)) {
    context.print("");
    context.print(
      summary.iterations
        .map((entry) => `iteration ${entry.iteration}: score ${entry.score ?? "-"}`)
        .join("\n"),
    );
  }
  context.print("");
  context.print(`state: ${compact(summary.state)}`);
}

export async function runRuns(
  context: CliContext,
  flags: { status?: string; limit: string },
): Promise<number> {
  const limit = parsePositiveInteger(flags.limit, "--limit");
  if (flags.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(flags.status)) {
    throw new UsageError(`--status: "${flags.status}" is not a run status`, {
      hint: `Use one of ${RUN_STATUSES.join(", ")}.`,
    });
  }
  const runs = await listRuns(await context.store(), {
    limit,
    ...(flags.status === undefined ? {} : { status: flags.status as RunStatus }),
  });
  if (context.options.json) {
    context.printJson({
      success: true,
      runs: runs.map((run) => ({
        ...run,
        startedAt: isoTime(run.startedAt),
        finishedAt: isoTime(run.finishedAt),
      })),
    });
    return EXIT_OK;
  }
  if (runs.length === 0) {
    context.print("No runs.");
    return EXIT_OK;
  }
  context.print(
    formatTable(runs, [
      { header: "ID", value: (run) => run.id },
      { header: "WORKFLOW", value: (run) => run.workflow },
      { header: "STATUS", value: (run) => run.status },
      { header: "STARTED", value: (run) => tableTime(run.startedAt) },
      { header: "FINISHED", value: (run) => tableTime(run.finishedAt) },
      { header: "COST", value: (run) => formatUsd(run.costUsd), align: "right" },
    ]),
  );
  return EXIT_OK;
}

export async function runShow(context: CliContext, runId: string): Promise<number> {
  const store = await context.store();
  // A run that has not ended: its state is folded from its commits, by its workflow's reducers.
  const source = await liveRunSource(store, runId);
  const definition =
    source === undefined ? undefined : await loadWorkflow(source, context).catch(() => undefined);
  const summary = await getRun(store, runId, definition);
  if (context.options.json) context.printJson(showJson(summary));
  else printRun(context, summary);
  return EXIT_OK;
}

export async function runCancel(
  context: CliContext,
  runId: string,
  flags: { reason?: string },
): Promise<number> {
  const previous = await cancelRun(await context.store(), runId, {
    actor: context.actor,
    ...(flags.reason === undefined ? {} : { reason: flags.reason }),
  });
  if (context.options.json) context.printJson({ success: true, runId, previous });
  else context.print(`Cancelled run ${runId} (it was ${previous}).`);
  return EXIT_OK;
}

export async function runGc(context: CliContext, flags: { olderThan: string }): Promise<number> {
  const age = parseDuration(flags.olderThan, "--older-than");
  const deleted = await gcRuns(await context.store(), Date.now() - age);
  if (context.options.json) context.printJson({ success: true, deleted });
  else
    context.print(
      `Deleted ${deleted} run${deleted === 1 ? "" : "s"} that ended more than ${flags.olderThan} ago.`,
    );
  return EXIT_OK;
}
