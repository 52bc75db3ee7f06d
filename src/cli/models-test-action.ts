import {
  ModelCallFailure,
  type ModelError,
  type ModelProbe,
  probeModels,
} from "../models/index.js";
import { redactSecrets } from "../observability/redact.js";
import { redactValue } from "../observability/redact-value.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { withInterrupt } from "./interrupt-signal.js";
import { aliasCell } from "./model-alias-cell.js";
import { parseDuration } from "./parse-duration.js";

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

export interface ModelsTestFlags {
  /** Unset: the probe's own default, DEFAULT_PROBE_TIMEOUT_MS. */
  timeout?: string;
}

/** `orkestra models test`. */
export async function testModels(
  context: CliContext,
  names: string[],
  flags: ModelsTestFlags,
): Promise<number> {
  const timeout =
    flags.timeout === undefined ? {} : { timeoutMs: parseDuration(flags.timeout, "--timeout") };
  const gateway = await context.gateway();
  const startedAt = Date.now();
  const probes = await withInterrupt((signal) =>
    probeModels(gateway, names, { ...timeout, signal }),
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
