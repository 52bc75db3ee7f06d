import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { registerApprovalCommands } from "./approval-commands.js";
import { registerAskCommand } from "./ask-command.js";
import { registerAuditCommands } from "./audit-commands.js";
import { CliContext, type GlobalOptions } from "./cli-context.js";
import type { CliIo } from "./cli-io.js";
import type { CommandRunner } from "./command-runner.js";
import { registerConfigCommands } from "./config-commands.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerGraphCommand } from "./graph-command.js";
import { registerHealthCheckCommand } from "./health-check-command.js";
import { registerModelsCommands } from "./models-commands.js";
import { registerRunCommands } from "./run-commands.js";
import { registerRunsCommands } from "./runs-commands.js";
import { registerStatusCommand } from "./status-command.js";
import { registerTaskCommands } from "./task-commands.js";
import { registerUsageCommand } from "./usage-command.js";
import { registerVoteCommands } from "./vote-commands.js";
import { registerWorkerCommand } from "./worker-command.js";
import { registerWorkersCommand } from "./workers-command.js";

function packageVersion(): string {
  // src/cli and dist/cli are both two levels below the package root.
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

const EXIT_CODES_HELP = `
Exit codes: 0 success (ask: at least one model answered; models test: every model answered),
1 the work failed, 2 bad usage or configuration.
With --json, stdout holds exactly one JSON document, also on failure:
{ "success": false, "error": { "code", "message", ... } }.`;

export interface ProgramOptions {
  /** --json is on the command line: even --version prints JSON. */
  json?: boolean;
}

/**
 * The whole command tree. Each command group lives in its own file and registers itself.
 *
 * Start-up time is a feature (ARCHITECTURE.md): every start builds this whole tree, `--version`
 * and `--help` included, so a command is two files:
 * - `x-command.ts`, `registerXCommand(program, runner)`: name, arguments, options and
 *   description, everything commander needs for help and parsing. It imports only commander
 *   and types (`import type`), never config, store, models, engine or observability;
 * - `x-action.ts`, the work: `export async function runX(context, ...args)`, whatever it
 *   imports. The definition loads it when the command runs:
 *   `.action(runner.lazy(async () => (await import("./x-action.js")).runX))`.
 * test/cli/startup-modules.test.ts fails when `--version` loads more than commander.
 */
export function createProgram(
  io: CliIo,
  runner: CommandRunner,
  options: ProgramOptions = {},
): Command {
  const version = packageVersion();
  const program = new Command("orkestra")
    .description(
      "Orchestrate teams of AI models: one reliable, accounted call path for every provider.",
    )
    // Commander prints this string as is; --version is handled before --json is parsed.
    .version(
      options.json ? JSON.stringify({ version }) : version,
      "-V, --version",
      "print the version",
    )
    .addOption(new Option("-c, --config <path>", "configuration file (default: ./orkestra.yaml)"))
    .addOption(
      new Option("--json", "print one JSON document on stdout; logs go to stderr").default(false),
    )
    .addOption(new Option("-q, --quiet", "only warnings and errors on stderr").default(false))
    .addHelpText("after", EXIT_CODES_HELP)
    // With --json the parser's errors are reported once, as the JSON document (report-error);
    // commander writes to stderr only for errors and the help shown after one.
    .showHelpAfterError(options.json ? false : "(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => {
        if (!options.json) io.stderr.write(text);
      },
    })
    .exitOverride()
    .hook("preAction", (root) => {
      runner.bind(new CliContext(io, root.opts<GlobalOptions>()));
    });

  registerDemoCommand(program, runner);
  registerAskCommand(program, runner);
  registerModelsCommands(program, runner);
  registerUsageCommand(program, runner);
  registerAuditCommands(program, runner);
  registerConfigCommands(program, runner);
  registerGraphCommand(program, runner);
  registerRunCommands(program, runner);
  registerRunsCommands(program, runner);
  registerApprovalCommands(program, runner);
  registerVoteCommands(program, runner);
  registerTaskCommands(program, runner);
  registerWorkersCommand(program, runner);
  registerStatusCommand(program, runner);
  registerHealthCheckCommand(program, runner);
  registerWorkerCommand(program, runner);
  for (const command of program.commands) command.exitOverride();
  return program;
}
