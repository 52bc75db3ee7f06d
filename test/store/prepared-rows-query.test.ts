import { sql } from "kysely";
import { expect, it } from "vitest";
import { PreparedQueryPerCount, PreparedRowsQuery, type RowCell } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const asInteger: RowCell = (value, tag) => tag`cast(${value} as integer)`;
const asText: RowCell = (value, tag) => tag`cast(${value} as text)`;

describeEachStore("PreparedRowsQuery", (fixture) => {
  it("runs one statement over any number of rows, compiled once per row count", async () => {
    await sql`create table pairs (id integer primary key, label text)`.execute(fixture.store.db);
    const texts: string[] = [];
    const store = await fixture.open({ onQuery: (query) => texts.push(query.sql) });
    const insert = new PreparedRowsQuery<never>(
      [(value) => value, (value) => value],
      (rows, tag) => tag`insert into pairs (id, label) values ${rows}`,
    );
    const relabel = new PreparedRowsQuery<{ id: number }>(
      [asInteger, asText],
      (rows, tag) => tag`with v (id, label) as (values ${rows})
        update pairs set label = v.label from v where pairs.id = v.id returning pairs.id`,
    );
    texts.length = 0;

    await insert.run(store.db, [[1, "a"]]);
    await insert.run(store.db, [
      [2, "b"],
      [3, "c"],
      [4, "d"],
    ]);
    await insert.run(store.db, [[5, "e"]]);
    const { rows } = await relabel.run(store.db, [
      [2, "B"],
      [9, "nobody"],
      [4, "D"],
    ]);

    expect(rows.map((row) => Number(row.id)).sort()).toEqual([2, 4]);
    expect(texts.filter((text) => text.startsWith("insert"))).toHaveLength(3);
    expect(new Set(texts.filter((text) => text.startsWith("insert")))).toHaveProperty("size", 2);
    const stored = await sql<{
      id: number;
      label: string;
    }>`select id, label from pairs order by id`.execute(store.db);
    expect(stored.rows.map((row) => `${row.id}${row.label}`)).toEqual([
      "1a",
      "2B",
      "3c",
      "4D",
      "5e",
    ]);
    expect(() => insert.run(store.db, [[6]])).toThrow(/a row of 1 values for 2 cells/);
  });

  it("PreparedQueryPerCount compiles one text per count and runs it with fresh values", async () => {
    const texts: string[] = [];
    const store = await fixture.open({ onQuery: (query) => texts.push(query.sql) });
    const sumOf = new PreparedQueryPerCount<{ total: number }>(
      (count, parameter, tag) =>
        tag`select ${tag.join(
          Array.from({ length: count }, (_, index) => tag`cast(${parameter(index)} as integer)`),
          tag` + `,
        )} as total`,
    );
    texts.length = 0;

    const totals: number[] = [];
    for (const values of [[1, 2], [3], [4, 5], [6, 7, 8]]) {
      const { rows } = await sumOf.run(store.db, values.length, values);
      totals.push(Number(rows[0]?.total));
    }

    expect(totals).toEqual([3, 3, 9, 21]);
    expect(new Set(texts)).toHaveProperty("size", 3);
  });
});
