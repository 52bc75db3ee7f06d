// The one file it needs, not the gateway's index: listing models opens no store and makes no
// logger, so Kysely and pino stay unloaded.
import { describeModels, type ModelDescription } from "../models/describe-models.js";
import { redactValue } from "../observability/redact-value.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatRate } from "./format-usd.js";
import { aliasCell } from "./model-alias-cell.js";
import { zeroConfigNote } from "./zero-config-note.js";

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

/** `orkestra models list`. */
export async function listModels(context: CliContext): Promise<number> {
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
