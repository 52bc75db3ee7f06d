import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerRunCommands(program: Command, runner: CommandRunner): void {
  program
    .command("run")
    .description("run a workflow file (.yaml, or a .ts/.js/.mjs module that default-exports one)")
    .argument("<file>", "the workflow")
    .option("--input <name=value>", "an input (repeatable)", collect, [])
    .option("--input-file <file>", "inputs as one JSON object")
    .option("--concurrency <n>", "ready steps at once (default: the workflow's, else 4)")
    .option("--wait", "keep waiting while approvals are pending", false)
    .option(
      "--detach",
      "only create the run and queue it for `orkestra worker`; prints the run id and exits",
      false,
    )
    .option("--queue <name>", "with --detach: the queue of the run's task", "workflows")
    .action(runner.lazy(async () => (await import("./run-actions.js")).runRun));

  program
    .command("resume")
    .description("continue a run that was paused, waits for an approval, or whose process died")
    .argument("<run>", "the run id")
    .option("--wait", "keep waiting while approvals are pending", false)
    .option(
      "--force",
      "take the run over even while another process drives it (that process stops its steps)",
      false,
    )
    .action(runner.lazy(async () => (await import("./run-actions.js")).runResume));
}
