import type { Kysely } from "kysely";
import type { MigrationBackend, StoreMigration } from "./store-migration.js";

const APPEND_ONLY = "audit_events is append-only";

export const auditEventsMigration: StoreMigration = {
  name: "0001-audit-events",
  async up(db: Kysely<unknown>, { ddl }: MigrationBackend): Promise<void> {
    await db.schema
      .createTable("audit_events")
      // Ids are never reused, so `afterId` paging stays valid forever.
      .addColumn("id", ddl.identityType, (column) => ddl.identity(column))
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
    await ddl.refuseChanges(db, "audit_events", APPEND_ONLY);
  },
};
