import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerStatusCommand(program: Command, runner: CommandRunner): void {
  program
    .command("status")
    .description(
      "tasks by state per queue, workers alive, agents' health, runs in flight and today's spend",
    )
    .action(runner.lazy(async () => (await import("./status-action.js")).runStatus));
}
