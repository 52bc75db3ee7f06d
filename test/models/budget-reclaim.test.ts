import { expect, it } from "vitest";
import { BudgetGuard, type BudgetHold } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore, type StoreFixture } from "../helpers/stores.js";
import { runTogether } from "../store/fixtures/run-together.js";
import {
  RECLAIM_BUDGET as budget,
  RECLAIM_HOLD_NANO_USD as HOLD_NANO_USD,
  holdAndCrash,
  liveGuard,
} from "../support/reclaim-budget.js";

/** Guards on separate connections: in effect, one process each. */
const CONNECTIONS = 8;
/** Rounds of the race: each round expires a fresh batch of holds and reclaims it concurrently. */
const ROUNDS = 5;
const EXPIRED_PER_ROUND = 12;

/** Each counter's reserve next to the sum of the holds still recorded against it. */
async function reservesAndHolds(
  store: Store,
): Promise<{ counter: string; reserved: number; held: number }[]> {
  const counters = await modelDb(store)
    .selectFrom("budget_counters")
    .select(["scope", "period", "reserved_nanousd"])
    .orderBy("scope")
    .orderBy("period")
    .execute();
  const holds = await modelDb(store)
    .selectFrom("budget_reservations")
    .select(["scope", "period", "amount_nanousd"])
    .execute();
  return counters.map((counter) => ({
    counter: `${counter.scope}|${counter.period}`,
    reserved: Number(counter.reserved_nanousd),
    held: holds
      .filter((hold) => hold.scope === counter.scope && hold.period === counter.period)
      .reduce((sum, hold) => sum + Number(hold.amount_nanousd), 0),
  }));
}

/**
 * PostgreSQL: a store (its own pool) per guard. SQLite: better-sqlite3 is synchronous, so a
 * second connection in the same process would block the event loop waiting for the first's
 * write lock; guards share the one connection there, and BEGIN IMMEDIATE serialises them.
 */
async function openConnections(fixture: StoreFixture): Promise<Store[]> {
  if (!fixture.store.capabilities.multipleConnections) {
    return Array.from({ length: CONNECTIONS }, () => fixture.store);
  }
  const stores: Store[] = [];
  for (let index = 0; index < CONNECTIONS; index += 1) stores.push(await fixture.open());
  return stores;
}

function expectReservesMatchHolds(
  rows: { counter: string; reserved: number; held: number }[],
): void {
  expect(rows).toHaveLength(3);
  for (const row of rows) expect(row).toEqual({ ...row, reserved: row.held });
}

describeEachStore("budget reclaim under concurrency", (fixture) => {
  it("leaves each reserve equal to the live holds when many connections reclaim at once", async () => {
    const stores = await openConnections(fixture);
    const live: BudgetHold[] = [];

    for (let round = 0; round < ROUNDS; round += 1) {
      await holdAndCrash(fixture.store, EXPIRED_PER_ROUND);
      // A fresh guard reclaims before its first reservation: all of them at once.
      const holds = await Promise.all(
        stores.map((store) => liveGuard(store).reserve("gpt", "openai", HOLD_NANO_USD)),
      );
      for (const hold of holds) if (hold) live.push(hold);
    }

    const rows = await reservesAndHolds(fixture.store);
    expectReservesMatchHolds(rows);
    for (const row of rows) expect(row.reserved).toBe(live.length * HOLD_NANO_USD);
  });

  it("counts a hold once when its owner settles it while others reclaim it", async () => {
    const stores = await openConnections(fixture);
    let settled = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      // Late owners: their holds have expired, and they settle just as reclaimers arrive.
      const owners = stores.map((store) => new BudgetGuard(store, budget, { holdTtlMs: 1 }));
      const holds: BudgetHold[] = [];
      for (const owner of owners) {
        const hold = await owner.reserve("gpt", "openai", HOLD_NANO_USD);
        if (hold) holds.push(hold);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all([
        ...owners.map((owner, index) => {
          const hold = holds[index];
          return hold ? owner.settle(hold, HOLD_NANO_USD / 2) : Promise.resolve();
        }),
        ...stores.map((store) =>
          liveGuard(store)
            .reserve("gpt", "openai", HOLD_NANO_USD)
            .then((hold) => {
              if (hold) settled += 1;
            }),
        ),
      ]);
    }

    expectReservesMatchHolds(await reservesAndHolds(fixture.store));
    const spent = await modelDb(fixture.store)
      .selectFrom("budget_counters")
      .select("spent_nanousd")
      .execute();
    // Every late owner's spend is counted, whether its hold was still there or reclaimed.
    for (const row of spent)
      expect(Number(row.spent_nanousd)).toBe((ROUNDS * CONNECTIONS * HOLD_NANO_USD) / 2);
    expect(settled).toBe(ROUNDS * CONNECTIONS);
  });

  it("leaves each reserve equal to the live holds when many processes reclaim at once", async () => {
    const outcomes = await runTogether(
      "test/models/fixtures/budget-reclaim-child.ts",
      Array.from({ length: 4 }, () => [fixture.url, String(ROUNDS)]),
    );

    for (const outcome of outcomes) expect(outcome.stderr).toBe("");
    const live = outcomes.reduce(
      (sum, outcome) => sum + (outcome.result as { live: number }).live,
      0,
    );
    expect(live).toBe(4 * ROUNDS);
    const rows = await reservesAndHolds(fixture.store);
    expectReservesMatchHolds(rows);
    for (const row of rows) expect(row.reserved).toBe(live * HOLD_NANO_USD);
  }, 60_000);
});
