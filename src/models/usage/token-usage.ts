import type { LanguageModelV4Usage } from "@ai-sdk/provider";

/**
 * Exact token accounting for one call, the same for every provider. Each token is counted in
 * exactly one field, so prices apply field by field and nothing is counted twice.
 */
export interface TokenUsage {
  /** Input tokens neither read from nor written to a prompt cache. */
  inputTokens: number;
  /** Input tokens read from a prompt cache (billed at the cache-read price). */
  cacheReadTokens: number;
  /** Input tokens written to a prompt cache (billed at the cache-write price). */
  cacheWriteTokens: number;
  /** Output tokens of the answer itself, reasoning excluded. */
  outputTokens: number;
  /** Output tokens spent on reasoning ("thinking"), billed as output by every provider so far. */
  reasoningTokens: number;
  /** The sum of the five fields above. */
  totalTokens: number;
}

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
});

/** A usable token count, or undefined for anything else (missing, NaN, negative). */
function count(value: number | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Turns the AI SDK's usage (already converted from the provider's wire format by the provider
 * package) into a {@link TokenUsage}. Unknown numbers become 0; never throws.
 *
 * The SDK's `inputTokens.total` includes cached tokens for every provider: the OpenAI, Google
 * and xAI converters report the provider's prompt count (which includes cache hits) as total
 * and subtract the cached part for `noCache`; the Anthropic converter adds
 * `cache_read_input_tokens` and `cache_creation_input_tokens` to `input_tokens` for total and
 * reports `input_tokens` as `noCache`. So `noCache` is the non-cached input whenever it is
 * given, and `total` is only a fallback.
 *
 * Cache writes the SDK leaves out (`cacheWrite` unset) are taken from the raw usage when the
 * provider reported them there, and moved out of `noCache`.
 *
 * Fallbacks: no `noCache` → total minus the cached parts, or all of total when the cached
 * parts exceed it (a provider whose total excludes the cache, as xAI sometimes reports). No
 * `text` → output total minus reasoning (Anthropic leaves `text` unset unless it reports
 * thinking tokens).
 */
export function normalizeUsage(usage: LanguageModelV4Usage | undefined): TokenUsage {
  if (usage === undefined) return { ...ZERO_USAGE };
  const input = usage.inputTokens ?? {};
  const output = usage.outputTokens ?? {};

  const cacheReadTokens = count(input.cacheRead) ?? 0;
  const sdkCacheWrite = count(input.cacheWrite);
  // Only in the raw usage: the SDK counted these writes as non-cached input.
  const rawCacheWrite = sdkCacheWrite === undefined ? rawCacheWriteTokens(usage.raw) : undefined;
  const cacheWriteTokens = sdkCacheWrite ?? rawCacheWrite ?? 0;
  const inputTokens = nonCachedInput(input, cacheReadTokens + cacheWriteTokens, rawCacheWrite);

  const reasoningTokens = count(output.reasoning) ?? 0;
  const outputTotal = count(output.total);
  const outputTokens =
    count(output.text) ??
    (outputTotal === undefined ? 0 : Math.max(0, outputTotal - reasoningTokens));

  return {
    inputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    outputTokens,
    reasoningTokens,
    totalTokens: inputTokens + cacheReadTokens + cacheWriteTokens + outputTokens + reasoningTokens,
  };
}

/** The non-cached input: `noCache`, else the total minus the cached parts. */
function nonCachedInput(
  input: Partial<LanguageModelV4Usage["inputTokens"]>,
  cached: number,
  rawCacheWrite: number | undefined,
): number {
  const noCache = count(input.noCache);
  if (noCache !== undefined) {
    // Writes found only in the raw usage are inside the SDK's noCache, unless it is too small
    // to hold them (a provider whose prompt count leaves the cache out).
    return rawCacheWrite !== undefined && noCache >= rawCacheWrite
      ? noCache - rawCacheWrite
      : noCache;
  }
  // A negative noCache (prompt count missing, cached count present) is unusable, not zero.
  const total = count(input.total);
  if (total === undefined) return 0;
  return total >= cached ? total - cached : total;
}

/**
 * Cache writes that the provider reported but its SDK converter does not read: OpenAI-compatible
 * servers that send `prompt_tokens_details.cache_write_tokens` (chat completions) or
 * `input_tokens_details.cache_write_tokens` (responses), as OpenAI itself does. Those
 * converters leave `cacheWrite` unset and count the writes in `noCache`.
 */
function rawCacheWriteTokens(raw: LanguageModelV4Usage["raw"]): number | undefined {
  const details = raw?.prompt_tokens_details ?? raw?.input_tokens_details;
  if (typeof details !== "object" || details === null || Array.isArray(details)) return undefined;
  const value = (details as Readonly<Record<string, unknown>>).cache_write_tokens;
  return typeof value === "number" ? count(value) : undefined;
}

/** Field-by-field sum, for a call's attempts or a run's calls. */
export function addUsage(a: Readonly<TokenUsage>, b: Readonly<TokenUsage>): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/**
 * `total` plus one response's usage as its provider reported it, normalized: the attempt
 * loop's running sum, and the response's own share (what its rate-limit permit settles to).
 */
export function addResponseUsage(
  total: Readonly<TokenUsage>,
  reported: LanguageModelV4Usage | undefined,
): { total: TokenUsage; response: TokenUsage } {
  const response = normalizeUsage(reported);
  return { total: addUsage(total, response), response };
}
