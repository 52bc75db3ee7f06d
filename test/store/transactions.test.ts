import { expect, it } from "vitest";
import { inModelTransaction, modelDb } from "../../src/models/tables/model-tables.js";
import { StoreError } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { runTogether } from "./fixtures/run-together.js";

const counter = (scope: string) => ({
  scope,
  period: "test",
  spent_nanousd: 0,
  reserved_nanousd: 0,
  updated_at: 0,
});

describeEachStore("transactions", (fixture) => {
  it("commits when the work resolves and returns its value", async () => {
    const { store } = fixture;
    const value = await inModelTransaction(store, async (trx) => {
      await trx.insertInto("budget_counters").values(counter("global")).execute();
      return "done";
    });
    expect(value).toBe("done");
    const rows = await modelDb(store).selectFrom("budget_counters").selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it("rolls back everything when the work throws, and rethrows the same error", async () => {
    const { store } = fixture;
    const failure = new Error("step failed");
    const thrown = await inModelTransaction(store, async (trx) => {
      await trx.insertInto("budget_counters").values(counter("global")).execute();
      throw failure;
    }).catch((error: unknown) => error);
    expect(thrown).toBe(failure);
    expect(await modelDb(store).selectFrom("budget_counters").selectAll().execute()).toEqual([]);
  });

  it("sees its own writes and hides them from others until commit", async () => {
    const { store } = fixture;
    const other = await fixture.open();
    await inModelTransaction(store, async (trx) => {
      await trx.insertInto("budget_counters").values(counter("global")).execute();
      expect(await trx.selectFrom("budget_counters").selectAll().execute()).toHaveLength(1);
      expect(await modelDb(other).selectFrom("budget_counters").selectAll().execute()).toHaveLength(
        0,
      );
    });
    expect(await modelDb(other).selectFrom("budget_counters").selectAll().execute()).toHaveLength(
      1,
    );
  });

  it("maps a constraint violation to store.constraint", async () => {
    const { store } = fixture;
    await modelDb(store).insertInto("budget_counters").values(counter("global")).execute();
    const error = await modelDb(store)
      .insertInto("budget_counters")
      .values(counter("global"))
      .execute()
      .catch((thrown: unknown) => thrown);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "store.constraint", retryable: false });
  });

  it("returns int8 and summed columns as numbers", async () => {
    const { store } = fixture;
    const big = 2 ** 50 + 7; // far beyond int4, still exact as a double
    await modelDb(store)
      .insertInto("budget_counters")
      .values([
        { ...counter("a"), spent_nanousd: big },
        { ...counter("b"), spent_nanousd: 3 },
      ])
      .execute();
    const row = await modelDb(store)
      .selectFrom("budget_counters")
      .select("spent_nanousd")
      .where("scope", "=", "a")
      .executeTakeFirstOrThrow();
    expect(row.spent_nanousd).toBe(big);
    const total = await modelDb(store)
      .selectFrom("budget_counters")
      .select((eb) => eb.fn.sum<number>("spent_nanousd").as("total"))
      .executeTakeFirstOrThrow();
    expect(total.total).toBe(big + 3);
    const count = await modelDb(store)
      .selectFrom("budget_counters")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(count.count).toBe(2);
  });

  it("fails with store.closed after close, and close is idempotent", async () => {
    const store = await fixture.open();
    await Promise.all([store.close(), store.close()]);
    await store.close();
    for (const attempt of [
      () => store.audit.query(),
      () => store.transaction(async () => 1),
      () => store.db.selectFrom("audit_events").selectAll().execute(),
      // twice: a failed query must not keep SQLite's single connection
      () => store.db.selectFrom("audit_events").selectAll().execute(),
      () =>
        store.db
          .transaction()
          .execute(async (trx) => trx.selectFrom("audit_events").selectAll().execute()),
    ]) {
      const error = await attempt().catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ name: "StoreError", code: "store.closed" });
    }
  });

  it.runIf(fixture.dialect === "postgres")(
    "reports a serialization failure as store.busy, retryable",
    async () => {
      const { store } = fixture;
      const other = await fixture.open();
      await modelDb(store).insertInto("budget_counters").values(counter("global")).execute();
      const read = (db: ReturnType<typeof modelDb>) =>
        db.selectFrom("budget_counters").select("spent_nanousd").executeTakeFirstOrThrow();
      const bump = (db: ReturnType<typeof modelDb>) =>
        db.updateTable("budget_counters").set({ spent_nanousd: 1 }).execute();
      const error = await modelDb(store)
        .transaction()
        .setIsolationLevel("serializable")
        .execute(async (first) => {
          await read(first);
          await modelDb(other)
            .transaction()
            .setIsolationLevel("serializable")
            .execute(async (second) => {
              await read(second);
              await bump(second);
            });
          await bump(first);
        })
        .catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: "store.busy", retryable: true, driverCode: "40001" });
    },
  );

  it("two processes incrementing one counter in read-then-write transactions lose no update", async () => {
    const { store } = fixture;
    await modelDb(store).insertInto("budget_counters").values(counter("shared")).execute();
    const times = 150;
    const outcomes = await runTogether("test/store/fixtures/increment-counter-child.ts", [
      [fixture.url, "shared", String(times)],
      [fixture.url, "shared", String(times)],
    ]);
    for (const outcome of outcomes) expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0 });
    const row = await modelDb(store)
      .selectFrom("budget_counters")
      .select("spent_nanousd")
      .where("scope", "=", "shared")
      .executeTakeFirstOrThrow();
    expect(row.spent_nanousd).toBe(2 * times);
  });
});
