import type { Command } from "commander";
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  describeModels,
  ModelCallFailure,
  type ModelDescription,
  type ModelError,
  type ModelProbe,
  probeModels,
} from "../models/index.js";
import { redactSecrets, redactValue } from "../observability/index.js";
import type { CliContext } from "./cli-context.js";
import type { CommandRunner } from "./command-runner.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatRate } from "./format-usd.js";
import { withInterrupt } from "./interrupt-signal.js";
import { parseDuration } from "./parse-duration.js";
import { zeroConfigNote } from "./zero-config-note.js";

function aliasCell(alias: string, simulated: boolean): string {
  return simulated ? `${alias} (simulated)` : alias;
}

function keyCell(model: ModelDescription): string {
  const { variable, required, set } = model.key;
  if (variable === undefined) return model.simulated ? "—" : "— (none needed)";
  if (set) return `${variable} (set)`;
  return required ? `${variable} (missing)` : `${variable} (not set, optional)`;
}

function priceCell(model: ModelDescription): string {
  const price = model.price;
  if (!price) return "— (none)";
  return `${formatRate(price.input)} / ${formatRate(price.output)} (${price.source})`;
}

function limitsCell(model: ModelDescription): string {
  const parts: string[] = [];
  if (model.limits?.requestsPerMinute !== undefined)
    parts.push(`${model.limits.requestsPerMinute} rpm`);
  if (model.limits?.tokensPerMinute !== undefined)
    parts.push(`${model.limits.tokensPerMinute} tpm`);
  return parts.length === 0 ? "—" : parts.join(", ");
}

/** One model of `models list --json`: what the table shows, in full. */
function modelJson(model: ModelDescription): Record<string, unknown> {
  return {
    alias: model.alias,
    provider: model.provider,
    model: model.modelId,
    simulated: model.simulated,
    baseURL: model.baseURL ?? null,
    key: { ...model.key, variable: model.key.variable ?? null },
    price: model.price ?? { source: "none" },
    limits: model.limits ?? null,
    timeoutMs: model.timeoutMs,
    retries: model.retries,
    maxTokens: model.maxTokens,
  };
}

async function listModels(context: CliContext): Promise<number> {
  const loaded = await context.config();
  const models = describeModels(loaded.config, context.io.env);
  const fallbacks = loaded.config.fallbacks;
  if (context.options.json) {
    // Redacted as a whole: a baseURL may carry credentials (https://user:pass@host).
    context.printJson(
      redactValue({
        success: true,
        models: models.map(modelJson),
        fallbacks,
        builtinSimulated: loaded.builtinSimulated,
        detectedModels: loaded.detectedModels,
      }),
    );
    return EXIT_OK;
  }
  context.print(
    formatTable(models, [
      { header: "ALIAS", value: (model) => aliasCell(model.alias, model.simulated) },
      { header: "PROVIDER", value: (model) => model.provider },
      { header: "MODEL", value: (model) => model.modelId },
      { header: "KEY", value: keyCell },
      { header: "PRICE $/M IN / OUT", value: priceCell },
      { header: "LIMITS", value: limitsCell },
    ]),
  );
  const chains = Object.entries(fallbacks);
  if (chains.length > 0) {
    context.print("");
    for (const [name, members] of chains) context.print(`fallback ${name}: ${members.join(" → ")}`);
  }
  const note = zeroConfigNote(loaded);
  if (note) context.note(note);
  return EXIT_OK;
}

/** The error the probe ended in: the last attempt's, without the attempt summary. */
function probeError(probe: Extract<ModelProbe, { ok: false }>): ModelError {
  return ModelCallFailure.isInstance(probe.error) ? probe.error.lastError : probe.error;
}

/** The error's first line, redacted. */
function firstLine(text: string): string {
  return redactSecrets(text.split("\n", 1)[0] ?? "");
}

/** The answer's first few words, on one line. */
function answerDetail(probe: Extract<ModelProbe, { ok: true }>): string {
  const words = probe.text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return `(empty answer, finish: ${probe.finishReason})`;
  const shown = words.slice(0, 8).join(" ");
  const text = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  return words.length > 8 && !text.endsWith("...") ? `${text} ...` : text;
}

function probeJson(probe: ModelProbe): Record<string, unknown> {
  if (probe.ok) {
    return {
      model: probe.model,
      ok: true,
      status: "ok",
      provider: probe.provider,
      modelId: probe.modelId,
      simulated: probe.simulated,
      latencyMs: probe.latencyMs,
      text: probe.text,
      finishReason: probe.finishReason,
      usage: probe.usage,
      costUsd: probe.costUsd,
      error: null,
    };
  }
  const error = probe.error;
  return {
    model: probe.model,
    ok: false,
    status: error.kind,
    provider: probe.provider,
    modelId: probe.modelId,
    simulated: probe.simulated,
    latencyMs: probe.latencyMs,
    error: redactValue({
      kind: error.kind,
      message: firstLine(probeError(probe).message),
      retryable: error.retryable,
      status: error.status ?? null,
      providerCode: error.providerCode ?? null,
      hint: error.hint ?? null,
    }),
  };
}

interface ModelsTestFlags {
  timeout: string;
}

async function testModels(
  context: CliContext,
  names: string[],
  flags: ModelsTestFlags,
): Promise<number> {
  const timeoutMs = parseDuration(flags.timeout, "--timeout");
  const gateway = await context.gateway();
  const startedAt = Date.now();
  const probes = await withInterrupt((signal) =>
    probeModels(gateway, names, { timeoutMs, signal }),
  );
  const answered = probes.filter((probe) => probe.ok).length;
  const success = answered === probes.length;
  if (context.options.json) {
    context.printJson({
      success,
      results: probes.map(probeJson),
      durationMs: Date.now() - startedAt,
    });
  } else {
    context.print(
      formatTable(probes, [
        {
          header: "ALIAS",
          value: (probe) => aliasCell(probe.model, probe.simulated),
        },
        { header: "STATUS", value: (probe) => (probe.ok ? "ok" : probe.error.kind) },
        { header: "LATENCY", value: (probe) => `${probe.latencyMs} ms`, align: "right" },
        {
          header: "DETAIL",
          value: (probe) => (probe.ok ? answerDetail(probe) : firstLine(probeError(probe).detail)),
        },
      ]),
    );
    context.note(
      `${answered} of ${probes.length} model${probes.length === 1 ? "" : "s"} answered.`,
    );
  }
  return success ? EXIT_OK : EXIT_FAILED;
}

export function registerModelsCommands(program: Command, runner: CommandRunner): void {
  const models = program
    .command("models")
    .description("list the configured models, or test that they answer");

  models
    .command("list")
    .description(
      "every configured model: provider, model id, API key variable (set or not; never its value), price per million tokens and its source, rate limits",
    )
    .action(runner.action(listModels));

  models
    .command("test")
    .description(
      "send one tiny request to each model at once (no retries, no fallback); exit 0 only if every model answered",
    )
    .argument("[aliases...]", "models or fallback chains to test (default: every configured model)")
    .option(
      "--timeout <duration>",
      "time each model gets to answer, with a unit (5s, 500ms)",
      `${DEFAULT_PROBE_TIMEOUT_MS / 1000}s`,
    )
    .action(runner.action(testModels));
}
