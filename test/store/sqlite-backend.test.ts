import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Store, StoreError } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import { testStoreDialects } from "../helpers/stores.js";

async function pragma(store: Store, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(store.db);
  return Object.values(rows[0] ?? {})[0];
}

describe.runIf(testStoreDialects().includes("sqlite"))("SQLite backend", () => {
  let directory: string;
  const stores: Store[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "orkestra-sqlite-"));
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await rm(directory, { recursive: true, force: true });
  });

  async function open(
    url: string,
    options?: Parameters<typeof openOrkestraStore>[1],
  ): Promise<Store> {
    const store = await openOrkestraStore(url, options);
    stores.push(store);
    return store;
  }

  it("creates missing parent directories and resolves relative paths against the working directory", async () => {
    const path = join(directory, "deep", "er", "orkestra.db");
    const store = await open(`sqlite:${relative(process.cwd(), path)}`);
    expect(store.displayUrl).toBe(`sqlite:${relative(process.cwd(), path)}`);
    expect((await stat(path)).isFile()).toBe(true);
  });

  it("runs with WAL, foreign keys, synchronous=NORMAL and no busy timeout of SQLite's own", async () => {
    const store = await open(`sqlite:${join(directory, "o.db")}`, { sqliteBusyTimeoutMs: 1234 });
    expect(await pragma(store, "journal_mode")).toBe("wal");
    // The driver waits for the lock itself, off the event loop (the two-stores test below).
    expect(await pragma(store, "busy_timeout")).toBe(0);
    expect(await pragma(store, "foreign_keys")).toBe(1);
    expect(await pragma(store, "synchronous")).toBe(1);
  });

  it("retries switching to WAL while another connection holds the file, then opens", async () => {
    const path = join(directory, "held.db");
    const holder = new BetterSqlite3(path);
    holder.exec("create table held (x)");
    holder.exec("begin");
    holder.prepare("select * from held").all(); // a shared lock: WAL cannot be switched on yet
    const release = setTimeout(() => holder.exec("commit"), 300);
    try {
      const store = await open(`sqlite:${path}`, { sqliteBusyTimeoutMs: 50 });
      expect(await pragma(store, "journal_mode")).toBe("wal");
    } finally {
      clearTimeout(release);
      holder.close();
    }
  });

  it("gives up with store.busy when the file stays held", async () => {
    const path = join(directory, "held.db");
    const holder = new BetterSqlite3(path);
    holder.exec("create table held (x)");
    holder.exec("begin");
    holder.prepare("select * from held").all();
    try {
      const error = await openOrkestraStore(`sqlite:${path}`, { sqliteBusyTimeoutMs: 50 }).catch(
        (thrown: unknown) => thrown,
      );
      expect(StoreError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: "store.busy", retryable: true });
    } finally {
      holder.close();
    }
  });

  it("reports store.busy, retryable, when another connection keeps the write lock too long", async () => {
    const path = join(directory, "o.db");
    const store = await open(`sqlite:${path}`, { sqliteBusyTimeoutMs: 100 });
    const other = new BetterSqlite3(path);
    other.exec("begin immediate");
    try {
      const error = await store
        .transaction(async () => undefined)
        .catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({
        code: "store.busy",
        retryable: true,
        driverCode: "SQLITE_BUSY",
      });
    } finally {
      other.exec("rollback");
      other.close();
    }
    // The lock is free again: the same store works.
    expect(await store.transaction(async () => "ok")).toBe("ok");
  });

  it("waits for the write lock without blocking the event loop: two stores on one file in one process", async () => {
    const path = join(directory, "shared.db");
    const first = await open(`sqlite:${path}`, { sqliteBusyTimeoutMs: 3000 });
    const second = await open(`sqlite:${path}`, { sqliteBusyTimeoutMs: 3000 });
    await sql`create table shared (x integer)`.execute(first.db);
    let longestGapMs = 0;
    let lastTick = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - lastTick);
      lastTick = now;
    }, 5);
    try {
      const started = performance.now();
      const held = first.transaction(async (trx) => {
        await sql`insert into shared values (1)`.execute(trx);
        // The write lock is held across an await, as the engine's and queue's transactions do.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`insert into shared values (2)`.execute(trx);
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Autocommit and a transaction of the other store: both wait for the first to commit.
      const writes = Promise.all([
        sql`insert into shared values (3)`.execute(second.db),
        second.transaction(async (trx) => sql`insert into shared values (4)`.execute(trx)),
      ]);
      await held;
      await writes;
      const elapsedMs = performance.now() - started;
      expect(elapsedMs).toBeLessThan(1500);
      expect(longestGapMs).toBeLessThan(150);
      const { rows } = await sql<{ x: number }>`select x from shared order by x`.execute(second.db);
      expect(rows.map((row) => row.x)).toEqual([1, 2, 3, 4]);
    } finally {
      clearInterval(ticker);
    }
  });
});
