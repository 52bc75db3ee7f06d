import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import {
  assertPostgresReachable,
  createTestDatabase,
  type TestDatabase,
  testPostgresUrl,
  testStoreDialects,
} from "../helpers/stores.js";

describe.runIf(testStoreDialects().includes("postgres"))("PostgreSQL backend", () => {
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];

  beforeAll(assertPostgresReachable);

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(databases.splice(0).map((database) => database.drop()));
  });

  async function freshStore(): Promise<{ store: Store; schema: string }> {
    const database = await createTestDatabase("postgres");
    databases.push(database);
    const store = await openStore(database.url);
    stores.push(store);
    return { store, schema: new URL(database.url).searchParams.get("schema")! };
  }

  it("creates the schema from ?schema= and keeps every table in it", async () => {
    const { store, schema } = await freshStore();
    const { rows } = await sql<{ schema: string; tables: number }>`
      select current_schema() as schema,
             (select count(*) from pg_tables where schemaname = current_schema()) as tables
    `.execute(store.db);
    expect(rows[0]).toEqual({ schema, tables: expect.any(Number) });
    expect(rows[0]!.tables).toBeGreaterThanOrEqual(6); // 4 of ours + 2 migration tables
  });

  it("keeps stores in two schemas of one database apart", async () => {
    const first = await freshStore();
    const second = await freshStore();
    await first.store.audit.append({ actor: "a", action: "x", resource: "r", outcome: "success" });
    expect(await first.store.audit.query()).toHaveLength(1);
    expect(await second.store.audit.query()).toHaveLength(0);
  });

  it("parses int8 only in its own pools, leaving the global pg types alone", async () => {
    const { store } = await freshStore();
    const { rows } = await sql<{ big: unknown; sum: unknown }>`
      select 9007199254740991::int8 as big, sum(x)::numeric as sum from (values (1), (2)) as v(x)
    `.execute(store.db);
    expect(rows[0]).toEqual({ big: 9007199254740991, sum: 3 });
    expect(pg.types.getTypeParser(20, "text")("42")).toBe("42");
  });

  it("survives the server dropping idle connections: no crash, the next query reconnects", async () => {
    const { store } = await freshStore();
    const pids = await Promise.all(
      [1, 2, 3].map(async () => {
        const { rows } = await sql<{ pid: number }>`
          select pg_backend_pid() as pid, pg_sleep(0.05)
        `.execute(store.db);
        return rows[0]!.pid;
      }),
    );
    expect(new Set(pids).size).toBe(3); // three pooled connections, now idle
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [pids]);
    } finally {
      await admin.end();
    }
    await sleep(100); // the idle clients see the termination and emit 'error'
    expect(await store.audit.query()).toEqual([]);
  });
});
