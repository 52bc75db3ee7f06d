import { CommanderError } from "commander";
import { CliContext } from "./cli-context.js";
import { type CliIo, processIo } from "./cli-io.js";
import { CommandRunner } from "./command-runner.js";
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from "./exit-codes.js";
import { createProgram } from "./program.js";
import { reportError } from "./report-error.js";

/**
 * Runs the CLI with `argv` (process.argv shape: node, script, ...args) and resolves to the exit
 * code: 0 success, 1 the work failed, 2 bad usage or configuration.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const runner = new CommandRunner();
  const program = createProgram(io, runner, { json: argv.includes("--json") });
  try {
    await program.parseAsync([...argv]);
    return runner.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      if (error.exitCode === 0) return EXIT_OK;
      reportError(
        runner.context ?? new CliContext(io, { json: argv.includes("--json"), quiet: false }),
        error,
      );
      return EXIT_USAGE;
    }
    const context =
      runner.context ?? new CliContext(io, { json: argv.includes("--json"), quiet: false });
    reportError(context, error);
    return exitCodeFor(error);
  } finally {
    await runner.context?.close();
  }
}
