import type { z } from "zod";
import type { priceSchema } from "../../config/model-settings-schema.js";
import prices from "./prices.json" with { type: "json" };

/** USD per million tokens, one rate per {@link TokenUsage} field. */
export interface PriceRates {
  /** Non-cached input. */
  input: number;
  /** Text output. */
  output: number;
  /** Input read from a prompt cache. */
  cacheRead: number;
  /** Input written to a prompt cache. */
  cacheWrite: number;
  /** Reasoning output; the same as `output` for every provider so far. */
  reasoning: number;
}

/** Rates that replace the base rates for the whole call once the prompt passes a size. */
export interface LongContextRates extends PriceRates {
  /** Prompt tokens (cached included) above which these rates apply. */
  aboveInputTokens: number;
}

/** What a model costs: enough for {@link costNanoUsd} and {@link maxCostNanoUsd}. */
export interface PriceSchedule extends PriceRates {
  longContext?: LongContextRates;
}

/** A price as found by {@link priceFor}, and where it came from (for logs and `models list`). */
export interface ModelPrice extends PriceSchedule {
  source: "config" | "table" | "simulated";
  /** The price table's model id that matched, for `source: "table"`. */
  tableId?: string;
  /** The date of the price table, for `source: "table"`. */
  asOf?: string;
}

/** `models.<alias>.price` from the configuration. */
export type PriceOverride = z.output<typeof priceSchema>;

interface TableRates {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

interface TableEntry extends TableRates {
  longContext?: TableRates & { aboveInputTokens: number };
}

interface PriceTableFile {
  asOf: string;
  note: string;
  providers: Record<"anthropic" | "openai" | "google" | "xai", Record<string, TableEntry>>;
}

/** Checked against the interface at compile time, so a typo in the JSON fails the type check. */
const table: PriceTableFile = prices;

/** The date the shipped price table was compiled. */
export const PRICE_TABLE_AS_OF: string = table.asOf;

const TABLE_PROVIDERS = ["openai", "anthropic", "google", "xai"] as const;

/**
 * A trailing date or version: `-20250929` (Anthropic), `@20250929` (Vertex), `-2025-04-14`
 * (OpenAI), `-09-2025` and `-05-20` (Google previews), `-0709` / `-001` (xAI, Google builds),
 * `-latest`.
 */
const VERSION_SUFFIX =
  /(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-\d{2}-\d{4}|-\d{2}-\d{2}|-\d{3,4}|-latest)$/;

/**
 * What may follow a known id for it to count as a prefix: a separator, then anything but a
 * one- or two-digit number, which would be another version (`gpt-5` must not price `gpt-5.4`,
 * `claude-opus-4` must not price `claude-opus-4-8`). Longer numbers are dates and builds.
 */
const PREFIX_CONTINUATION = /^[-._:@](?!\d{1,2}(?:\D|$))/;

const SIMULATED_PRICE: ModelPrice = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  reasoning: 0,
  source: "simulated" as const,
});

const lookups = new Map<string, ModelPrice | undefined>();

/**
 * The price of `modelId` on `provider`, in USD per million tokens:
 * 1. the configured override (`models.<alias>.price`; cacheRead and cacheWrite default to
 *    input, reasoning to output);
 * 2. `simulated`: zero;
 * 3. the shipped table: the exact id, then the id without a date or version suffix
 *    (`claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`, `gpt-4.1-2025-04-14` → `gpt-4.1`),
 *    then the longest known id it starts with (`gpt-5-codex` → `gpt-5`, but never across a
 *    version: `gpt-5.4` is not `gpt-5`).
 *
 * `openai-compatible` looks up the last path segment of the id (`openai/gpt-4.1` → `gpt-4.1`)
 * in every provider's table, also with dotted versions dashed (`claude-sonnet-4.5` →
 * `claude-sonnet-4-5`). Unknown models give `undefined`: the caller decides (a budget refuses
 * an unpriced model).
 */
export function priceFor(
  provider: string,
  modelId: string,
  override?: PriceOverride,
): ModelPrice | undefined {
  if (override !== undefined) {
    return {
      input: override.input,
      output: override.output,
      cacheRead: override.cacheRead ?? override.input,
      cacheWrite: override.cacheWrite ?? override.input,
      reasoning: override.reasoning ?? override.output,
      source: "config",
    };
  }
  if (provider === "simulated") return SIMULATED_PRICE;
  const key = `${provider}\u0000${modelId}`;
  if (lookups.has(key)) return lookups.get(key);
  const found = lookUp(provider, modelId);
  lookups.set(key, found);
  return found;
}

type TableProvider = (typeof TABLE_PROVIDERS)[number];

function lookUp(provider: string, modelId: string): ModelPrice | undefined {
  const id = lastPathSegment(modelId).toLowerCase();
  if (provider === "openai-compatible") {
    const dashed = id.replace(/(\d)\.(\d)/g, "$1-$2");
    return (
      lookUpIn(TABLE_PROVIDERS, id) ??
      (dashed === id ? undefined : lookUpIn(TABLE_PROVIDERS, dashed))
    );
  }
  return isTableProvider(provider) ? lookUpIn([provider], id) : undefined;
}

/** Exact id, then without its version suffix, then the longest prefix, across `providers`. */
function lookUpIn(providers: readonly TableProvider[], id: string): ModelPrice | undefined {
  let stripped = id;
  for (let next = id.replace(VERSION_SUFFIX, ""); next !== stripped; ) {
    stripped = next;
    next = stripped.replace(VERSION_SUFFIX, "");
  }
  for (const candidate of stripped === id ? [id] : [id, stripped]) {
    for (const provider of providers) {
      const entry = entryFor(table.providers[provider], candidate);
      if (entry !== undefined) return toModelPrice(candidate, entry);
    }
  }
  let best: { id: string; entry: TableEntry } | undefined;
  for (const provider of providers) {
    for (const [known, entry] of Object.entries(table.providers[provider])) {
      if (
        id.startsWith(known) &&
        PREFIX_CONTINUATION.test(id.slice(known.length)) &&
        (best === undefined || known.length > best.id.length)
      ) {
        best = { id: known, entry };
      }
    }
  }
  return best === undefined ? undefined : toModelPrice(best.id, best.entry);
}

function entryFor(entries: Record<string, TableEntry>, id: string): TableEntry | undefined {
  return Object.hasOwn(entries, id) ? entries[id] : undefined;
}

function toModelPrice(tableId: string, entry: TableEntry): ModelPrice {
  const price: ModelPrice = { ...withDefaults(entry), source: "table", tableId, asOf: table.asOf };
  if (entry.longContext !== undefined) {
    price.longContext = Object.freeze({
      ...withDefaults(entry.longContext),
      aboveInputTokens: entry.longContext.aboveInputTokens,
    });
  }
  // Cached and shared between calls: nobody may change it.
  return Object.freeze(price);
}

function withDefaults(rates: TableRates): PriceRates {
  return {
    input: rates.input,
    output: rates.output,
    cacheRead: rates.cacheRead ?? rates.input,
    cacheWrite: rates.cacheWrite ?? rates.input,
    reasoning: rates.reasoning ?? rates.output,
  };
}

function lastPathSegment(modelId: string): string {
  return modelId.slice(modelId.lastIndexOf("/") + 1);
}

function isTableProvider(provider: string): provider is TableProvider {
  return (TABLE_PROVIDERS as readonly string[]).includes(provider);
}
