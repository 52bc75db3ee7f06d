import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerWorkersCommand(program: Command, runner: CommandRunner): void {
  program
    .command("workers")
    .description(
      "list workers, newest first: host, pid, status, last seen, current tasks and totals; silent ones are marked lost first",
    )
    .action(runner.lazy(async () => (await import("./workers-action.js")).runWorkers));
}
