import {
  type AskOptions,
  type AskOutcome,
  ask,
  type ModelFailure,
  type ModelResult,
} from "../models/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatUsd } from "./format-usd.js";
import { withInterrupt } from "./interrupt-signal.js";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";
import { parseList, readPrompt } from "./read-prompt.js";
import { zeroConfigNote } from "./zero-config-note.js";

export interface AskFlags {
  models?: string;
  fallback?: string;
  timeout?: string;
  deadline?: string;
  system?: string;
  maxTokens?: string;
}

function resultHeading(result: ModelResult): string {
  const source = result.simulated ? "simulated" : `${result.provider} ${result.modelId}`;
  const tokens = `${result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens}→${result.usage.outputTokens + result.usage.reasoningTokens} tokens`;
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`;
  const via =
    result.fallbacks.length > 0
      ? ` · after ${result.fallbacks.map((hop) => `${hop.model} (${hop.kind})`).join(", ")}`
      : "";
  return `── ${result.model} (${source}) · ${(result.durationMs / 1000).toFixed(2)}s · ${attempts} · ${tokens} · ${formatUsd(result.costUsd)}${via}`;
}

function failureHeading(failure: ModelFailure): string {
  const status = failure.error.status === undefined ? "" : ` ${failure.error.status}`;
  return `── ${failure.model} FAILED (${failure.error.kind}${status}) after ${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}: ${failure.error.message}`;
}

/** The `--json` document of `orkestra ask`; its shape is a public contract. */
export function askJson(outcome: AskOutcome): Record<string, unknown> {
  return {
    success: outcome.results.length > 0,
    results: outcome.results.map((result) => ({
      model: result.model,
      provider: result.provider,
      modelId: result.modelId,
      simulated: result.simulated,
      text: result.text,
      finishReason: result.finishReason,
      usage: result.usage,
      costUsd: result.costUsd,
      durationMs: result.durationMs,
      attempts: result.attempts,
      fallbacks: result.fallbacks,
    })),
    failures: outcome.failures.map((failure) => ({
      model: failure.model,
      error: {
        kind: failure.error.kind,
        message: failure.error.message,
        retryable: failure.error.retryable,
        status: failure.error.status ?? null,
      },
      attempts: failure.attempts,
      durationMs: failure.durationMs,
    })),
    durationMs: outcome.durationMs,
  };
}

function printHuman(context: CliContext, outcome: AskOutcome): void {
  for (const result of outcome.results) {
    context.print(resultHeading(result));
    context.print(result.text);
    context.print("");
  }
  for (const failure of outcome.failures) context.io.stderr.write(`${failureHeading(failure)}\n`);
}

/** The request options the flags ask for; a bad value is a usage error before anything opens. */
function requestOptions(flags: AskFlags): Omit<AskOptions, "models" | "signal"> {
  return {
    ...(flags.fallback ? { fallback: parseList(flags.fallback, "--fallback") } : {}),
    ...(flags.system === undefined ? {} : { system: flags.system }),
    ...(flags.maxTokens === undefined
      ? {}
      : { maxTokens: parsePositiveInteger(flags.maxTokens, "--max-tokens") }),
    ...(flags.timeout === undefined
      ? {}
      : { timeoutMs: parseDuration(flags.timeout, "--timeout") }),
    ...(flags.deadline === undefined
      ? {}
      : { deadlineMs: parseDuration(flags.deadline, "--deadline") }),
  };
}

/** `orkestra ask`: the command's work, loaded when it runs (ask-command.ts defines it). */
export async function runAsk(
  context: CliContext,
  promptArgument: string | undefined,
  flags: AskFlags,
): Promise<number> {
  const options = requestOptions(flags);
  const chosen = flags.models ? parseList(flags.models, "--models") : undefined;
  const prompt = await readPrompt(promptArgument, context.io);
  const loaded = await context.config();
  const note = chosen ? undefined : zeroConfigNote(loaded);
  if (note) context.note(note);
  const gateway = await context.gateway();
  const outcome = await withInterrupt((signal) =>
    ask(gateway, prompt, { ...options, ...(chosen ? { models: chosen } : {}), signal }),
  );
  if (context.options.json) context.printJson(askJson(outcome));
  else printHuman(context, outcome);
  return outcome.results.length > 0 ? EXIT_OK : EXIT_FAILED;
}
