import type { Kysely } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/**
 * One row per fired tick of a schedule. The primary key is what makes a tick fire once however
 * many schedulers race for it: each inserts the row, and only the one whose insert took enqueues.
 */
export const schedulesMigration: StoreMigration = {
  name: "0007-schedules",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("schedule_ticks")
      .addColumn("schedule", "text", (column) => column.notNull())
      .addColumn("tick_at", "bigint", (column) => column.notNull())
      .addColumn("fired_at", "bigint", (column) => column.notNull())
      .addColumn("target_id", "text")
      .addPrimaryKeyConstraint("schedule_ticks_pkey", ["schedule", "tick_at"])
      .execute();
  },
};
