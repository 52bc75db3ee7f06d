import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerAskCommand(program: Command, runner: CommandRunner): void {
  program
    .command("ask")
    .description("ask one or more models the same question, concurrently; exit 0 if any answered")
    .argument("[prompt]", 'the prompt, or "-" to read it from stdin')
    .option(
      "-m, --models <aliases>",
      "models or fallback chains to ask, comma-separated (default: the first configured model)",
    )
    .option("-f, --fallback <aliases>", "models to fall back to, in order, when a model fails")
    .option(
      "--timeout <duration>",
      "per-attempt timeout, with a unit (30s, 500ms, 2m; default: the model's timeoutMs, else gateway.attemptTimeoutMs, 60s)",
    )
    .option(
      "--deadline <duration>",
      "overall deadline across retries and fallbacks, with a unit (5m, 90s; default: gateway.deadlineMs, 5m)",
    )
    .option("-s, --system <text>", "system prompt")
    .option("--max-tokens <n>", "output token cap")
    .action(runner.lazy(async () => (await import("./ask-action.js")).runAsk));
}
