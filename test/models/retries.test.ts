import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const gpt = { provider: "openai", model: "gpt-5" } as const;
const claude = { provider: "anthropic", model: "claude-sonnet-4-5" } as const;

describe("retrying one model", () => {
  it("stops after one request when the provider refuses the key (401)", async () => {
    const { gateway } = createTestGateway({ server, models: { gpt } });
    server.enqueueFor("openai", errors.openai.invalidApiKey());

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "auth", status: 401, retryable: false });
    expect(failure.reason).toBe("errorNotRetryable");
    expect(failure.attempts).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 429 after the Retry-After delay", async () => {
    const { gateway } = createTestGateway({ server, models: { gpt } });
    server.enqueueFor("openai", errors.openai.rateLimit({ retryAfterMs: 300 }));

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "gpt", prompt: "hi" });

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(result.attempts).toBe(2);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect((second?.time ?? 0) - (first?.time ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it("honours a Retry-After given in seconds", async () => {
    const { gateway } = createTestGateway({ server, models: { claude } });
    server.enqueueFor(
      "anthropic",
      errors.anthropic.rateLimit({ headers: { "retry-after": "0.2" } }),
    );

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "claude", prompt: "hi" });

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("retries Anthropic's 529 overloaded with backoff and then answers", async () => {
    const { gateway } = createTestGateway({ server, models: { claude } });
    server.enqueueFor("anthropic", errors.anthropic.overloaded(), errors.anthropic.overloaded(), {
      kind: "reply",
      text: "Back again.",
    });

    const result = await gateway.generate({ model: "claude", prompt: "hi" });

    expect(result.text).toBe("Back again.");
    expect(result.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after the configured retries and reports every attempt", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt },
      gateway: { retries: 2, backoff: { baseMs: 1, capMs: 5 } },
    });
    server.setDefault(errors.openai.serverError(), "openai");

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure.kind).toBe("server");
    expect(failure.reason).toBe("maxRetriesExceeded");
    expect(failure.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry an unknown model (404) and names it not_found", async () => {
    const { gateway } = createTestGateway({ server, models: { gpt } });
    server.enqueueFor("openai", errors.openai.modelNotFound({ model: "gpt-5" }));

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "not_found", status: 404 });
    expect(failure.hint).toContain("models.gpt.model");
    expect(server.requests).toHaveLength(1);
  });
});

describe("moving on to the next model", () => {
  it("falls back from an exhausted OpenAI quota without retrying it", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt, claude },
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.enqueueFor("openai", errors.openai.insufficientQuota());

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result.model).toBe("claude");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "quota_exhausted", attempts: 1 }),
    ]);
    expect(server.requestsFor("openai")).toHaveLength(1);
    expect(server.requestsFor("anthropic")).toHaveLength(1);
  });

  it("falls back from a context-length error without retrying it", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt, claude },
      fallbacks: { smart: ["claude", "gpt"] },
    });
    server.enqueueFor("anthropic", errors.anthropic.promptTooLong());

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result.model).toBe("gpt");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "claude", kind: "context_length", attempts: 1 }),
    ]);
    expect(server.requestsFor("anthropic")).toHaveLength(1);
  });

  it("moves on at once when Retry-After is longer than gateway.maxRetryAfterMs", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt, claude },
      fallbacks: { smart: ["gpt", "claude"] },
      gateway: { maxRetryAfterMs: 1_000 },
    });
    server.enqueueFor("openai", errors.openai.rateLimit({ retryAfterMs: 30_000 }));

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(result.model).toBe("claude");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "rate_limit" }),
    ]);
    expect(server.requestsFor("openai")).toHaveLength(1);
  });

  it("moves on at once when Retry-After is longer than the time left before the deadline", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt, claude },
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.enqueueFor("openai", errors.openai.rateLimit({ retryAfterMs: 5_000 }));

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "smart", prompt: "hi", deadlineMs: 2_000 });

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(result.model).toBe("claude");
    expect(server.requestsFor("openai")).toHaveLength(1);
  });

  it("fails with retryAfterTooLong when the only model asks for too long a wait", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt },
      gateway: { maxRetryAfterMs: 1_000 },
    });
    server.enqueueFor("openai", errors.openai.rateLimit({ retryAfterMs: 30_000 }));

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "rate_limit", retryAfterMs: 30_000 });
    expect(failure.reason).toBe("retryAfterTooLong");
    expect(server.requests).toHaveLength(1);
  });
});
