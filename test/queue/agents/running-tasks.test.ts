import { expect, it } from "vitest";
import { explainTask, runningTasksByAgent } from "../../../src/queue/agents/index.js";
import type { QueueTables } from "../../../src/queue/store/queue-tables.js";
import { addTasks } from "../../../src/queue/tasks/add-tasks.js";
import type { Store } from "../../../src/store/index.js";
import { describeEachStore } from "../../helpers/stores.js";

/** Adds one task per row through the queue, then sets its agent and status as a claim would. */
async function seedTasks(
  store: Store,
  rows: readonly { agent: string | null; status: string }[],
): Promise<string[]> {
  const added = await addTasks(
    store,
    rows.map((_, index) => ({ title: `task ${index}`, kind: "noop" })),
  );
  const db = store.db.withTables<QueueTables>();
  for (const [index, row] of rows.entries()) {
    await db
      .updateTable("tasks")
      .set({ agent: row.agent, status: row.status })
      .where("id", "=", added[index]?.id ?? "")
      .execute();
  }
  return added.map((task) => task.id);
}

describeEachStore("running tasks per agent", (fixture) => {
  it("counts only running tasks, per agent", async () => {
    await seedTasks(fixture.store, [
      { agent: "coder", status: "running" },
      { agent: "coder", status: "running" },
      { agent: "coder", status: "succeeded" },
      { agent: "architect", status: "running" },
      { agent: "architect", status: "ready" },
      { agent: null, status: "running" },
    ]);

    expect(await runningTasksByAgent(fixture.store)).toEqual({ coder: 2, architect: 1 });
  });

  it("counts inside a transaction, seeing its own uncommitted writes", async () => {
    const [id = ""] = await seedTasks(fixture.store, [{ agent: null, status: "ready" }]);
    const counted = await fixture.store.transaction(async (trx) => {
      await trx
        .withTables<QueueTables>()
        .updateTable("tasks")
        .set({ agent: "coder", status: "running" })
        .where("id", "=", id)
        .execute();
      return runningTasksByAgent(trx);
    });
    expect(counted).toEqual({ coder: 1 });
  });

  it("explains a task from the ledger and the running load together", async () => {
    await seedTasks(fixture.store, [
      { agent: "architect", status: "running" },
      { agent: "architect", status: "running" },
    ]);
    const agents = {
      architect: {
        model: "sim",
        capabilities: ["review"],
        specialties: [],
        weight: 2,
        maxConcurrent: 2,
      },
      reviewer: {
        model: "sim",
        capabilities: ["review"],
        specialties: [],
        weight: 1,
        maxConcurrent: 1,
      },
    };

    const explanation = await explainTask(
      fixture.store,
      {
        id: "t9",
        title: "Review",
        instructions: "",
        capabilities: ["review"],
        queue: "q",
        priority: 0,
      },
      { agents, fallbacks: {} },
    );

    expect(explanation.chosen).toBe("reviewer");
    expect(explanation.agents.map((entry) => [entry.agent, entry.reasons])).toEqual([
      ["reviewer", ["no recent calls: neutral history"]],
      ["architect", ["at capacity 2/2"]],
    ]);
  });
});
