import { type Kysely, sql } from "kysely";
import type { StoreDialect } from "../store.js";
import type { StoreMigration } from "./store-migration.js";

const APPEND_ONLY = "audit_events is append-only";

export const auditEventsMigration: StoreMigration = {
  name: "0001-audit-events",
  async up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
    await db.schema
      .createTable("audit_events")
      .addColumn("id", dialect === "sqlite" ? "integer" : "bigint", (column) =>
        // AUTOINCREMENT: ids are never reused, so `afterId` paging stays valid forever.
        dialect === "sqlite"
          ? column.primaryKey().autoIncrement()
          : column.primaryKey().generatedAlwaysAsIdentity(),
      )
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("actor", "text", (column) => column.notNull())
      .addColumn("action", "text", (column) => column.notNull())
      .addColumn("resource", "text", (column) => column.notNull())
      .addColumn("outcome", "text", (column) => column.notNull())
      .addColumn("data", "text", (column) => column.notNull().defaultTo("{}"))
      .execute();
    await db.schema
      .createIndex("audit_events_created_at")
      .on("audit_events")
      .column("created_at")
      .execute();
    await db.schema
      .createIndex("audit_events_action")
      .on("audit_events")
      .column("action")
      .execute();
    if (dialect === "sqlite") await refuseChangesOnSqlite(db);
    else await refuseChangesOnPostgres(db);
  },
};

async function refuseChangesOnSqlite(db: Kysely<unknown>): Promise<void> {
  for (const operation of ["update", "delete"]) {
    await sql`
      create trigger ${sql.id(`audit_events_no_${operation}`)}
      before ${sql.raw(operation)} on audit_events
      begin select raise(abort, ${sql.lit(APPEND_ONLY)}); end
    `.execute(db);
  }
}

/** TRUNCATE skips row triggers, so it gets a statement trigger of its own. */
async function refuseChangesOnPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception ${sql.lit(APPEND_ONLY)} using errcode = 'restrict_violation';
    end
    $$
  `.execute(db);
  await sql`
    create trigger audit_events_no_update_or_delete before update or delete on audit_events
    for each row execute function audit_events_refuse_change()
  `.execute(db);
  await sql`
    create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()
  `.execute(db);
}
