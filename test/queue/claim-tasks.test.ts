import { expect, it } from "vitest";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const LEASE_MS = 30_000;

function claim(store: Store, limit: number, extra: Partial<Parameters<typeof claimTasks>[1]> = {}) {
  return claimTasks(store, {
    workerId: "w1",
    queues: ["default"],
    limit,
    leaseMs: LEASE_MS,
    ...extra,
  });
}

describeEachStore("claiming tasks", (fixture) => {
  it("claims by strict priority, oldest first among equals", async () => {
    const added = await addTasks(fixture.store, [
      { title: "low old", priority: -5 },
      { title: "mid old" },
      { title: "high", priority: 10 },
      { title: "mid new" },
      { title: "low new", priority: -5 },
    ]);
    const titles: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const [task] = await claim(fixture.store, 1);
      titles.push(task!.title);
    }
    expect(titles).toEqual(["high", "mid old", "mid new", "low old", "low new"]);
    expect(added).toHaveLength(5);
    expect(await claim(fixture.store, 1)).toEqual([]);
  });

  it("returns each claimed task exactly as the store then holds it, token and attempt besides", async () => {
    await addTasks(fixture.store, [
      { title: "plain" },
      {
        title: "full",
        instructions: "do it",
        payload: { a: [1, "two"] },
        priority: 7,
        capabilities: ["code"],
        maxAttempts: 5,
        timeoutMs: 12_345,
        idempotencyKey: "key-1",
      },
    ]);
    const claimed = await claim(fixture.store, 2, { now: Date.now() });
    expect(claimed).toHaveLength(2);
    for (const task of claimed) {
      const { token, attempt, ...asTask } = task;
      expect(token).toBe(1);
      expect(attempt).toBe(1);
      expect(asTask).toEqual((await showTask(fixture.store, task.id))?.task);
    }
  });

  it("returns a batch in priority order with its lease, token and attempt recorded", async () => {
    await addTasks(fixture.store, [{ title: "b" }, { title: "a", priority: 3 }, { title: "c" }]);
    const now = Date.now();
    const claimed = await claim(fixture.store, 10, { now, agent: "coder" });
    expect(claimed.map((task) => task.title)).toEqual(["a", "b", "c"]);
    for (const task of claimed) {
      expect(task).toMatchObject({
        status: "running",
        token: 1,
        attempt: 1,
        attempts: 1,
        leaseOwner: "w1",
        leaseExpiresAt: now + LEASE_MS,
        agent: "coder",
        startedAt: now,
      });
    }
    const details = await showTask(fixture.store, claimed[0]!.id);
    expect(details?.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        worker: "w1",
        agent: "coder",
        fencingToken: 1,
        startedAt: now,
        outcome: null,
      }),
    ]);
  });

  it("claims only from its queues, of its kinds, with its capabilities", async () => {
    await addTasks(fixture.store, [
      { title: "other queue", queue: "other" },
      { title: "workflow kind", kind: "workflow" },
      { title: "needs review", capabilities: ["review"] },
      { title: "needs code and tests", capabilities: ["code", "tests"] },
      { title: "plain" },
    ]);
    const titles = async (extra: Partial<Parameters<typeof claimTasks>[1]>) =>
      (await claim(fixture.store, 10, extra)).map((task) => task.title).sort();
    expect(await titles({ kinds: ["agent"], capabilities: ["code"] })).toEqual(["plain"]);
    expect(await titles({ kinds: ["agent"], capabilities: ["code", "tests", "x"] })).toEqual([
      "needs code and tests",
    ]);
    expect(await titles({ kinds: ["workflow", "agent"] })).toEqual([
      "needs review",
      "workflow kind",
    ]);
    expect(await titles({ queues: ["other"] })).toEqual(["other queue"]);
  });

  it("matches capabilities without regard to case, as agent selection does", async () => {
    await addTasks(fixture.store, [
      { title: "needs Code and TESTS", capabilities: ["Code", "TESTS"] },
      { title: "needs C++", capabilities: ["C++"] },
    ]);
    const titles = async (capabilities: string[]) =>
      (await claim(fixture.store, 10, { capabilities })).map((task) => task.title).sort();
    expect(await titles(["code"])).toEqual([]);
    expect(await titles(["CODE", "tests", "c++"])).toEqual(["needs C++", "needs Code and TESTS"]);
  });

  it("never hands one task to two concurrent claimers", async () => {
    const count = 300;
    await addTasks(
      fixture.store,
      Array.from({ length: count }, (_, index) => ({ title: `t${index}`, priority: index % 7 })),
    );
    // Several connections on PostgreSQL; SQLite has one per process (a second one in the same
    // process would wait for the first's lock with the event loop blocked).
    const stores = fixture.store.capabilities.multipleConnections
      ? [fixture.store, await fixture.open(), await fixture.open()]
      : [fixture.store];
    const claimers = Array.from({ length: 12 }, async (_, index) => {
      const store = stores[index % stores.length] as Store;
      const mine: string[] = [];
      for (;;) {
        const batch = await claimTasks(store, {
          workerId: `w${index}`,
          queues: ["default"],
          limit: 7,
          leaseMs: LEASE_MS,
        });
        if (batch.length === 0) return mine;
        mine.push(...batch.map((task) => task.id));
      }
    });
    const claimed = (await Promise.all(claimers)).flat();
    expect(claimed).toHaveLength(count);
    expect(new Set(claimed).size).toBe(count);
  });

  it("claims a delayed task once its runAt has passed, and waiting tasks only when their needs are met", async () => {
    const now = Date.now();
    const [later] = await addTasks(
      fixture.store,
      [
        { key: "later", title: "later", runAt: now + 5_000 },
        { title: "after later", needs: ["later"] },
      ],
      { now },
    );
    expect(await claim(fixture.store, 10, { now: now + 4_999 })).toEqual([]);
    // Without the promotion step, a due task stays waiting.
    expect(await claim(fixture.store, 10, { now: now + 5_000, promoteDue: false })).toEqual([]);
    const claimed = await claim(fixture.store, 10, { now: now + 5_000 });
    expect(claimed.map((task) => task.id)).toEqual([later!.id]);
  });

  it("rejects bad options", async () => {
    await expect(claim(fixture.store, 0)).rejects.toMatchObject({ code: "queue.invalid_option" });
    await expect(claim(fixture.store, 1, { queues: [] })).rejects.toMatchObject({
      code: "queue.invalid_option",
    });
  });
});
