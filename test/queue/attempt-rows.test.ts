import { sql } from "kysely";
import { expect, it } from "vitest";
import { queueDb } from "../../src/queue/store/queue-db.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { completeTasks } from "../../src/queue/tasks/complete-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import { recoverExpiredLeases } from "../../src/queue/tasks/recover-expired-leases.js";
import { releaseTasks } from "../../src/queue/tasks/release-tasks.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const LEASE_MS = 30_000;

const claim = (store: Store, now = Date.now()) =>
  claimTasks(store, { workerId: "w1", queues: ["default"], limit: 10, leaseMs: LEASE_MS, now });

const attemptRows = (store: Store, taskId: string) =>
  queueDb(store)
    .selectFrom("task_attempts")
    .selectAll()
    .where("task_id", "=", taskId)
    .orderBy("attempt")
    .execute();

/** The row a claim wrote before attempt rows were written at the end (an older worker's). */
async function oldStyleAttemptRow(store: Store, task: { id: string; token: number }, at: number) {
  await queueDb(store)
    .insertInto("task_attempts")
    .values({
      task_id: task.id,
      attempt: task.token,
      worker: "w1",
      agent: null,
      fencing_token: task.token,
      started_at: at,
    })
    .execute();
}

describeEachStore("attempt rows", (fixture) => {
  it("are not written for a success: showTask shows it from the lease, then from the task", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "t" }]);
    const now = Date.now();
    const [task] = await claim(fixture.store, now);
    expect(await attemptRows(fixture.store, added!.id)).toEqual([]);
    expect((await showTask(fixture.store, added!.id))?.attempts).toEqual([
      {
        taskId: added!.id,
        attempt: 1,
        worker: "w1",
        agent: null,
        fencingToken: 1,
        startedAt: now,
        finishedAt: null,
        outcome: null,
        error: null,
      },
    ]);
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: task!.id, token: task!.token, result: 1 }],
      now: now + 5,
    });
    expect(await attemptRows(fixture.store, added!.id)).toEqual([]);
    expect((await showTask(fixture.store, added!.id))?.attempts).toEqual([
      {
        taskId: added!.id,
        attempt: 1,
        worker: "w1",
        agent: null,
        fencingToken: 1,
        startedAt: now,
        finishedAt: now + 5,
        outcome: "succeeded",
        error: null,
      },
    ]);
  });

  it("are written for every attempt that did not succeed, beside the success on the task", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "t", maxAttempts: 3 }]);
    const now = Date.now();
    const [first] = await claim(fixture.store, now);
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [
        { id: first!.id, token: first!.token, error: new Error("boom"), retryDelayMs: 0 },
      ],
      now: now + 1,
    });
    const [second] = await claim(fixture.store, now + 2);
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: second!.id, token: second!.token, result: "ok" }],
      now: now + 3,
    });
    expect((await attemptRows(fixture.store, added!.id)).map((row) => row.outcome)).toEqual([
      "failed",
    ]);
    const attempts = (await showTask(fixture.store, added!.id))?.attempts ?? [];
    expect(
      attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.finishedAt]),
    ).toEqual([
      [1, "failed", now + 1],
      [2, "succeeded", now + 3],
    ]);
  });

  it("left by an earlier version's claim are ended in place or by the task, never doubled", async () => {
    const tasks = await addTasks(fixture.store, [
      { title: "done" },
      { title: "failed" },
      { title: "released" },
    ]);
    const now = Date.now();
    const claimed = await claim(fixture.store, now);
    for (const task of claimed) await oldStyleAttemptRow(fixture.store, task, now);
    const byTitle = new Map(claimed.map((task) => [task.title, task]));
    const lease = (title: string) => {
      const task = byTitle.get(title)!;
      return { id: task.id, token: task.token };
    };
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [
        { ...lease("done"), result: "ok" },
        { ...lease("failed"), error: new Error("boom"), retryable: false },
      ],
      now: now + 1,
    });
    await releaseTasks(fixture.store, {
      workerId: "w1",
      leases: [lease("released")],
      now: now + 2,
    });
    const outcomes = await Promise.all(
      tasks.map(async (task) =>
        (await attemptRows(fixture.store, task.id)).map((row) => row.outcome),
      ),
    );
    // The success's row stays as the claim left it; the task's record ends it in showTask.
    expect(outcomes).toEqual([[null], ["failed"], ["released"]]);
    const shown = await Promise.all(
      tasks.map(async (task) =>
        ((await showTask(fixture.store, task.id))?.attempts ?? []).map((row) => row.outcome),
      ),
    );
    expect(shown).toEqual([["succeeded"], ["failed"], ["released"]]);
  });

  it("of a lease that expired are written by whoever recovers it, once", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "t", maxAttempts: 1 }]);
    const now = Date.now();
    const [task] = await claim(fixture.store, now);
    await oldStyleAttemptRow(fixture.store, task!, now);
    await recoverExpiredLeases(fixture.store, now + LEASE_MS + 1);
    const rows = await attemptRows(fixture.store, added!.id);
    expect(rows.map((row) => [row.worker, row.outcome])).toEqual([["w1", "lost"]]);
  });

  it("on PostgreSQL, the claim's asynchronous commit ends with its transaction", async () => {
    if (fixture.dialect !== "postgres") return;
    await addTasks(
      fixture.store,
      Array.from({ length: 20 }, (_, index) => ({ title: `t${index}` })),
    );
    // Claims on several pooled connections at once, then every one of them asked.
    await Promise.all(
      Array.from({ length: 5 }, () =>
        claimTasks(fixture.store, {
          workerId: "w1",
          queues: ["default"],
          limit: 2,
          leaseMs: LEASE_MS,
        }),
      ),
    );
    const settings = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const { rows } = await sql<{ setting: string }>`
          select current_setting('synchronous_commit') as setting, pg_sleep(0.01)`.execute(
          queueDb(fixture.store),
        );
        return rows[0]?.setting;
      }),
    );
    expect(new Set(settings)).toEqual(new Set(["on"]));
  });
});
