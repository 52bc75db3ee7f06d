import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway, TEST_API_KEYS } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  gpt: { provider: "openai", model: "gpt-5" },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5", retries: 1 },
  gemini: { provider: "google", model: "gemini-2.5-pro" },
} as const;

describe("fallback chains", () => {
  it("tries the chain in order and answers from the first model that works", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude", "gemini"] },
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    server.setDefault(errors.anthropic.apiError(), "anthropic");
    server.enqueueFor("google", { kind: "reply", text: "Gemini here." });

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result).toMatchObject({ model: "gemini", text: "Gemini here.", attempts: 1 });
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "auth", attempts: 1 }),
      expect.objectContaining({ model: "claude", kind: "server", attempts: 2 }),
    ]);
    expect(server.requests.map((request) => request.provider)).toEqual([
      "openai",
      "anthropic",
      "anthropic",
      "google",
    ]);
  });

  it("extends a single model with request.fallback, as --fallback does", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", errors.openai.serviceUnavailable());
    server.setDefault(errors.openai.serviceUnavailable(), "openai");

    const result = await gateway.generate({
      model: "gpt",
      fallback: ["gemini"],
      prompt: "hi",
    });

    expect(result.model).toBe("gemini");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "overloaded", attempts: 4 }),
    ]);
    expect(gateway.resolveChain("gpt", ["gemini", "gpt"])).toEqual(["gpt", "gemini"]);
  });

  it("fails with chainExhausted and the last model's error when every model fails", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "gemini"] },
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    server.enqueueFor("google", errors.google.permissionDenied());

    const failure = await callFailure(gateway.generate({ model: "smart", prompt: "hi" }));

    expect(failure.reason).toBe("chainExhausted");
    expect(failure).toMatchObject({ kind: "auth", model: "gemini" });
    expect(failure.attempts.map((attempt) => attempt.model)).toEqual(["gpt", "gemini"]);
    expect(failure.message).toContain("gpt ×1 (auth), gemini ×1 (auth)");
  });

  it("stops the chain when the failure's kind is not in the model's fallbackOn", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { ...models, gpt: { ...models.gpt, fallbackOn: ["rate_limit"] } },
      fallbacks: { smart: ["gpt", "gemini"] },
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());

    const failure = await callFailure(gateway.generate({ model: "smart", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "auth", reason: "errorNotRetryable" });
    expect(server.requestsFor("google")).toHaveLength(0);
  });
});

describe("a missing API key", () => {
  it("fails with an auth error that names the variable, without sending anything", async () => {
    const { gateway } = createTestGateway({ server, models, env: {} });

    const failure = await callFailure(gateway.generate({ model: "claude", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "auth", providerCode: "missing_api_key" });
    expect(failure.message).toContain("ANTHROPIC_API_KEY");
    expect(failure.hint).toContain("ANTHROPIC_API_KEY");
    expect(server.requests).toHaveLength(0);
  });

  it("names the model's own apiKeyEnv", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { claude: { ...models.claude, apiKeyEnv: "TEAM_CLAUDE_KEY" } },
    });

    const failure = await callFailure(gateway.generate({ model: "claude", prompt: "hi" }));

    expect(failure.message).toContain("TEAM_CLAUDE_KEY");
    expect(failure.hint).toContain("models.claude.apiKeyEnv");
  });

  it("is passed over by a chain, which answers from the next model", async () => {
    const { ANTHROPIC_API_KEY: _missing, ...env } = TEST_API_KEYS;
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["claude", "gpt"] },
      env,
    });

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result.model).toBe("gpt");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "claude", kind: "auth", attempts: 0 }),
    ]);
    expect(result.fallbacks[0]?.message).toContain("ANTHROPIC_API_KEY");
    expect(server.requests.map((request) => request.provider)).toEqual(["openai"]);
  });
});

describe("fan-out", () => {
  it("returns every answer and every failure; one model failing fails no other", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", errors.openai.invalidApiKey());

    const outcome = await gateway.fanOut(["gpt", "claude", "gemini"], { prompt: "hi" });

    expect(outcome.results.map((result) => result.model).sort()).toEqual(["claude", "gemini"]);
    expect(outcome.failures).toEqual([
      expect.objectContaining({
        model: "gpt",
        attempts: 1,
        error: expect.objectContaining({ kind: "auth" }),
      }),
    ]);
  });

  it("does not pass off a failure that is not a model's as a partial one", async () => {
    const { gateway } = createTestGateway({ server, models });
    await expect(gateway.fanOut(["gpt", "claude"], { messages: [] })).rejects.toThrow(
      /has no user message/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
