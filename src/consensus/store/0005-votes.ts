import type { Kysely } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/** Votes and their ballots: the committee's tables. */
export const votesMigration: StoreMigration = {
  name: "0005-votes",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("votes")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("question", "text", (column) => column.notNull())
      .addColumn("method", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("winner", "text")
      .addColumn("options_json", "text", (column) => column.notNull())
      .addColumn("members_json", "text", (column) => column.notNull())
      .addColumn("result_json", "text", (column) => column.notNull())
      .addColumn("call_ids_json", "text", (column) => column.notNull())
      .addColumn("cost_usd", "double precision", (column) => column.notNull())
      .addColumn("duration_ms", "bigint", (column) => column.notNull())
      .addColumn("run_id", "text")
      .addColumn("step_id", "text")
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .execute();
    await db.schema.createIndex("votes_created_at").on("votes").column("created_at").execute();
    await db.schema
      .createTable("vote_ballots")
      .addColumn("vote_id", "text", (column) => column.notNull())
      .addColumn("round", "integer", (column) => column.notNull())
      .addColumn("member", "text", (column) => column.notNull())
      .addColumn("model", "text", (column) => column.notNull())
      .addColumn("valid", "integer", (column) => column.notNull())
      .addColumn("reason", "text")
      .addColumn("ballot_json", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("vote_ballots_pk", ["vote_id", "round", "member"])
      .execute();
  },
};

/** The committee's migrations, oldest first; they come after the engine's. Append only. */
export const CONSENSUS_MIGRATIONS: readonly StoreMigration[] = [votesMigration];
