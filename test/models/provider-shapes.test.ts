import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderName } from "../../src/config/index.js";
import type { TokenUsage } from "../../src/models/index.js";
import {
  type FakeProviderServer,
  type ProviderShape,
  type ReplyUsage,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { createTestGateway } from "../support/test-gateway.js";

/**
 * USD per million tokens, a different rate for every kind of token so that a token counted in
 * the wrong field changes the cost. In nano-USD per token: input 2000, cache read 500, cache
 * write 4000, output 10000, reasoning 20000.
 */
const price = { input: 2, cacheRead: 0.5, cacheWrite: 4, output: 10, reasoning: 20 };

/** 1000 prompt tokens (300 read from the cache, 200 written to it), 400 generated (150 reasoning). */
const fullUsage: ReplyUsage = {
  inputTokens: 1000,
  cacheReadTokens: 300,
  cacheWriteTokens: 200,
  outputTokens: 400,
  reasoningTokens: 150,
};

const fullSplit: TokenUsage = {
  inputTokens: 500,
  cacheReadTokens: 300,
  cacheWriteTokens: 200,
  outputTokens: 250,
  reasoningTokens: 150,
  totalTokens: 1400,
};
// 500·2000 + 300·500 + 200·4000 + 250·10000 + 150·20000 = 7 450 000 nano-USD
const fullCostUsd = 0.00745;

/** Gemini reports no cache writes: 1000 prompt tokens, 300 of them cached. */
const googleUsage: ReplyUsage = {
  inputTokens: 1000,
  cacheReadTokens: 300,
  outputTokens: 400,
  reasoningTokens: 150,
};
const googleSplit: TokenUsage = { ...fullSplit, inputTokens: 700, cacheWriteTokens: 0 };
// 700·2000 + 300·500 + 250·10000 + 150·20000 = 7 050 000 nano-USD
const googleCostUsd = 0.00705;

interface ShapeCase {
  shape: ProviderShape;
  provider: ProviderName;
  modelId: string;
  path: string;
  usage: ReplyUsage;
  split: TokenUsage;
  costUsd: number;
}

const cases: ShapeCase[] = [
  {
    shape: "openai",
    provider: "openai",
    modelId: "gpt-5",
    path: "/v1/chat/completions",
    usage: fullUsage,
    split: fullSplit,
    costUsd: fullCostUsd,
  },
  {
    shape: "anthropic",
    provider: "anthropic",
    modelId: "claude-sonnet-4-5",
    path: "/v1/messages",
    usage: fullUsage,
    split: fullSplit,
    costUsd: fullCostUsd,
  },
  {
    shape: "google",
    provider: "google",
    modelId: "gemini-2.5-pro",
    path: "/v1beta/models/gemini-2.5-pro:generateContent",
    usage: googleUsage,
    split: googleSplit,
    costUsd: googleCostUsd,
  },
  {
    shape: "xai",
    provider: "xai",
    modelId: "grok-4",
    path: "/xai/v1/responses",
    usage: fullUsage,
    split: fullSplit,
    costUsd: fullCostUsd,
  },
  {
    shape: "openai-compatible",
    provider: "openai-compatible",
    modelId: "llama-3.3-70b",
    path: "/compatible/v1/chat/completions",
    usage: fullUsage,
    split: fullSplit,
    costUsd: fullCostUsd,
  },
];

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("each provider shape through the gateway", () => {
  it.each(cases)(
    "$provider answers with its text, the exact token split and the configured price",
    async ({ shape, provider, modelId, path, usage, split, costUsd }) => {
      const { gateway } = createTestGateway({
        server,
        models: { model: { provider, model: modelId, price } },
      });
      server.enqueueFor(shape, {
        kind: "reply",
        text: `An answer from ${provider}.`,
        usage,
      });

      const result = await gateway.generate({ model: "model", prompt: "Say something." });

      expect(result.text).toBe(`An answer from ${provider}.`);
      expect(result).toMatchObject({ model: "model", provider, modelId, simulated: false });
      expect(result.usage).toEqual(split);
      expect(result.costUsd).toBe(costUsd);
      expect(result.attempts).toBe(1);
      expect(result.fallbacks).toEqual([]);
      const requests = server.requestsFor(shape);
      expect(requests.map((request) => request.path)).toEqual([path]);
      expect(requests[0]?.model).toBe(modelId);
    },
  );

  it("sends the prompt, the system text and the output cap to the provider", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { claude: { provider: "anthropic", model: "claude-sonnet-4-5", maxTokens: 321 } },
    });

    await gateway.generate({ model: "claude", system: "Be brief.", prompt: "Name a colour." });

    const body = server.requestsFor("anthropic")[0]?.body;
    expect(body).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 321,
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", content: [{ type: "text", text: "Name a colour." }] }],
    });
  });

  it("sends each provider's API key from the gateway's env in the provider's own header", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        gpt: { provider: "openai", model: "gpt-5" },
        claude: { provider: "anthropic", model: "claude-sonnet-4-5" },
        gemini: { provider: "google", model: "gemini-2.5-pro" },
        grok: { provider: "xai", model: "grok-4" },
        local: { provider: "openai-compatible", model: "llama", apiKeyEnv: "LOCAL_KEY" },
      },
      env: {
        OPENAI_API_KEY: "key-openai",
        ANTHROPIC_API_KEY: "key-anthropic",
        GOOGLE_GENERATIVE_AI_API_KEY: "key-google",
        XAI_API_KEY: "key-xai",
        LOCAL_KEY: "key-local",
      },
    });

    for (const model of ["gpt", "claude", "gemini", "grok", "local"]) {
      await gateway.generate({ model, prompt: "hi" });
    }

    const header = (shape: ProviderShape, name: string) =>
      server.requestsFor(shape)[0]?.headers[name];
    expect(header("openai", "authorization")).toBe("Bearer key-openai");
    expect(header("anthropic", "x-api-key")).toBe("key-anthropic");
    expect(header("google", "x-goog-api-key")).toBe("key-google");
    expect(header("xai", "authorization")).toBe("Bearer key-xai");
    expect(header("openai-compatible", "authorization")).toBe("Bearer key-local");
  });
});
