import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerDemoCommand(program: Command, runner: CommandRunner): void {
  program
    .command("demo")
    .description(
      "review a bundled sample manuscript: six readers in parallel, a scored synthesis, a loop until it passes; then a report (simulated models when no provider key is set)",
    )
    .option(
      "--model <alias>",
      "the model or fallback chain every step uses (default: sim when it is there, else the first configured model)",
    )
    .action(runner.lazy(async () => (await import("./demo-action.js")).runDemo));
}
