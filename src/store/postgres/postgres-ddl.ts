import { sql } from "kysely";
import type { StoreDdl } from "../store-ddl.js";

export const POSTGRES_DDL: StoreDdl = Object.freeze({
  identityType: "bigint",
  identity: (column) => column.primaryKey().generatedAlwaysAsIdentity(),
  async refuseChanges(db, table, message) {
    const refuse = `${table}_refuse_change`;
    await sql`
      create function ${sql.id(refuse)}() returns trigger language plpgsql as $$
      begin
        raise exception ${sql.lit(message)} using errcode = 'restrict_violation';
      end
      $$
    `.execute(db);
    await sql`
      create trigger ${sql.id(`${table}_no_update_or_delete`)} before update or delete
      on ${sql.table(table)} for each row execute function ${sql.id(refuse)}()
    `.execute(db);
    // TRUNCATE skips row triggers, so it gets a statement trigger of its own.
    await sql`
      create trigger ${sql.id(`${table}_no_truncate`)} before truncate
      on ${sql.table(table)} for each statement execute function ${sql.id(refuse)}()
    `.execute(db);
  },
  async compareBytewise(db, table, columns) {
    const changes = columns.map(
      (column) => sql`alter column ${sql.id(column)} type text collate "C"`,
    );
    await sql`alter table ${sql.table(table)} ${sql.join(changes)}`.execute(db);
  },
  async uniqueWherePresent(db, { table, column, constraint, index }) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(constraint)}`.execute(db);
    await sql`create unique index ${sql.id(index)} on ${sql.table(table)} (${sql.id(column)})
      where ${sql.id(column)} is not null`.execute(db);
  },
} satisfies StoreDdl);
