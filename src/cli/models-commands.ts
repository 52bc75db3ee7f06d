import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

/**
 * What `models test --timeout` defaults to, for the help text only: the probe applies its own
 * default, `DEFAULT_PROBE_TIMEOUT_MS` (a test keeps the two equal), when the flag is not given.
 * Importing that constant would load the model gateway on every start.
 */
export const PROBE_TIMEOUT_HELP = "20s";

export function registerModelsCommands(program: Command, runner: CommandRunner): void {
  const models = program
    .command("models")
    .description("list the configured models, or test that they answer");

  models
    .command("list")
    .description(
      "every configured model: provider, model id, API key variable (set or not; never its value), price per million tokens and its source, rate limits",
    )
    .action(runner.lazy(async () => (await import("./models-list-action.js")).listModels));

  models
    .command("test")
    .description(
      "send one tiny request to each model at once (no retries, no fallback); exit 0 only if every model answered",
    )
    .argument("[aliases...]", "models or fallback chains to test (default: every configured model)")
    .option(
      "--timeout <duration>",
      `time each model gets to answer, with a unit (5s, 500ms; default: ${PROBE_TIMEOUT_HELP})`,
    )
    .action(runner.lazy(async () => (await import("./models-test-action.js")).testModels));
}
