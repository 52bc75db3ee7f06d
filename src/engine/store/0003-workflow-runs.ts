import type { Kysely } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/** Runs, step attempts, iteration scores and approvals: the engine's tables. */
export const workflowRunsMigration: StoreMigration = {
  name: "0003-workflow-runs",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("runs")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("workflow", "text", (column) => column.notNull())
      .addColumn("definition_hash", "text", (column) => column.notNull())
      .addColumn("source", "text", (column) => column.notNull())
      .addColumn("inputs_json", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("iteration", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("stop_reason", "text")
      .addColumn("budget_usd", "double precision")
      .addColumn("deadline_at", "bigint")
      .addColumn("concurrency", "integer", (column) => column.notNull())
      .addColumn("cost_usd", "double precision", (column) => column.notNull().defaultTo(0))
      .addColumn("commit_count", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("state_hash", "text", (column) => column.notNull())
      .addColumn("lease_owner", "text")
      .addColumn("fencing_token", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("parent_run_id", "text")
      .addColumn("parent_step", "text")
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("started_at", "bigint")
      .addColumn("finished_at", "bigint")
      .addColumn("state_json", "text")
      .addColumn("error_json", "text")
      .execute();
    await db.schema.createIndex("runs_created_at").on("runs").column("created_at").execute();
    await db.schema
      .createIndex("runs_parent")
      .on("runs")
      .columns(["parent_run_id", "parent_step"])
      .execute();

    await db.schema
      .createTable("step_attempts")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("run_id", "text", (column) => column.notNull())
      .addColumn("step_id", "text", (column) => column.notNull())
      .addColumn("iteration", "integer", (column) => column.notNull())
      .addColumn("attempt", "integer", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("output_json", "text")
      .addColumn("delta_json", "text")
      .addColumn("error_json", "text")
      .addColumn("started_at", "bigint", (column) => column.notNull())
      .addColumn("finished_at", "bigint")
      .addColumn("input_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("output_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("cost_usd", "double precision", (column) => column.notNull().defaultTo(0))
      .addColumn("model", "text")
      .addColumn("lease_owner", "text")
      .addColumn("fencing_token", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("commit_seq", "integer")
      .addColumn("chain_hash", "text")
      .addUniqueConstraint("step_attempts_unique", ["run_id", "step_id", "iteration", "attempt"])
      .execute();
    await db.schema
      .createIndex("step_attempts_run_commit")
      .on("step_attempts")
      .columns(["run_id", "commit_seq"])
      .execute();

    await db.schema
      .createTable("run_iterations")
      .addColumn("run_id", "text", (column) => column.notNull())
      .addColumn("iteration", "integer", (column) => column.notNull())
      .addColumn("score", "double precision")
      .addColumn("finished_at", "bigint", (column) => column.notNull())
      .addPrimaryKeyConstraint("run_iterations_pkey", ["run_id", "iteration"])
      .execute();

    await db.schema
      .createTable("approvals")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("run_id", "text", (column) => column.notNull())
      .addColumn("step_id", "text", (column) => column.notNull())
      .addColumn("iteration", "integer", (column) => column.notNull())
      .addColumn("title", "text", (column) => column.notNull())
      .addColumn("prompt", "text", (column) => column.notNull())
      .addColumn("data_json", "text")
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("decided_by", "text")
      .addColumn("comment", "text")
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("decided_at", "bigint")
      .addColumn("timeout_at", "bigint")
      .addUniqueConstraint("approvals_step_unique", ["run_id", "step_id", "iteration"])
      .execute();
    await db.schema.createIndex("approvals_status").on("approvals").column("status").execute();
  },
};
