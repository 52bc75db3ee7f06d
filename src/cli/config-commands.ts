import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerConfigCommands(program: Command, runner: CommandRunner): void {
  program
    .command("validate-config")
    .description("check a configuration file and report every problem with its key and line")
    .argument("[file]", "file to check (default: --config or ./orkestra.yaml)")
    .action(runner.lazy(async () => (await import("./validate-config-action.js")).validateConfig));

  const config = program.command("config").description("inspect the configuration");

  config
    .command("schema")
    .description(
      "print the JSON Schema of orkestra.yaml, for editors (--json: { success, schema })",
    )
    .action(runner.lazy(async () => (await import("./config-schema-action.js")).printConfigSchema));

  config
    .command("show")
    .description("print the configuration in effect: file, environment overrides and defaults")
    .action(runner.lazy(async () => (await import("./config-show-action.js")).showConfig));
}
