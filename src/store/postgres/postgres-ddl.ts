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
} satisfies StoreDdl);
