import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";
import { waitUntil } from "../support/wait-until.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  gpt: { provider: "openai", model: "gpt-5", timeoutMs: 200, retries: 1 },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5", timeoutMs: 200 },
} as const;

describe("per-attempt timeouts", () => {
  it("times out a hanging attempt and retries it", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", { kind: "hang" }, { kind: "reply", text: "Second time lucky." });

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "gpt", prompt: "hi" });

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(result).toMatchObject({ text: "Second time lucky.", attempts: 2 });
    expect(server.requests).toHaveLength(2);
    await waitUntil(() => server.inFlight === 0, { what: "no request in flight" });
  });

  it("fails with kind timeout once the retries are used up", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.setDefault({ kind: "hang" }, "openai");

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "timeout", reason: "maxRetriesExceeded" });
    expect(failure.message).toContain("200");
    expect(server.requests).toHaveLength(2);
  });

  it("takes the request's own timeoutMs over the model's", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", { kind: "reply", delayMs: 300, text: "slow" });

    const result = await gateway.generate({ model: "gpt", prompt: "hi", timeoutMs: 2_000 });

    expect(result).toMatchObject({ text: "slow", attempts: 1 });
  });
});

describe("the overall deadline", () => {
  it("cuts retries and fallbacks short", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { ...models, gpt: { ...models.gpt, retries: 5 } },
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.setDefault({ kind: "hang" });

    const startedAt = Date.now();
    const failure = await callFailure(
      gateway.generate({ model: "smart", prompt: "hi", deadlineMs: 500 }),
    );
    const elapsed = Date.now() - startedAt;

    expect(failure.kind).toBe("timeout");
    expect(failure.reason).toBe("deadline");
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(900);
    expect(server.requestsFor("openai").length).toBeLessThanOrEqual(3);
    expect(server.requestsFor("anthropic")).toHaveLength(0);
    await waitUntil(() => server.inFlight === 0, { what: "no request in flight" });
  });

  it("shortens the last attempt to the time left", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt: { provider: "openai", model: "gpt-5", timeoutMs: 10_000 } },
    });
    server.setDefault({ kind: "hang" });

    const startedAt = Date.now();
    const failure = await callFailure(
      gateway.generate({ model: "gpt", prompt: "hi", deadlineMs: 300 }),
    );

    expect(Date.now() - startedAt).toBeLessThan(800);
    expect(failure.kind).toBe("timeout");
    expect(server.requests).toHaveLength(1);
  });
});

describe("cancelling a call", () => {
  it("aborts the HTTP request in flight and does not fall back", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { ...models, gpt: { ...models.gpt, timeoutMs: 5_000 } },
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.setDefault({ kind: "hang" }, "openai");
    const controller = new AbortController();

    const call = callFailure(
      gateway.generate({ model: "smart", prompt: "hi", signal: controller.signal }),
    );
    await waitUntil(() => server.requests.length === 1 && server.inFlight === 1, {
      what: "the request reached the server",
    });
    controller.abort();
    const failure = await call;

    expect(failure).toMatchObject({ kind: "cancelled", reason: "abort" });
    await waitUntil(() => server.inFlight === 0, { what: "the server saw the request abandoned" });
    expect(server.requestsFor("openai")).toHaveLength(1);
    expect(server.requestsFor("anthropic")).toHaveLength(0);
  });

  it("stops a wait between attempts at once", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", errors.openai.rateLimit({ retryAfterMs: 5_000 }));
    const controller = new AbortController();

    const startedAt = Date.now();
    const call = callFailure(
      gateway.generate({ model: "gpt", prompt: "hi", signal: controller.signal }),
    );
    await waitUntil(() => server.requests.length === 1, { what: "the first request" });
    setTimeout(() => controller.abort(), 50);
    const failure = await call;

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(failure).toMatchObject({ kind: "cancelled", reason: "abort" });
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the signal has already fired", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
    });

    const failure = await callFailure(
      gateway.generate({ model: "smart", prompt: "hi", signal: AbortSignal.abort() }),
    );

    expect(failure.kind).toBe("cancelled");
    expect(server.requests).toHaveLength(0);
  });
});
