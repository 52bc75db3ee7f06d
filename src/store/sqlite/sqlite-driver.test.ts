import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { SqliteStatementCache } from "./sqlite-driver.js";

describe("SqliteStatementCache", () => {
  it("hands back the same prepared statement for the same SQL", () => {
    const handle = new BetterSqlite3(":memory:");
    const database = new SqliteStatementCache(handle);
    expect(database.prepare("select 1 as one")).toBe(database.prepare("select 1 as one"));
    handle.close();
  });

  it("prepares a fresh statement while the cached one is still iterating", () => {
    const handle = new BetterSqlite3(":memory:");
    const database = new SqliteStatementCache(handle);
    const first = database.prepare("select value from json_each('[1,2,3]')");
    const rows = first.iterate([]);
    rows.next();
    const second = database.prepare("select value from json_each('[1,2,3]')");
    expect(second).not.toBe(first);
    expect(second.all([])).toHaveLength(3);
    rows.return?.();
    handle.close();
  });

  it("forgets the least recently used statement beyond its capacity", () => {
    const handle = new BetterSqlite3(":memory:");
    const database = new SqliteStatementCache(handle, 2);
    const one = database.prepare("select 1");
    database.prepare("select 2");
    database.prepare("select 1");
    database.prepare("select 3");
    expect(database.prepare("select 1")).toBe(one);
    const two = database.prepare("select 2");
    expect(database.prepare("select 2")).toBe(two);
    handle.close();
  });

  it("keeps answering correctly after the schema changes", () => {
    const handle = new BetterSqlite3(":memory:");
    const database = new SqliteStatementCache(handle);
    database.prepare("create table t (a integer)").run([]);
    database.prepare("insert into t (a) values (?)").run([1]);
    expect(database.prepare("select * from t").all([])).toEqual([{ a: 1 }]);
    database.prepare("alter table t add column b integer").run([]);
    expect(database.prepare("select * from t").all([])).toEqual([{ a: 1, b: null }]);
    handle.close();
  });
});

describe("SqliteStoreDriver", () => {
  it("rolls back to a savepoint and keeps what came before it", async () => {
    const store = await openStore("sqlite::memory:", { migrate: false });
    try {
      await sql`create table t (a integer)`.execute(store.db);
      const trx = await store.db.startTransaction().execute();
      await sql`insert into t (a) values (1)`.execute(trx);
      const afterOne = await trx.savepoint("after one").execute();
      await sql`insert into t (a) values (2)`.execute(afterOne);
      const rolledBack = await afterOne.rollbackToSavepoint("after one").execute();
      await rolledBack
        .releaseSavepoint("after one")
        .execute()
        .then((released) => released.commit().execute());
      const { rows } = await sql<{ a: number }>`select a from t`.execute(store.db);
      expect(rows).toEqual([{ a: 1 }]);
    } finally {
      await store.close();
    }
  });

  it("fails each query with store.closed once the store is closed", async () => {
    const store = await openStore("sqlite::memory:", { migrate: false });
    await store.close();
    await expect(sql`select 1`.execute(store.db)).rejects.toMatchObject({ code: "store.closed" });
  });
});
