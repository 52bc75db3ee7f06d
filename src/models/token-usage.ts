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
  const cacheWriteTokens = count(input.cacheWrite) ?? 0;
  const inputTotal = count(input.total);
  const cached = cacheReadTokens + cacheWriteTokens;
  // A negative noCache (prompt count missing, cached count present) is unusable, not zero.
  const inputTokens =
    count(input.noCache) ??
    (inputTotal === undefined ? 0 : inputTotal >= cached ? inputTotal - cached : inputTotal);

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
