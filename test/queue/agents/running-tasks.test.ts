import { expect, it } from "vitest";
import {
  explainTask,
  runningTasksByAgent,
  type TaskLoadTable,
} from "../../../src/queue/agents/index.js";
import type { Store } from "../../../src/store/index.js";
import { describeEachStore } from "../../helpers/stores.js";

type TasksTable = TaskLoadTable & { id: string };

/**
 * The queue's task migration is built in parallel; until it lands this creates the two columns
 * the load query reads. With the real table present, `ifNotExists` leaves it alone (and the
 * inserts below must then give its other required columns).
 */
async function tasksTable(store: Store) {
  await store.db.schema
    .createTable("tasks")
    .ifNotExists()
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("agent", "text")
    .addColumn("status", "text", (column) => column.notNull())
    .execute();
  return store.db.withTables<{ tasks: TasksTable }>();
}

describeEachStore("running tasks per agent", (fixture) => {
  it("counts only running tasks, per agent", async () => {
    const db = await tasksTable(fixture.store);
    await db
      .insertInto("tasks")
      .values([
        { id: "1", agent: "coder", status: "running" },
        { id: "2", agent: "coder", status: "running" },
        { id: "3", agent: "coder", status: "succeeded" },
        { id: "4", agent: "architect", status: "running" },
        { id: "5", agent: "architect", status: "ready" },
        { id: "6", agent: null, status: "running" },
      ])
      .execute();

    expect(await runningTasksByAgent(fixture.store)).toEqual({ coder: 2, architect: 1 });
  });

  it("counts inside a transaction, seeing its own uncommitted writes", async () => {
    await tasksTable(fixture.store);
    const counted = await fixture.store.transaction(async (trx) => {
      await trx
        .withTables<{ tasks: TasksTable }>()
        .insertInto("tasks")
        .values({ id: "1", agent: "coder", status: "running" })
        .execute();
      return runningTasksByAgent(trx);
    });
    expect(counted).toEqual({ coder: 1 });
  });

  it("explains a task from the ledger and the running load together", async () => {
    const db = await tasksTable(fixture.store);
    await db
      .insertInto("tasks")
      .values([
        { id: "1", agent: "architect", status: "running" },
        { id: "2", agent: "architect", status: "running" },
      ])
      .execute();
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
