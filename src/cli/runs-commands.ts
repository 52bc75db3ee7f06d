import type { Command } from "commander";
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
import type { CommandRunner } from "./command-runner.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";
import { isoTime } from "./iso-time.js";
import { loadWorkflow } from "./load-workflow.js";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";
import { showJson } from "./run-json.js";

const RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "running",
  "waiting",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
];

function time(at: number | null): string {
  return at === null ? "-" : new Date(at).toISOString().replace("T", " ").slice(0, 19);
}

function compact(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function printRun(context: CliContext, summary: RunSummary): void {
  context.print(
    `run ${summary.runId} · ${summary.workflow} · ${summary.status}${summary.stopReason ? ` (stop: ${summary.stopReason})` : ""} · ${formatUsd(summary.costUsd)}`,
  );
  context.print(`started ${time(summary.startedAt)} · finished ${time(summary.finishedAt)}`);
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

export function registerRunsCommands(program: Command, runner: CommandRunner): void {
  program
    .command("runs")
    .description("list workflow runs, newest first")
    .option("--status <status>", `only runs with this status (${RUN_STATUSES.join(", ")})`)
    .option("--limit <n>", "at most this many runs", "20")
    .action(
      runner.action(async (context, flags: { status?: string; limit: string }) => {
        const limit = parsePositiveInteger(flags.limit, "--limit");
        if (
          flags.status !== undefined &&
          !(RUN_STATUSES as readonly string[]).includes(flags.status)
        ) {
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
            { header: "STARTED", value: (run) => time(run.startedAt) },
            { header: "FINISHED", value: (run) => time(run.finishedAt) },
            { header: "COST", value: (run) => formatUsd(run.costUsd), align: "right" },
          ]),
        );
        return EXIT_OK;
      }),
    );

  program
    .command("show")
    .description(
      "show a run: status, steps with attempts, timings, cost and errors, iterations, state",
    )
    .argument("<run>", "the run id")
    .action(
      runner.action(async (context, runId: string) => {
        const store = await context.store();
        // A run that has not ended: its state is folded from its commits, by its workflow's reducers.
        const source = await liveRunSource(store, runId);
        const definition =
          source === undefined
            ? undefined
            : await loadWorkflow(source, context).catch(() => undefined);
        const summary = await getRun(store, runId, definition);
        if (context.options.json) context.printJson(showJson(summary));
        else printRun(context, summary);
        return EXIT_OK;
      }),
    );

  program
    .command("cancel")
    .description("cancel a run; the process driving it stops its steps within a second")
    .argument("<run>", "the run id")
    .option("--reason <text>", "why, for the audit trail")
    .action(
      runner.action(async (context, runId: string, flags: { reason?: string }) => {
        const previous = await cancelRun(await context.store(), runId, {
          actor: context.actor,
          ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        });
        if (context.options.json) context.printJson({ success: true, runId, previous });
        else context.print(`Cancelled run ${runId} (it was ${previous}).`);
        return EXIT_OK;
      }),
    );

  program
    .command("gc")
    .description("delete ended runs (with their steps, scores and approvals) older than a duration")
    .option("--older-than <duration>", "finished longer ago than this (12h, 7d, 4w)", "7d")
    .action(
      runner.action(async (context, flags: { olderThan: string }) => {
        const age = parseDuration(flags.olderThan, "--older-than");
        const deleted = await gcRuns(await context.store(), Date.now() - age);
        if (context.options.json) context.printJson({ success: true, deleted });
        else
          context.print(
            `Deleted ${deleted} run${deleted === 1 ? "" : "s"} that ended more than ${flags.olderThan} ago.`,
          );
        return EXIT_OK;
      }),
    );
}
