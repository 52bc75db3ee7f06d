import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("rate limits", () => {
  it("shares requestsPerMinute across concurrent calls: the calls beyond the bucket wait their turn", async () => {
    // 600 requests a minute: a full bucket of 600, then one more request every 100 ms. The
    // simulated model answers at once, so only the limiter can make a call late.
    const { gateway } = createTestGateway({
      models: {
        sim: { provider: "simulated", latencyMs: 0, limits: { requestsPerMinute: 600 } },
      },
    });

    const startedAt = Date.now();
    const finishedAt = await Promise.all(
      Array.from({ length: 603 }, () =>
        gateway.generate({ model: "sim", prompt: "hi" }).then(() => Date.now() - startedAt),
      ),
    );

    const sorted = finishedAt.sort((a, b) => a - b);
    // The 600 of the full bucket go at once: paced, the last would wait 59.9 s. (Not a tighter
    // bound: 600 calls take a few hundred ms of CPU on a loaded machine.)
    expect(sorted[599]).toBeLessThan(5_000);
    // Timers may fire a millisecond early; the waits are 100, 200 and 300 ms.
    expect(sorted[600]).toBeGreaterThanOrEqual(98);
    expect(sorted[601]).toBeGreaterThanOrEqual(198);
    expect(sorted[602]).toBeGreaterThanOrEqual(298);
    expect(sorted[602]).toBeLessThan((sorted[599] ?? 0) + 5_000);
  });

  it("makes HTTP calls wait for the bucket too", async () => {
    // 6000 a minute: one more request every 10 ms once the 6000 of the full bucket are gone.
    const { gateway, limiters } = createTestGateway({
      server,
      models: {
        gpt: { provider: "openai", model: "gpt-5", limits: { requestsPerMinute: 6_000 } },
      },
    });
    const bucket = limiters.get("gpt", { requestsPerMinute: 6_000 });
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: 6_000 }, () => bucket.acquire().then((permit) => permit.settle(0))),
    );
    await Promise.all(
      Array.from({ length: 20 }, () => gateway.generate({ model: "gpt", prompt: "hi" })),
    );

    expect(server.requests).toHaveLength(20);
    const lastArrival = Math.max(...server.requests.map((request) => request.time));
    expect(lastArrival - startedAt).toBeGreaterThanOrEqual(190);
  });

  it("does not slow down a model without limits", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt: { provider: "openai", model: "gpt-5" } },
    });

    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: 50 }, () => gateway.generate({ model: "gpt", prompt: "hi" })),
    );

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(50);
  });

  it("does not count the wait for the bucket against the per-attempt timeout", async () => {
    // The 601st call waits 100 ms for its turn; its attempt may take 50 ms once it has it.
    const { gateway } = createTestGateway({
      models: {
        sim: {
          provider: "simulated",
          latencyMs: 0,
          timeoutMs: 50,
          limits: { requestsPerMinute: 600 },
        },
      },
    });

    const results = await Promise.all(
      Array.from({ length: 601 }, () => gateway.generate({ model: "sim", prompt: "hi" })),
    );

    expect(results.map((result) => result.attempts).filter((attempts) => attempts !== 1)).toEqual(
      [],
    );
  });

  it("does not count a deadline met while waiting for the bucket as a failure of the model", async () => {
    const { gateway, breakers } = createTestGateway({
      server,
      models: {
        gpt: {
          provider: "openai",
          model: "gpt-5",
          limits: { requestsPerMinute: 1 },
          breaker: { failureThreshold: 1 },
        },
      },
    });
    await gateway.generate({ model: "gpt", prompt: "first" });

    const failure = await callFailure(
      gateway.generate({ model: "gpt", prompt: "second", deadlineMs: 100 }),
    );

    expect(failure.kind).toBe("timeout");
    expect(server.requests).toHaveLength(1);
    expect(breakers.get("gpt").snapshot()).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
  });

  it("skips a model whose breaker is open without waiting for its bucket", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        gpt: {
          provider: "openai",
          model: "gpt-5",
          retries: 0,
          limits: { requestsPerMinute: 1 },
          breaker: { failureThreshold: 1, cooldownMs: 60_000 },
        },
        claude: { provider: "anthropic", model: "claude-sonnet-4-5" },
      },
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.enqueueFor("openai", { kind: "error", status: 500 });
    await gateway.generate({ model: "smart", prompt: "opens gpt's breaker" });

    const startedAt = Date.now();
    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(result.model).toBe("claude");
    expect(server.requestsFor("openai")).toHaveLength(1);
  });
});
