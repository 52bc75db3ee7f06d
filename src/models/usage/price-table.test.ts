import { describe, expect, it } from "vitest";
import { PRICE_TABLE_AS_OF, priceFor } from "./price-table.js";
import prices from "./prices.json" with { type: "json" };

const tableIdOf = (provider: string, modelId: string) => priceFor(provider, modelId)?.tableId;

describe("priceFor", () => {
  it("prefers the configured price, filling cache prices from input and reasoning from output", () => {
    expect(priceFor("anthropic", "claude-sonnet-4-5", { input: 1, output: 2 })).toEqual({
      input: 1,
      output: 2,
      cacheRead: 1,
      cacheWrite: 1,
      reasoning: 2,
      source: "config",
    });
    expect(
      priceFor("openai", "gpt-5", {
        input: 1,
        output: 2,
        cacheRead: 0.1,
        cacheWrite: 1.5,
        reasoning: 3,
      }),
    ).toMatchObject({ cacheRead: 0.1, cacheWrite: 1.5, reasoning: 3 });
  });

  it("prices the simulated provider at zero unless configured", () => {
    expect(priceFor("simulated", "simulated")).toMatchObject({
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
      source: "simulated",
    });
    expect(priceFor("simulated", "simulated", { input: 3, output: 15 })?.input).toBe(3);
  });

  it("finds an exact id in the shipped table", () => {
    expect(priceFor("anthropic", "claude-sonnet-4-5")).toMatchObject({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
      reasoning: 15,
      source: "table",
      tableId: "claude-sonnet-4-5",
      asOf: PRICE_TABLE_AS_OF,
    });
    expect(priceFor("openai", "gpt-4.1")).toMatchObject({ input: 2, output: 8, cacheRead: 0.5 });
  });

  it("strips a date or version suffix", () => {
    expect(tableIdOf("anthropic", "claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(tableIdOf("anthropic", "claude-sonnet-4-5@20250929")).toBe("claude-sonnet-4-5");
    expect(tableIdOf("anthropic", "claude-opus-4-20250514")).toBe("claude-opus-4");
    expect(tableIdOf("anthropic", "claude-3-7-sonnet-latest")).toBe("claude-3-7-sonnet");
    expect(tableIdOf("openai", "gpt-4.1-2025-04-14")).toBe("gpt-4.1");
    expect(tableIdOf("openai", "gpt-3.5-turbo-0125")).toBe("gpt-3.5-turbo");
    expect(tableIdOf("xai", "grok-4-0709")).toBe("grok-4");
    expect(tableIdOf("google", "gemini-2.0-flash-001")).toBe("gemini-2.0-flash");
  });

  it("keeps a dated id that has a price of its own", () => {
    expect(priceFor("openai", "gpt-4o-2024-05-13")).toMatchObject({ input: 5, output: 15 });
    expect(priceFor("openai", "gpt-4o-2024-08-06")).toMatchObject({ input: 2.5, output: 10 });
  });

  it("falls back to the longest known id the model id starts with", () => {
    expect(tableIdOf("openai", "gpt-5-chat-latest")).toBe("gpt-5");
    expect(tableIdOf("openai", "gpt-5.2-chat-latest")).toBe("gpt-5.2");
    expect(tableIdOf("openai", "gpt-5.1-codex-mini")).toBe("gpt-5.1-codex-mini");
    expect(tableIdOf("xai", "grok-4-fast-reasoning")).toBe("grok-4-fast");
    expect(tableIdOf("xai", "grok-4-1-fast-non-reasoning")).toBe("grok-4-1-fast");
    expect(tableIdOf("google", "gemini-2.5-flash-preview-09-2025")).toBe("gemini-2.5-flash");
    expect(tableIdOf("google", "gemini-2.5-flash-lite-preview-06-17")).toBe(
      "gemini-2.5-flash-lite",
    );
    expect(tableIdOf("google", "gemini-3.1-pro-preview-customtools")).toBe(
      "gemini-3.1-pro-preview",
    );
  });

  it("never prices one version as another", () => {
    expect(priceFor("openai", "gpt-5.3-codex")).toBeUndefined();
    expect(priceFor("openai", "gpt-6-sol")).toBeUndefined();
    expect(priceFor("anthropic", "claude-opus-4-9")).toBeUndefined();
    expect(priceFor("anthropic", "claude-opus-5")).toBeUndefined();
    expect(priceFor("xai", "grok-4.20-reasoning")).toBeUndefined();
    expect(priceFor("openai", "o30")).toBeUndefined();
  });

  it("looks up an openai-compatible model by the last segment of its id, in every table", () => {
    expect(tableIdOf("openai-compatible", "openai/gpt-4.1")).toBe("gpt-4.1");
    expect(tableIdOf("openai-compatible", "anthropic/claude-sonnet-4.5")).toBe("claude-sonnet-4-5");
    expect(tableIdOf("openai-compatible", "x-ai/grok-4.1-fast")).toBe("grok-4-1-fast");
    expect(tableIdOf("openai-compatible", "google/gemini-2.5-pro")).toBe("gemini-2.5-pro");
    expect(priceFor("openai-compatible", "meta-llama/llama-3.3-70b-instruct")).toBeUndefined();
  });

  it("accepts Google's models/ prefix", () => {
    expect(tableIdOf("google", "models/gemini-2.5-pro")).toBe("gemini-2.5-pro");
  });

  it("returns undefined for a model or provider it does not know", () => {
    expect(priceFor("openai", "my-fine-tune")).toBeUndefined();
    expect(priceFor("mistral", "mistral-large")).toBeUndefined();
  });

  it("carries the long-context tier", () => {
    expect(priceFor("google", "gemini-2.5-pro")?.longContext).toEqual({
      aboveInputTokens: 200_000,
      input: 2.5,
      output: 15,
      cacheRead: 0.25,
      cacheWrite: 2.5,
      reasoning: 15,
    });
  });

  it("hands out prices nobody can change", () => {
    const price = priceFor("openai", "gpt-5");
    expect(Object.isFrozen(price)).toBe(true);
    expect(priceFor("openai", "gpt-5")).toBe(price);
  });
});

describe("the shipped price table", () => {
  it("is dated and covers the common current models", () => {
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [provider, modelId] of [
      ["anthropic", "claude-opus-4-6"],
      ["anthropic", "claude-sonnet-4-5"],
      ["anthropic", "claude-haiku-4-5"],
      ["openai", "gpt-5"],
      ["openai", "gpt-5-mini"],
      ["openai", "gpt-4.1"],
      ["openai", "gpt-4.1-mini"],
      ["openai", "o3"],
      ["openai", "o4-mini"],
      ["google", "gemini-2.5-pro"],
      ["google", "gemini-2.5-flash"],
      ["xai", "grok-4"],
      ["xai", "grok-3-mini"],
    ] as const) {
      expect(priceFor(provider, modelId)?.tableId, `${provider} ${modelId}`).toBe(modelId);
    }
  });

  it("holds sane numbers: nothing negative, cache reads no dearer than input, long tiers no cheaper", () => {
    for (const [provider, entries] of Object.entries(prices.providers)) {
      for (const modelId of Object.keys(entries)) {
        const price = priceFor(provider, modelId);
        const where = `${provider} ${modelId}`;
        expect(price?.tableId, where).toBe(modelId);
        if (price === undefined) continue;
        for (const rate of [
          price.input,
          price.output,
          price.cacheRead,
          price.cacheWrite,
          price.reasoning,
        ]) {
          expect(rate, where).toBeGreaterThanOrEqual(0);
        }
        expect(price.cacheRead, where).toBeLessThanOrEqual(price.input);
        expect(price.cacheWrite, where).toBeGreaterThanOrEqual(price.input);
        const long = price.longContext;
        if (long !== undefined) {
          expect(long.input, where).toBeGreaterThanOrEqual(price.input);
          expect(long.output, where).toBeGreaterThanOrEqual(price.output);
          expect(long.aboveInputTokens, where).toBeGreaterThan(0);
        }
      }
    }
  });
});
