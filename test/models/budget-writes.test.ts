import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { configSchema } from "../../src/config/index.js";
import { BudgetGuard, ModelError } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { BUDGET_PROMPT, createBudgetGateway } from "../support/budget-gateway.js";
import { flakyStore } from "../support/flaky-store.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function counters(store: Store): Promise<Record<string, number>> {
  const rows = await modelDb(store)
    .selectFrom("budget_counters")
    .select(["scope", "period", "reserved_nanousd"])
    .orderBy("scope")
    .orderBy("period")
    .execute();
  return Object.fromEntries(
    rows.map((row) => [`${row.scope}|${row.period}`, Number(row.reserved_nanousd)]),
  );
}

describeEachStore("budget writes", (fixture) => {
  it("reserves and settles in one statement each; on SQLite the settle shares the ledger's commit", async () => {
    const store = flakyStore(fixture.store);
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store,
      dailyUsd: 1,
    });
    // The first call also creates the day's counter row.
    await gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });
    await gateway.flush();
    const before = { ...store.started };

    await gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });
    await gateway.flush();

    const writes = {
      transactions: store.started.transactions - before.transactions,
      statements: store.started.statements - before.statements,
    };
    // One statement each for the reserve and the settle (the budget's compiled statements; the
    // ledger's own inserts are not counted) and one transaction, the ledger rows'. PostgreSQL
    // settles outside it; SQLite settles inside it, sharing its commit.
    expect(writes).toEqual({ transactions: 1, statements: 2 });
  });

  it("holds nothing on any line when one of them has no room", async () => {
    const budget = configSchema.parse({
      models: { gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } } },
      budget: { daily_usd: 1, monthly_usd: 10, per_model: { gpt: { daily_usd: 0.0001 } } },
    }).budget;
    const guard = new BudgetGuard(fixture.store, budget, { holdTtlMs: 60_000 });

    const refusal = await guard.reserve("gpt", "openai", 200_000).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(ModelError.isInstance(refusal)).toBe(true);
    expect(refusal).toMatchObject({ kind: "budget_exceeded" });
    expect((refusal as ModelError).message).toContain(
      "budget.per_model.gpt.daily_usd is $0.000100; spent $0, held by calls in flight $0",
    );
    // Counter rows may exist (PostgreSQL creates them first), but none holds anything.
    const held = Object.values(await counters(fixture.store)).filter((reserved) => reserved !== 0);
    expect(held).toEqual([]);
    const holds = await modelDb(fixture.store)
      .selectFrom("budget_reservations")
      .selectAll()
      .execute();
    expect(holds).toEqual([]);
  });

  it("moves to the next day's and month's counters at midnight UTC", async () => {
    const budget = configSchema.parse({
      models: { gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } } },
      budget: { daily_usd: 1, monthly_usd: 10 },
    }).budget;
    let now = Date.parse("2026-01-31T23:59:59.999Z");
    const guard = new BudgetGuard(fixture.store, budget, { holdTtlMs: 60_000, now: () => now });

    await guard.reserve("gpt", "openai", 1_000);
    now += 1;
    await guard.reserve("gpt", "openai", 2_000);

    expect(await counters(fixture.store)).toEqual({
      "global|day:2026-01-31": 1_000,
      "global|day:2026-02-01": 2_000,
      "global|month:2026-01": 1_000,
      "global|month:2026-02": 2_000,
    });
  });
});
