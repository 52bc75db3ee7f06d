import { sql } from "kysely";
import type { StoreDdl } from "../store-ddl.js";

export const SQLITE_DDL: StoreDdl = Object.freeze({
  identityType: "integer",
  // AUTOINCREMENT: ids are never reused, so paging by id stays valid forever.
  identity: (column) => column.primaryKey().autoIncrement(),
  async refuseChanges(db, table, message) {
    for (const operation of ["update", "delete"]) {
      await sql`
        create trigger ${sql.id(`${table}_no_${operation}`)}
        before ${sql.raw(operation)} on ${sql.table(table)}
        begin select raise(abort, ${sql.lit(message)}); end
      `.execute(db);
    }
  },
  // Text compares with BINARY unless a column says otherwise: already byte by byte.
  async compareBytewise() {},
  // A column's UNIQUE constraint is part of its table's definition: dropping it means
  // rebuilding the table, for an index entry that costs little on SQLite.
  async uniqueWherePresent() {},
} satisfies StoreDdl);
