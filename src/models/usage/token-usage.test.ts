import type { LanguageModelV4Usage } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { addUsage, normalizeUsage, ZERO_USAGE } from "./token-usage.js";

function usage(
  input: Partial<LanguageModelV4Usage["inputTokens"]>,
  output: Partial<LanguageModelV4Usage["outputTokens"]>,
): LanguageModelV4Usage {
  return {
    inputTokens: {
      total: undefined,
      noCache: undefined,
      cacheRead: undefined,
      cacheWrite: undefined,
      ...input,
    },
    outputTokens: { total: undefined, text: undefined, reasoning: undefined, ...output },
  };
}

describe("normalizeUsage", () => {
  it("takes the SDK's split as given and counts each token once", () => {
    expect(
      normalizeUsage(
        usage(
          { total: 1_500, noCache: 200, cacheRead: 1_000, cacheWrite: 300 },
          { total: 400, text: 300, reasoning: 100 },
        ),
      ),
    ).toEqual({
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 300,
      outputTokens: 300,
      reasoningTokens: 100,
      totalTokens: 1_900,
    });
  });

  it("treats a total without a split as all non-cached input and all text output", () => {
    expect(normalizeUsage(usage({ total: 50 }, { total: 20 }))).toEqual({
      inputTokens: 50,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 20,
      reasoningTokens: 0,
      totalTokens: 70,
    });
  });

  it("derives non-cached input from the total minus the cached parts", () => {
    expect(
      normalizeUsage(usage({ total: 1_000, cacheRead: 600, cacheWrite: 100 }, {})),
    ).toMatchObject({
      inputTokens: 300,
      cacheReadTokens: 600,
      cacheWriteTokens: 100,
    });
  });

  it("keeps the total as non-cached input when the cached parts exceed it", () => {
    // A provider whose prompt count excludes the cache (xAI sometimes does).
    expect(normalizeUsage(usage({ total: 200, cacheRead: 1_000 }, {}))).toMatchObject({
      inputTokens: 200,
      cacheReadTokens: 1_000,
    });
  });

  it("ignores a negative non-cached count and falls back to the total", () => {
    // OpenAI's converter subtracts the cached count from a missing (0) prompt count.
    expect(normalizeUsage(usage({ total: 0, noCache: -10, cacheRead: 10 }, {}))).toMatchObject({
      inputTokens: 0,
      cacheReadTokens: 10,
    });
  });

  it("derives text output from the total minus reasoning when text is missing", () => {
    expect(normalizeUsage(usage({}, { total: 500, reasoning: 120 }))).toMatchObject({
      outputTokens: 380,
      reasoningTokens: 120,
      totalTokens: 500,
    });
  });

  it("reads OpenAI's cache_write_tokens as cache writes, not as input", () => {
    // As convertOpenAIChatUsage builds it for prompt_tokens 1000, cached 600, cache_write 300.
    expect(
      normalizeUsage(
        usage({ total: 1_000, noCache: 100, cacheRead: 600, cacheWrite: 300 }, { total: 0 }),
      ),
    ).toMatchObject({
      inputTokens: 100,
      cacheReadTokens: 600,
      cacheWriteTokens: 300,
      totalTokens: 1_000,
    });
  });

  it("takes cache writes from the raw usage when the SDK converter leaves them out", () => {
    // As convertOpenAICompatibleChatUsage builds it for prompt_tokens 1000, cached 300 and
    // cache_write_tokens 200: noCache still holds the writes.
    const chat = usage({ total: 1_000, noCache: 700, cacheRead: 300 }, { total: 10 });
    chat.raw = {
      prompt_tokens: 1_000,
      prompt_tokens_details: { cached_tokens: 300, cache_write_tokens: 200 },
    };
    expect(normalizeUsage(chat)).toMatchObject({
      inputTokens: 500,
      cacheReadTokens: 300,
      cacheWriteTokens: 200,
      totalTokens: 1_010,
    });
    // The Responses API spelling (convertXaiResponsesUsage).
    const responses = usage({ total: 1_000, noCache: 700, cacheRead: 300 }, {});
    responses.raw = {
      input_tokens: 1_000,
      input_tokens_details: { cached_tokens: 300, cache_write_tokens: 200 },
    };
    expect(normalizeUsage(responses)).toMatchObject({ inputTokens: 500, cacheWriteTokens: 200 });
  });

  it("keeps the SDK's cache writes over the raw ones, and a noCache too small to hold raw writes", () => {
    const given = usage({ total: 1_000, noCache: 100, cacheRead: 600, cacheWrite: 300 }, {});
    given.raw = { prompt_tokens_details: { cache_write_tokens: 999 } };
    expect(normalizeUsage(given)).toMatchObject({ inputTokens: 100, cacheWriteTokens: 300 });
    const outside = usage({ noCache: 50, cacheRead: 0 }, {});
    outside.raw = { prompt_tokens_details: { cache_write_tokens: 200 } };
    expect(normalizeUsage(outside)).toMatchObject({ inputTokens: 50, cacheWriteTokens: 200 });
  });

  it("gives zeros for missing, empty or nonsensical usage", () => {
    expect(normalizeUsage(undefined)).toEqual(ZERO_USAGE);
    expect(normalizeUsage(usage({}, {}))).toEqual(ZERO_USAGE);
    expect(
      normalizeUsage(
        usage({ total: Number.NaN, cacheRead: -5 }, { total: Number.POSITIVE_INFINITY }),
      ),
    ).toEqual(ZERO_USAGE);
    expect(normalizeUsage({} as LanguageModelV4Usage)).toEqual(ZERO_USAGE);
  });
});

describe("addUsage", () => {
  it("adds field by field", () => {
    const one = normalizeUsage(
      usage({ noCache: 1, cacheRead: 2, cacheWrite: 3 }, { text: 4, reasoning: 5 }),
    );
    expect(addUsage(one, one)).toEqual({
      inputTokens: 2,
      cacheReadTokens: 4,
      cacheWriteTokens: 6,
      outputTokens: 8,
      reasoningTokens: 10,
      totalTokens: 30,
    });
    expect(addUsage(ZERO_USAGE, one)).toEqual(one);
  });
});
