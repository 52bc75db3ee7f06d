import type { Kysely } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/** A run's lease gets an expiry that the driving process's heartbeat extends. */
export const runLeasesMigration: StoreMigration = {
  name: "0004-run-leases",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable("runs").addColumn("lease_expires_at", "bigint").execute();
  },
};
