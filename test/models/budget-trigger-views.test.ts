import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/index.js";
import { BudgetGuard, ModelError } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.js";

/*
 * SQLite reserves, settles and reclaims with one INSERT into a TEMP view whose INSTEAD OF
 * trigger does the work (src/models/budget/budget-trigger-views.ts). The concurrency tests in
 * budgets.test.ts and budget-reclaim.test.ts cover it across processes; these pin down the
 * mechanism itself.
 */

const budget = configSchema.parse({
  models: { gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } } },
  budget: { daily_usd: 1, monthly_usd: 10, per_model: { gpt: { daily_usd: 0.000_5 } } },
}).budget;
const AT = Date.parse("2026-11-21T12:00:00Z");

let database: TestDatabase;
let store: Store;
beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  store = await openOrkestraStore(database.url);
});
afterEach(async () => {
  await store.close();
  await database.drop();
});

async function counters(): Promise<Record<string, { spent: number; reserved: number }>> {
  const rows = await modelDb(store).selectFrom("budget_counters").selectAll().execute();
  return Object.fromEntries(
    rows.map((row) => [
      `${row.scope}|${row.period}`,
      { spent: Number(row.spent_nanousd), reserved: Number(row.reserved_nanousd) },
    ]),
  );
}

async function holds(): Promise<number> {
  const rows = await modelDb(store).selectFrom("budget_reservations").selectAll().execute();
  return rows.length;
}

describe("the budget's trigger views on SQLite", () => {
  it("refuses in the trigger and undoes what the statement did on the lines before", async () => {
    const guard = new BudgetGuard(store, budget, { holdTtlMs: 60_000, now: () => AT });

    // Three lines, in lock order: global day, global month, then gpt's day, which has no room.
    // The trigger creates and holds the first two before it reaches the third.
    const refusal = await guard.reserve("gpt", "openai", 600_000).catch((error: unknown) => error);

    expect(ModelError.isInstance(refusal)).toBe(true);
    expect((refusal as ModelError).message).toContain(
      "budget.per_model.gpt.daily_usd is $0.000500; spent $0, held by calls in flight $0",
    );
    expect(await counters()).toEqual({});
    expect(await holds()).toBe(0);
  });

  it("names the counter as the refusing statement saw it", async () => {
    const guard = new BudgetGuard(store, budget, { holdTtlMs: 60_000, now: () => AT });
    const first = await guard.reserve("gpt", "openai", 300_000);
    if (!first) throw new Error("expected a hold");
    await guard.settle(first, 100_000);
    await guard.reserve("gpt", "openai", 200_000);

    const refusal = await guard.reserve("gpt", "openai", 250_000).catch((error: unknown) => error);

    expect((refusal as ModelError).message).toContain(
      "budget.per_model.gpt.daily_usd is $0.000500; spent $0.000100, held by calls in flight $0.000200",
    );
    expect(await counters()).toMatchObject({
      "model:gpt|day:2026-11-21": { spent: 100_000, reserved: 200_000 },
    });
  });

  it("settles and reclaims in one statement each, giving back only the rows it removes", async () => {
    let now = AT;
    const crashed = new BudgetGuard(store, budget, { holdTtlMs: 1, now: () => now });
    const hold = await crashed.reserve("gpt", "openai", 100_000);
    if (!hold) throw new Error("expected a hold");
    now += 10;
    // A live caller reclaims the expired hold before its first reservation.
    const live = new BudgetGuard(store, budget, { holdTtlMs: 60_000, now: () => now });
    const liveHold = await live.reserve("gpt", "openai", 50_000);
    if (!liveHold) throw new Error("expected a hold");

    // The crashed caller's settle arrives after all: its hold was given back already.
    await crashed.settle(hold, 80_000);
    await live.settle(liveHold, 20_000);

    const day = { spent: 100_000, reserved: 0 };
    expect(await counters()).toEqual({
      "global|day:2026-11-21": day,
      "global|month:2026-11": day,
      "model:gpt|day:2026-11-21": day,
    });
    expect(await holds()).toBe(0);
  });

  it("keeps its views and triggers on the connection, not in the file", async () => {
    const guard = new BudgetGuard(store, budget, { holdTtlMs: 60_000, now: () => AT });
    await guard.reserve("gpt", "openai", 1_000);

    const file = new BetterSqlite3(database.url.slice("sqlite:".length), { readonly: true });
    try {
      const names = file
        .prepare("select name from sqlite_master where name like 'budget_%' order by name")
        .pluck()
        .all();
      expect(names).toEqual([
        "budget_counters",
        "budget_reservations",
        "budget_reservations_expires_at",
      ]);
    } finally {
      file.close();
    }
  });
});
