/**
 * Token numbers a fake reply reports. They are given in the AI SDK's terms and translated into
 * each provider's own usage fields (see `describe` in the wire files), so a test states what the
 * gateway should end up with, not how each provider spells it.
 */
export interface ReplyUsage {
  /** All prompt tokens, cache reads and writes included. @defaultValue 10 */
  inputTokens?: number;
  /** Prompt tokens read from the provider's cache (part of `inputTokens`). @defaultValue 0 */
  cacheReadTokens?: number;
  /**
   * Prompt tokens written to the cache (part of `inputTokens`). Sent only by providers that
   * report it: Anthropic always, OpenAI only when given.
   */
  cacheWriteTokens?: number;
  /** All generated tokens, reasoning included. @defaultValue 5 */
  outputTokens?: number;
  /** Reasoning tokens (part of `outputTokens`). Anthropic reports them only when given. */
  reasoningTokens?: number;
}

export interface ResolvedUsage {
  inputTokens: number;
  cacheReadTokens: number;
  /** `undefined` when the test did not give it, so optional provider fields stay absent. */
  cacheWriteTokens: number | undefined;
  outputTokens: number;
  reasoningTokens: number | undefined;
}

export const defaultInputTokens = 10;
export const defaultOutputTokens = 5;

export function resolveUsage(usage: ReplyUsage | undefined): ResolvedUsage {
  return {
    inputTokens: usage?.inputTokens ?? defaultInputTokens,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens,
    outputTokens: usage?.outputTokens ?? defaultOutputTokens,
    reasoningTokens: usage?.reasoningTokens,
  };
}

/** Prompt tokens that were neither read from nor written to the cache. */
export function uncachedInputTokens(usage: ResolvedUsage): number {
  return Math.max(0, usage.inputTokens - usage.cacheReadTokens - (usage.cacheWriteTokens ?? 0));
}
