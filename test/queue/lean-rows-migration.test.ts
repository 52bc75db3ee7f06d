import { sql } from "kysely";
import { expect, it } from "vitest";
import { queueDb } from "../../src/queue/store/queue-db.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import { ORKESTRA_MIGRATIONS, openOrkestraStore } from "../../src/store-schema.js";
import { describeEachStore } from "../helpers/stores.js";

const BEFORE = ORKESTRA_MIGRATIONS.filter((migration) => migration.name < "0008");

describeEachStore(
  "the queue's lean-rows migration (0008)",
  (fixture) => {
    it("keeps tasks and attempts written before it, and the idempotency key unique", async () => {
      const old = await fixture.open({ migrations: BEFORE });
      const now = Date.now();
      const task = (id: string, key: string | null, status: string) => ({
        id,
        queue: "default",
        kind: "agent",
        title: id,
        priority: 0,
        capabilities_json: "[]",
        status,
        attempts: status === "succeeded" ? 1 : 0,
        max_attempts: 3,
        timeout_ms: 60_000,
        run_at: now,
        idempotency_key: key,
        fencing_token: status === "succeeded" ? 1 : 0,
        created_at: now,
        started_at: status === "succeeded" ? now : null,
        finished_at: status === "succeeded" ? now + 1 : null,
      });
      await sql`insert into tasks (id, queue, kind, title, priority, capabilities_json, status, attempts, max_attempts, timeout_ms, run_at, idempotency_key, fencing_token, created_at, started_at, finished_at) values ${sql.join(
        [task("t1", "k1", "succeeded"), task("t2", null, "ready"), task("t3", null, "ready")].map(
          (row) => sql`(${sql.join(Object.values(row))})`,
        ),
      )}`.execute(old.db);
      await sql`insert into task_attempts (task_id, attempt, worker, fencing_token, started_at, finished_at, outcome)
        values ('t1', 1, 'old-worker', 1, ${now}, ${now + 1}, 'succeeded')`.execute(old.db);
      await old.close();

      const store = await openOrkestraStore(fixture.url);
      try {
        const shown = await showTask(store, "t1");
        expect(shown?.task.status).toBe("succeeded");
        expect(shown?.attempts.map((attempt) => [attempt.worker, attempt.outcome])).toEqual([
          ["old-worker", "succeeded"],
        ]);
        // The key still returns the existing task; tasks without a key stay apart.
        const [again] = await addTasks(store, [{ title: "again", idempotencyKey: "k1" }]);
        expect(again?.id).toBe("t1");
        await expect(
          sql`insert into tasks (id, queue, kind, title, priority, capabilities_json, status, max_attempts, timeout_ms, run_at, idempotency_key, created_at)
            values ('t4', 'default', 'agent', 't4', 0, '[]', 'ready', 3, 1, 0, 'k1', 0)`.execute(
            store.db,
          ),
        ).rejects.toThrow();
        const keyless = await queueDb(store)
          .selectFrom("tasks")
          .select("id")
          .where("idempotency_key", "is", null)
          .orderBy("id")
          .execute();
        expect(keyless.map((row) => row.id)).toEqual(["t2", "t3"]);
        if (fixture.dialect === "postgres") {
          const { rows } = await sql<{
            table_name: string;
            column_name: string;
            collation_name: string;
          }>`
            select table_name, column_name, collation_name from information_schema.columns
            where table_schema = current_schema()
              and (table_name, column_name) in (('tasks', 'id'), ('task_dependencies', 'task_id'),
                ('task_dependencies', 'depends_on'), ('task_capabilities', 'task_id'),
                ('task_attempts', 'task_id'))
            order by table_name, column_name`.execute(store.db);
          expect(rows.map((row) => row.collation_name)).toEqual(["C", "C", "C", "C", "C"]);
        }
      } finally {
        await store.close();
      }
    });
  },
  { openStore: false },
);
