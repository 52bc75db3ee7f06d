import type { Kysely } from "kysely";
import type { MigrationBackend, StoreMigration } from "../../store/index.js";

/**
 * Less written per task (bench/RESULTS.md, "Queue: the lean-rows migration"):
 * - `tasks.succeeded_by`: a successful attempt is recorded on its task (worker here; token,
 *   agent, start and end are the task's) instead of in a task_attempts row of its own, which
 *   was one more row and index entry for every task. Attempts that end otherwise keep rows.
 * - Task ids compare byte by byte wherever they are keys (PostgreSQL: collation "C" instead of
 *   the database's, whose comparisons were a tenth of the server's time per task).
 * - The idempotency key's unique index holds only the tasks that have a key.
 */
export const queueLeanRowsMigration: StoreMigration = {
  name: "0008-queue-lean-rows",
  async up(db: Kysely<unknown>, backend: MigrationBackend): Promise<void> {
    await db.schema.alterTable("tasks").addColumn("succeeded_by", "text").execute();
    await backend.ddl.compareBytewise(db, "tasks", ["id"]);
    await backend.ddl.compareBytewise(db, "task_dependencies", ["task_id", "depends_on"]);
    await backend.ddl.compareBytewise(db, "task_capabilities", ["task_id"]);
    await backend.ddl.compareBytewise(db, "task_attempts", ["task_id"]);
    await backend.ddl.uniqueWherePresent(db, {
      table: "tasks",
      column: "idempotency_key",
      constraint: "tasks_idempotency_key_key",
      index: "tasks_idempotency_key",
    });
  },
};
