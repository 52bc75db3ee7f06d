import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";
import { RUN_STATUSES } from "./run-statuses.js";

export function registerRunsCommands(program: Command, runner: CommandRunner): void {
  program
    .command("runs")
    .description("list workflow runs, newest first")
    .option("--status <status>", `only runs with this status (${RUN_STATUSES.join(", ")})`)
    .option("--limit <n>", "at most this many runs", "20")
    .action(runner.lazy(async () => (await import("./runs-actions.js")).runRuns));

  program
    .command("show")
    .description(
      "show a run: status, steps with attempts, timings, cost and errors, iterations, state",
    )
    .argument("<run>", "the run id")
    .action(runner.lazy(async () => (await import("./runs-actions.js")).runShow));

  program
    .command("cancel")
    .description("cancel a run; the process driving it stops its steps within a second")
    .argument("<run>", "the run id")
    .option("--reason <text>", "why, for the audit trail")
    .action(runner.lazy(async () => (await import("./runs-actions.js")).runCancel));

  program
    .command("gc")
    .description("delete ended runs (with their steps, scores and approvals) older than a duration")
    .option("--older-than <duration>", "finished longer ago than this (12h, 7d, 4w)", "7d")
    .action(runner.lazy(async () => (await import("./runs-actions.js")).runGc));
}
