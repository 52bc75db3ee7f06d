import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
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
    const store = await openOrkestraStore(database.url);
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

  it("migrates while other clients drop their schemas: it only looks at its own", async () => {
    // Kysely's stock introspector scans every schema and resolves serial columns by name, so a
    // schema dropped during the scan failed the migration with "schema … does not exist".
    const doomed = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const database = await createTestDatabase("postgres");
        const store = await openOrkestraStore(database.url);
        await store.close();
        return database;
      }),
    );
    const opening = Array.from({ length: 6 }, () => freshStore());
    const dropping = doomed.map((database) => database.drop());
    await expect(Promise.all([...opening, ...dropping])).resolves.toHaveLength(12);
  });

  it("shows the URL without its password", async () => {
    const database = await createTestDatabase("postgres");
    databases.push(database);
    const url = new URL(database.url);
    url.password = "not-needed-with-trust-auth";
    const store = await openOrkestraStore(url.toString());
    stores.push(store);
    expect(store.displayUrl).toContain(":***@");
    expect(store.displayUrl).not.toContain("not-needed-with-trust-auth");
  });

  it("reports a connection lost mid-transaction as store.connect, retryable", async () => {
    const { store } = await freshStore();
    const error = await store
      .transaction(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        const admin = new pg.Client({ connectionString: testPostgresUrl() });
        await admin.connect();
        await admin.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
        await admin.end();
        await sql`select 1`.execute(trx);
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: "StoreError", code: "store.connect", retryable: true });
    expect(await store.audit.query()).toEqual([]); // the pool replaced the dead connection
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
