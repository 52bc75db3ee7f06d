import type { Kysely } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/** The model ledger and budget tables. `bigint` and `double precision` mean the same on both backends. */
export const modelGatewayMigration: StoreMigration = {
  name: "0002-model-gateway",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("model_calls")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("alias", "text", (column) => column.notNull())
      .addColumn("provider", "text", (column) => column.notNull())
      .addColumn("model", "text", (column) => column.notNull())
      .addColumn("outcome", "text", (column) => column.notNull())
      .addColumn("error_kind", "text")
      .addColumn("input_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("cache_read_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("cache_write_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("output_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("reasoning_tokens", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("cost_usd", "double precision", (column) => column.notNull().defaultTo(0))
      .addColumn("latency_ms", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("attempts", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("simulated", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("streamed", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("run_id", "text")
      .addColumn("task_id", "text")
      .addColumn("step_id", "text")
      .execute();
    await db.schema
      .createIndex("model_calls_created_at")
      .on("model_calls")
      .column("created_at")
      .execute();
    await db.schema
      .createIndex("model_calls_alias_created_at")
      .on("model_calls")
      .columns(["alias", "created_at"])
      .execute();

    await db.schema
      .createTable("budget_counters")
      .addColumn("scope", "text", (column) => column.notNull())
      .addColumn("period", "text", (column) => column.notNull())
      .addColumn("spent_nanousd", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("reserved_nanousd", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("updated_at", "bigint", (column) => column.notNull())
      .addPrimaryKeyConstraint("budget_counters_pkey", ["scope", "period"])
      .execute();

    await db.schema
      .createTable("budget_reservations")
      // One call holds every budget line that applies to it under one id: global and per-model.
      .addColumn("id", "text", (column) => column.notNull())
      .addColumn("scope", "text", (column) => column.notNull())
      .addColumn("period", "text", (column) => column.notNull())
      .addColumn("amount_nanousd", "bigint", (column) => column.notNull())
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("expires_at", "bigint", (column) => column.notNull())
      .addPrimaryKeyConstraint("budget_reservations_pkey", ["id", "scope", "period"])
      .execute();
    await db.schema
      .createIndex("budget_reservations_expires_at")
      .on("budget_reservations")
      .column("expires_at")
      .execute();
  },
};
