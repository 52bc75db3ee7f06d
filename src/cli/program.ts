import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { registerAskCommand } from "./ask-command.js";
import { registerAuditCommands } from "./audit-commands.js";
import { CliContext, type GlobalOptions } from "./cli-context.js";
import type { CliIo } from "./cli-io.js";
import type { CommandRunner } from "./command-runner.js";
import { registerConfigCommands } from "./config-commands.js";
import { registerModelsCommands } from "./models-commands.js";
import { registerUsageCommand } from "./usage-command.js";

function packageVersion(): string {
  // src/cli and dist/cli are both two levels below the package root.
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** The whole command tree. Each command group lives in its own file and registers itself. */
export function createProgram(io: CliIo, runner: CommandRunner): Command {
  const program = new Command("orkestra")
    .description(
      "Orchestrate teams of AI models: one reliable, accounted call path for every provider.",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .addOption(new Option("-c, --config <path>", "configuration file (default: ./orkestra.yaml)"))
    .addOption(
      new Option("--json", "print one JSON document on stdout; logs go to stderr").default(false),
    )
    .addOption(new Option("-q, --quiet", "only warnings and errors on stderr").default(false))
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .hook("preAction", (root) => {
      runner.bind(new CliContext(io, root.opts<GlobalOptions>()));
    });

  registerAskCommand(program, runner);
  registerModelsCommands(program, runner);
  registerUsageCommand(program, runner);
  registerAuditCommands(program, runner);
  registerConfigCommands(program, runner);
  for (const command of program.commands) command.exitOverride();
  return program;
}
