import { type Kysely, sql } from "kysely";
import type { StoreMigration } from "../../store/index.js";

/** Tasks, their dependencies, required capabilities and attempts, and workers: the queue's tables. */
export const queueMigration: StoreMigration = {
  name: "0006-queue",
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("tasks")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("queue", "text", (column) => column.notNull())
      .addColumn("kind", "text", (column) => column.notNull())
      .addColumn("title", "text", (column) => column.notNull())
      .addColumn("instructions", "text")
      .addColumn("payload_json", "text")
      .addColumn("priority", "integer", (column) => column.notNull())
      .addColumn("capabilities_json", "text", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("attempts", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (column) => column.notNull())
      .addColumn("timeout_ms", "bigint", (column) => column.notNull())
      .addColumn("run_at", "bigint", (column) => column.notNull())
      .addColumn("idempotency_key", "text", (column) => column.unique())
      .addColumn("pending_deps", "integer", (column) => column.notNull().defaultTo(0))
      .addColumn("lease_owner", "text")
      .addColumn("lease_expires_at", "bigint")
      .addColumn("fencing_token", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("cancel_requested_at", "bigint")
      .addColumn("agent", "text")
      .addColumn("result_json", "text")
      .addColumn("error_json", "text")
      .addColumn("blocked_reason", "text")
      .addColumn("created_at", "bigint", (column) => column.notNull())
      .addColumn("started_at", "bigint")
      .addColumn("finished_at", "bigint")
      .execute();
    // Partial indexes keep each hot path a short index range scan, and keep rows that are not
    // ready (finished ones, above all) out of the claim's index. The claim reads
    // `status = 'ready' and queue = ? order by priority desc, id` straight off tasks_claim.
    await db.schema
      .createIndex("tasks_claim")
      .on("tasks")
      .columns(["queue", "priority desc", "id"])
      .where(sql.raw<boolean>("status = 'ready'"))
      .execute();
    await db.schema
      .createIndex("tasks_due")
      .on("tasks")
      .column("run_at")
      .where(sql.raw<boolean>("status in ('waiting', 'failed') and pending_deps = 0"))
      .execute();
    await db.schema
      .createIndex("tasks_lease")
      .on("tasks")
      .column("lease_expires_at")
      .where(sql.raw<boolean>("status = 'running'"))
      .execute();

    await db.schema
      .createTable("task_dependencies")
      .addColumn("task_id", "text", (column) => column.notNull())
      .addColumn("depends_on", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("task_dependencies_pkey", ["task_id", "depends_on"])
      .execute();
    await db.schema
      .createIndex("task_dependencies_depends_on")
      .on("task_dependencies")
      .column("depends_on")
      .execute();

    await db.schema
      .createTable("task_capabilities")
      .addColumn("task_id", "text", (column) => column.notNull())
      .addColumn("capability", "text", (column) => column.notNull())
      .addPrimaryKeyConstraint("task_capabilities_pkey", ["task_id", "capability"])
      .execute();

    await db.schema
      .createTable("task_attempts")
      .addColumn("task_id", "text", (column) => column.notNull())
      .addColumn("attempt", "integer", (column) => column.notNull())
      .addColumn("worker", "text", (column) => column.notNull())
      .addColumn("agent", "text")
      .addColumn("fencing_token", "bigint", (column) => column.notNull())
      .addColumn("started_at", "bigint", (column) => column.notNull())
      .addColumn("finished_at", "bigint")
      .addColumn("outcome", "text")
      .addColumn("error_json", "text")
      .addPrimaryKeyConstraint("task_attempts_pkey", ["task_id", "attempt"])
      .execute();

    await db.schema
      .createTable("workers")
      .addColumn("id", "text", (column) => column.primaryKey())
      .addColumn("host", "text", (column) => column.notNull())
      .addColumn("pid", "integer", (column) => column.notNull())
      .addColumn("queues_json", "text", (column) => column.notNull())
      .addColumn("agents_json", "text", (column) => column.notNull())
      .addColumn("concurrency", "integer", (column) => column.notNull())
      .addColumn("heartbeat_ms", "bigint", (column) => column.notNull())
      .addColumn("started_at", "bigint", (column) => column.notNull())
      .addColumn("last_seen_at", "bigint", (column) => column.notNull())
      .addColumn("status", "text", (column) => column.notNull())
      .addColumn("succeeded", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("failed", "bigint", (column) => column.notNull().defaultTo(0))
      .addColumn("current_tasks", "integer", (column) => column.notNull().defaultTo(0))
      .execute();
  },
};
