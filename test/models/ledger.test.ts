import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { usageReport } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
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

// USD per million tokens; in nano-USD per token: input 3000, output 15000.
const price = { input: 3, output: 15 };

const models = {
  gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5", price },
  sim: { provider: "simulated", latencyMs: 0, reply: "simulated answer", price },
} as const;

function rows(store: Store) {
  return modelDb(store).selectFrom("model_calls").selectAll().orderBy("created_at").execute();
}

describeEachStore("model ledger", (fixture) => {
  it("writes one row per model tried, with outcome, kind, tokens, cost and attempts", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
      store: fixture.store,
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    server.enqueueFor("anthropic", errors.anthropic.overloaded(), {
      kind: "reply",
      usage: { inputTokens: 1_000, outputTokens: 200 },
    });

    const result = await gateway.generate({
      model: "smart",
      prompt: "hi",
      runId: "run-1",
      stepId: "step-a",
    });
    await gateway.flush();

    // 1000·3000 + 200·15000 = 6 000 000 nano-USD
    expect(result.costUsd).toBe(0.006);
    const written = await rows(fixture.store);
    expect(written).toEqual([
      expect.objectContaining({
        alias: "gpt",
        provider: "openai",
        model: "gpt-5",
        outcome: "error",
        error_kind: "auth",
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        attempts: 1,
        simulated: 0,
        streamed: 0,
        run_id: "run-1",
        step_id: "step-a",
        task_id: null,
      }),
      expect.objectContaining({
        alias: "claude",
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        outcome: "success",
        error_kind: null,
        input_tokens: 1_000,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 200,
        reasoning_tokens: 0,
        cost_usd: 0.006,
        attempts: 2,
        simulated: 0,
        run_id: "run-1",
      }),
    ]);
    expect(written[0]?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("marks answers of the simulated provider as simulated", async () => {
    const { gateway } = createTestGateway({ models, store: fixture.store });

    const result = await gateway.generate({ model: "sim", prompt: "hi" });
    await gateway.flush();

    expect(result).toMatchObject({ simulated: true, text: "simulated answer" });
    expect(await rows(fixture.store)).toEqual([
      expect.objectContaining({
        alias: "sim",
        provider: "simulated",
        outcome: "success",
        simulated: 1,
      }),
    ]);
  });

  it("records a cancelled call as an error row of kind cancelled", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("anthropic", { kind: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    await callFailure(
      gateway.generate({ model: "claude", prompt: "hi", signal: controller.signal }),
    );
    await gateway.flush();

    expect(await rows(fixture.store)).toEqual([
      expect.objectContaining({
        alias: "claude",
        outcome: "error",
        error_kind: "cancelled",
        attempts: 1,
      }),
    ]);
  });

  it("writes a row for a model whose breaker opened between its retries", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        ...models,
        gpt: { ...models.gpt, retries: 3, breaker: { failureThreshold: 2, cooldownMs: 60_000 } },
      },
      fallbacks: { smart: ["gpt", "claude"] },
      store: fixture.store,
    });
    server.setDefault(errors.openai.serverError(), "openai");

    const result = await gateway.generate({ model: "smart", prompt: "hi" });
    await gateway.flush();

    expect(server.requestsFor("openai")).toHaveLength(2);
    expect(result.fallbacks).toEqual([expect.objectContaining({ model: "gpt", attempts: 2 })]);
    expect(await rows(fixture.store)).toEqual([
      expect.objectContaining({ alias: "gpt", outcome: "error", attempts: 2 }),
      expect.objectContaining({ alias: "claude", outcome: "success", attempts: 1 }),
    ]);
  });

  it("totals the ledger by model and by day", async () => {
    const since = Date.now() - 1_000;
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.setDefault({ kind: "reply", usage: { inputTokens: 100, outputTokens: 10 } });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    await Promise.all([
      gateway.generate({ model: "claude", prompt: "one" }),
      gateway.generate({ model: "claude", prompt: "two" }),
      gateway.generate({ model: "gpt", prompt: "three" }).catch(() => undefined),
      gateway.generate({ model: "gpt", prompt: "four" }),
    ]);
    await gateway.flush();

    const byModel = await usageReport(fixture.store, since, "model");
    // claude: 2 × (100·3000 + 10·15000) = 900 000; gpt: 100·1000 + 10·2000 = 120 000 nano-USD
    expect(byModel.lines).toEqual([
      expect.objectContaining({
        key: "claude",
        provider: "anthropic",
        calls: 2,
        failures: 0,
        inputTokens: 200,
        outputTokens: 20,
        costUsd: 0.0009,
        simulated: false,
      }),
      expect.objectContaining({
        key: "gpt",
        calls: 2,
        failures: 1,
        inputTokens: 100,
        costUsd: 0.00012,
      }),
    ]);
    expect(byModel.total).toMatchObject({
      calls: 4,
      failures: 1,
      inputTokens: 300,
      outputTokens: 30,
    });
    expect(byModel.total.costUsd).toBeCloseTo(0.00102, 12);

    const byDay = await usageReport(fixture.store, since, "day");
    expect(byDay.lines).toEqual([
      expect.objectContaining({
        key: new Date().toISOString().slice(0, 10),
        calls: 4,
        failures: 1,
        inputTokens: 300,
      }),
    ]);
    expect(await usageReport(fixture.store, Date.now() + 60_000, "model")).toMatchObject({
      lines: [],
      total: { calls: 0 },
    });
  });
});
