import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/index.js";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const COOLDOWN_MS = 150;

function breakerGateway(store?: Store) {
  return createTestGateway({
    server,
    models: {
      gpt: {
        provider: "openai",
        model: "gpt-5",
        retries: 0,
        breaker: { failureThreshold: 2, cooldownMs: COOLDOWN_MS },
      },
      claude: { provider: "anthropic", model: "claude-sonnet-4-5" },
    },
    fallbacks: { smart: ["gpt", "claude"] },
    ...(store === undefined ? {} : { store }),
  });
}

/** Fails gpt twice: the breaker (threshold 2) opens. */
async function openTheBreaker(gateway: ReturnType<typeof breakerGateway>["gateway"]) {
  server.setDefault(errors.openai.serverError(), "openai");
  for (let call = 0; call < 2; call++) {
    const result = await gateway.generate({ model: "smart", prompt: "hi" });
    expect(result.model).toBe("claude");
  }
}

describe("circuit breaker", () => {
  it("does not count a timeout the caller's own short deadline caused against the model", async () => {
    const { gateway, breakers } = breakerGateway();
    server.setDefault({ kind: "hang" }, "openai");
    for (let call = 0; call < 3; call++) {
      const failure = await callFailure(
        gateway.generate({ model: "gpt", prompt: "hi", deadlineMs: 80 }),
      );
      expect(failure.kind).toBe("timeout");
    }
    expect(breakers.get("gpt").snapshot()).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
  });

  it("skips an open model in a stream too, without a request", async () => {
    const { gateway } = breakerGateway();
    await openTheBreaker(gateway);
    const stream = gateway.stream({ model: "smart", prompt: "hi" });
    const result = await stream.result;
    expect(result.model).toBe("claude");
    expect(result.fallbacks[0]).toMatchObject({ model: "gpt", kind: "overloaded", attempts: 0 });
    expect(server.requestsFor("openai")).toHaveLength(2);
  });

  it("opens after consecutive failures and then skips the model without a request", async () => {
    const { gateway, breakers } = breakerGateway();
    await openTheBreaker(gateway);
    expect(breakers.get("gpt").snapshot().state).toBe("open");
    expect(server.requestsFor("openai")).toHaveLength(2);

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result.model).toBe("claude");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "overloaded", attempts: 0 }),
    ]);
    expect(result.fallbacks[0]?.message).toContain("circuit breaker open");
    expect(server.requestsFor("openai")).toHaveLength(2);
  });

  it("stops retrying a model as soon as its own failures open the breaker", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        gpt: {
          provider: "openai",
          model: "gpt-5",
          retries: 5,
          breaker: { failureThreshold: 2, cooldownMs: 60_000 },
        },
      },
    });
    server.setDefault(errors.openai.serverError(), "openai");

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(server.requestsFor("openai")).toHaveLength(2);
    expect(failure).toMatchObject({ kind: "server", status: 500, reason: "breakerOpen" });
    expect(failure.attempts).toHaveLength(2);
  });

  it("fails with breakerOpen when the only model is skipped", async () => {
    const { gateway } = breakerGateway();
    await openTheBreaker(gateway);

    const failure = await callFailure(gateway.generate({ model: "gpt", prompt: "hi" }));

    expect(failure.reason).toBe("breakerOpen");
    expect(failure.providerCode).toBe("circuit_open");
    expect(server.requestsFor("openai")).toHaveLength(2);
  });

  it("lets one probe through after the cool-down; its success closes the breaker", async () => {
    const { gateway, breakers } = breakerGateway();
    await openTheBreaker(gateway);
    server.setDefault(undefined, "openai");
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 20));

    const probe = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(probe).toMatchObject({ model: "gpt", fallbacks: [] });
    expect(breakers.get("gpt").snapshot().state).toBe("closed");
    expect(server.requestsFor("openai")).toHaveLength(3);
    const after = await gateway.generate({ model: "smart", prompt: "hi" });
    expect(after.model).toBe("gpt");
  });

  it("re-opens when the probe fails", async () => {
    const { gateway, breakers } = breakerGateway();
    await openTheBreaker(gateway);
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 20));

    const probe = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(probe.model).toBe("claude");
    expect(server.requestsFor("openai")).toHaveLength(3);
    expect(breakers.get("gpt").snapshot().state).toBe("open");
    await gateway.generate({ model: "smart", prompt: "hi" });
    expect(server.requestsFor("openai")).toHaveLength(3);
  });
});

describeEachStore("circuit breaker audit", (fixture) => {
  it("records breaker:open and breaker:close in the audit table", async () => {
    const { gateway } = breakerGateway(fixture.store);
    await openTheBreaker(gateway);
    server.setDefault(undefined, "openai");
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 20));
    await gateway.generate({ model: "smart", prompt: "hi" });
    await gateway.close();

    const events = await fixture.store.audit.query();
    const breakerEvents = events.filter((event) => event.action.startsWith("breaker:"));
    expect(breakerEvents).toEqual([
      expect.objectContaining({
        actor: "gateway",
        action: "breaker:open",
        resource: "model:gpt",
        outcome: "open",
        data: expect.objectContaining({ from: "closed", failureKind: "server" }),
      }),
      expect.objectContaining({
        action: "breaker:close",
        resource: "model:gpt",
        outcome: "closed",
        data: expect.objectContaining({ from: "half-open" }),
      }),
    ]);
  });
});
