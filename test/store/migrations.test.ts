import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { MODEL_MIGRATIONS } from "../../src/models/index.js";
import { openStore, STORE_MIGRATIONS, type Store, StoreError } from "../../src/store/index.js";
import { ORKESTRA_MIGRATIONS, openOrkestraStore } from "../../src/store-schema.js";
import { describeEachStore } from "../helpers/stores.js";
import { runTogether } from "./fixtures/run-together.js";

async function migrationNames(store: Store): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`select name from orkestra_migration order by name`.execute(store.db);
  return rows.map((row) => row.name);
}

/** Whether `name` resolves in the store's own schema (introspection on PostgreSQL sees all schemas). */
async function tableExists(store: Store, name: string): Promise<boolean> {
  try {
    await sql`select 1 from ${sql.table(name)} limit 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

describeEachStore("migrations", (fixture) => {
  it("creates every table on open", async () => {
    for (const table of [
      "audit_events",
      "model_calls",
      "budget_counters",
      "budget_reservations",
      "runs",
      "step_attempts",
      "run_iterations",
      "approvals",
    ]) {
      expect(await tableExists(fixture.store, table), table).toBe(true);
    }
    expect(await migrationNames(fixture.store)).toEqual(ORKESTRA_MIGRATIONS.map((m) => m.name));
  });

  it("is idempotent: opening the same database again applies nothing twice", async () => {
    await fixture.store.audit.append({
      actor: "t",
      action: "a",
      resource: "r",
      outcome: "success",
    });
    const second = await fixture.open();
    const third = await fixture.open();
    expect(await migrationNames(third)).toEqual(ORKESTRA_MIGRATIONS.map((m) => m.name));
    expect(await second.audit.query()).toHaveLength(1);
  });

  it("refuses a database migrated by a newer Orkestra", async () => {
    await sql`insert into orkestra_migration (name, timestamp) values ('9999-from-the-future', '2999-01-01T00:00:00.000Z')`.execute(
      fixture.store.db,
    );
    const error = await fixture.open().catch((thrown: unknown) => thrown);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "store.newer_schema" });
    expect((error as Error).message).toContain("9999-from-the-future");
    expect((error as Error).message).toMatch(/newer Orkestra.*upgrade/);
  });

  it("names a failing migration and keeps nothing of it", async () => {
    const broken = {
      name: "9000-broken",
      async up(db: Parameters<(typeof ORKESTRA_MIGRATIONS)[number]["up"]>[0]) {
        await db.schema.createTable("half_done").addColumn("id", "integer").execute();
        await sql`select * from no_such_table`.execute(db);
      },
    };
    const { store } = fixture;
    const error = await fixture
      .open({ migrations: [...ORKESTRA_MIGRATIONS, broken] })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "store.migrate", migration: "9000-broken" });
    expect((error as Error).message).toContain("Migration 9000-broken failed");
    expect(await tableExists(store, "half_done")).toBe(false);
    expect(await migrationNames(store)).toEqual(ORKESTRA_MIGRATIONS.map((m) => m.name));
  });
});

describeEachStore(
  "migrations under concurrency",
  (fixture) => {
    it("4 processes opening the same fresh database at once apply each migration exactly once", async () => {
      const outcomes = await runTogether(
        "test/store/fixtures/open-store-child.ts",
        Array.from({ length: 4 }, () => [fixture.url]),
      );
      for (const outcome of outcomes)
        expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0 });

      const store = await fixture.open({ migrate: false });
      const { rows } = await sql<{ name: string; count: number }>`
        select name, count(*) as count from orkestra_migration group by name order by name
      `.execute(store.db);
      expect(rows.map((row) => [row.name, Number(row.count)])).toEqual(
        ORKESTRA_MIGRATIONS.map((migration) => [migration.name, 1]),
      );
      const events = await store.audit.query();
      expect(events.map((event) => event.id).sort()).toEqual(
        outcomes.map((outcome) => outcome.result as number).sort(),
      );
    });
  },
  { openStore: false },
);

describeEachStore(
  "migrations composed by layer",
  (fixture) => {
    it("the store alone creates only its own tables", async () => {
      const store = await openStore(fixture.url);
      try {
        expect(await migrationNames(store)).toEqual(STORE_MIGRATIONS.map((m) => m.name));
        expect(await tableExists(store, "audit_events")).toBe(true);
        expect(await tableExists(store, "model_calls")).toBe(false);
      } finally {
        await store.close();
      }
    });

    it("the package's openStore creates every layer's tables, under the names databases recorded", async () => {
      expect(ORKESTRA_MIGRATIONS.slice(0, 2)).toEqual([...STORE_MIGRATIONS, ...MODEL_MIGRATIONS]);
      const store = await openOrkestraStore(fixture.url);
      try {
        expect(await migrationNames(store)).toEqual([
          "0001-audit-events",
          "0002-model-gateway",
          "0003-workflow-runs",
          "0004-run-leases",
          "0005-votes",
          "0006-queue",
          "0007-schedules",
          "0008-queue-lean-rows",
        ]);
        for (const table of [
          "model_calls",
          "budget_counters",
          "budget_reservations",
          "runs",
          "step_attempts",
          "votes",
          "tasks",
          "task_attempts",
          "workers",
          "schedule_ticks",
        ]) {
          expect(await tableExists(store, table), table).toBe(true);
        }
      } finally {
        await store.close();
      }
    });
  },
  { openStore: false },
);

describe("migrations without a store to share", () => {
  it("opens an in-memory SQLite store, migrated", async () => {
    const store = await openOrkestraStore("sqlite::memory:");
    try {
      expect(await migrationNames(store)).toEqual(ORKESTRA_MIGRATIONS.map((m) => m.name));
    } finally {
      await store.close();
    }
  });
});
