import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { configSchema } from "../../src/config/index.js";
import { BudgetGuard, ModelCallFailure } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { runTogether } from "../store/fixtures/run-together.js";
import {
  BUDGET_PROMPT,
  createBudgetGateway,
  dailyUsdFitting,
  FULL_COST_USAGE,
  globalCounter,
  HOLD_NANO_USD,
} from "../support/budget-gateway.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function ask(gateway: ReturnType<typeof createBudgetGateway>["gateway"]) {
  return gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });
}

describeEachStore("budgets", (fixture) => {
  it("lets exactly 50 of 200 concurrent calls run under a budget that fits 50", async () => {
    const dailyUsd = dailyUsdFitting(50);
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd,
    });
    // Each answer costs exactly its hold, so no settled call makes room for another.
    server.setDefault({ kind: "reply", usage: FULL_COST_USAGE, delayMs: 20 });

    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => ask(gateway)));

    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === "rejected" ? [outcome.reason as ModelCallFailure] : [],
    );
    expect(answered).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const failure of refused) {
      expect(failure).toMatchObject({ kind: "budget_exceeded" });
      expect(ModelCallFailure.isInstance(failure) && failure.attempts).toEqual([
        expect.objectContaining({ durationMs: 0 }),
      ]);
    }
    expect(server.requests).toHaveLength(50);
    const counter = await globalCounter(fixture.store);
    expect(counter).toEqual({ spent: 50 * HOLD_NANO_USD, reserved: 0 });
    expect(counter.spent).toBeLessThan(dailyUsd * 1e9);
  });

  it("shares one budget across processes: 4 × 50 concurrent calls, exactly 50 run", async () => {
    server.setDefault({ kind: "reply", usage: FULL_COST_USAGE });
    const outcomes = await runTogether(
      "test/models/fixtures/budget-calls-child.ts",
      Array.from({ length: 4 }, () => [
        fixture.url,
        server.baseURL.openai,
        String(dailyUsdFitting(50)),
        "50",
      ]),
    );

    for (const outcome of outcomes) expect(outcome.stderr).toBe("");
    const results = outcomes.map(
      (outcome) => outcome.result as { answered: number; refused: number },
    );
    expect(results.reduce((sum, result) => sum + result.answered, 0)).toBe(50);
    expect(results.reduce((sum, result) => sum + result.refused, 0)).toBe(150);
    expect(server.requests).toHaveLength(50);
    expect(await globalCounter(fixture.store)).toEqual({ spent: 50 * HOLD_NANO_USD, reserved: 0 });
  }, 30_000);

  it("refuses a call that would exactly reach the limit", async () => {
    // Room for one hold after one settled call: 2 holds fit below the limit, a third reaches it.
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: (3 * HOLD_NANO_USD) / 1e9,
    });
    server.setDefault({ kind: "reply", usage: FULL_COST_USAGE });

    await ask(gateway);
    await ask(gateway);
    const failure = await callFailure(ask(gateway));

    expect(failure.kind).toBe("budget_exceeded");
    expect(failure.message).toContain("budget.daily_usd is $0.00075");
    expect(failure.message).toContain("spent $0.0005");
    expect(failure.message).toContain("this call may cost up to $0.00025");
    expect(server.requests).toHaveLength(2);
  });

  it("settles a hold to the real cost and gives back the rest", async () => {
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: 1,
    });
    // 10 input, 5 output tokens: 10·1000 + 5·2000 = 20 000 nano-USD of the 250 000 held.
    server.enqueueFor("openai", {
      kind: "reply",
      usage: { inputTokens: 10, outputTokens: 5 },
      delayMs: 150,
    });

    const call = ask(gateway);
    await new Promise((resolve) => setTimeout(resolve, 75));
    expect(await globalCounter(fixture.store)).toEqual({ spent: 0, reserved: HOLD_NANO_USD });
    const result = await call;

    expect(result.costUsd).toBe(0.00002);
    expect(await globalCounter(fixture.store)).toEqual({ spent: 20_000, reserved: 0 });
  });

  it("keeps a hold for as long as the call's own deadline allows", async () => {
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: 1,
    });
    server.enqueueFor("openai", { kind: "reply", usage: FULL_COST_USAGE, delayMs: 150 });

    const startedAt = Date.now();
    const call = gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT, deadlineMs: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 75));
    const holds = await modelDb(fixture.store)
      .selectFrom("budget_reservations")
      .selectAll()
      .execute();
    await call;

    // The gateway's own deadline is 15 s; this call may run for 10 minutes.
    expect(holds).toHaveLength(1);
    expect(holds[0]?.expires_at).toBeGreaterThanOrEqual(startedAt + 600_000);
  });

  it("refuses an unpriced model under a budget and names the setting to add", async () => {
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      models: { local: { provider: "openai-compatible", model: "house-model-7b" } },
      budget: { daily_usd: 10 },
    });

    const failure = await callFailure(gateway.generate({ model: "local", prompt: "hi" }));

    expect(failure).toMatchObject({ kind: "budget_exceeded", providerCode: "unpriced_model" });
    expect(failure.message).toContain("models.local.price");
    expect(server.requests).toHaveLength(0);
  });

  it("moves on past a model whose own budget is spent, and audits the refusal", async () => {
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      models: {
        gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } },
        claude: {
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          price: { input: 1, output: 2 },
        },
      },
      fallbacks: { smart: ["gpt", "claude"] },
      budget: { per_model: { gpt: { daily_usd: 0.000001 } } },
    });

    const result = await gateway.generate({ model: "smart", prompt: "hi" });
    await gateway.close();

    expect(result.model).toBe("claude");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "budget_exceeded", attempts: 0 }),
    ]);
    expect(result.fallbacks[0]?.message).toContain("budget.per_model.gpt.daily_usd");
    expect(server.requestsFor("openai")).toHaveLength(0);
    const audit = await fixture.store.audit.query({ action: "budget:exceeded" });
    expect(audit).toEqual([expect.objectContaining({ resource: "model:gpt", outcome: "denied" })]);
  });

  it("stops the whole call when the global budget is spent: no model is tried", async () => {
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      models: {
        gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } },
        claude: {
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          price: { input: 1, output: 2 },
        },
      },
      fallbacks: { smart: ["gpt", "claude"] },
      budget: { daily_usd: 0.000001 },
    });

    const failure = await callFailure(gateway.generate({ model: "smart", prompt: "hi" }));
    await gateway.close();

    expect(failure).toMatchObject({ kind: "budget_exceeded", model: "gpt" });
    expect(failure.message).toContain("budget.daily_usd");
    expect(server.requests).toHaveLength(0);
  });

  it("reclaims a hold whose owner never settled it once the hold has expired", async () => {
    const config = configSchema.parse({ budget: { daily_usd: dailyUsdFitting(1) } });
    // A crashed process: it held almost the whole budget with a 1 ms time-to-live and died.
    const crashed = new BudgetGuard(fixture.store, config.budget, { holdTtlMs: 1 });
    await crashed.reserve("gpt", "openai", 2 * HOLD_NANO_USD - 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: dailyUsdFitting(1),
    });
    server.setDefault({ kind: "reply", usage: FULL_COST_USAGE });

    const result = await ask(gateway);

    expect(result.model).toBe("gpt");
    expect(await globalCounter(fixture.store)).toEqual({ spent: HOLD_NANO_USD, reserved: 0 });
    expect(
      await modelDb(fixture.store).selectFrom("budget_reservations").selectAll().execute(),
    ).toEqual([]);
  });
});
