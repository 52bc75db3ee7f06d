import { type Command, Option } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerGraphCommand(program: Command, runner: CommandRunner): void {
  program
    .command("graph")
    .description(
      "check a workflow file and show its order, parallel levels and critical path (exit 2 with every problem listed)",
    )
    .argument("<file>", "workflow YAML file")
    .addOption(new Option("--mermaid", "print the graph as a Mermaid flowchart").default(false))
    .action(runner.lazy(async () => (await import("./graph-action.js")).runGraph));
}
