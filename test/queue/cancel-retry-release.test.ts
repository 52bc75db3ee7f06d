import { expect, it } from "vitest";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { cancelTask } from "../../src/queue/tasks/cancel-task.js";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { completeTasks } from "../../src/queue/tasks/complete-tasks.js";
import { heartbeatTasks } from "../../src/queue/tasks/heartbeat-tasks.js";
import { countTasks, listTasks, showTask } from "../../src/queue/tasks/read-tasks.js";
import { recordTaskAgent } from "../../src/queue/tasks/record-task-agent.js";
import { releaseTasks } from "../../src/queue/tasks/release-tasks.js";
import { retryTask } from "../../src/queue/tasks/retry-task.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const LEASE_MS = 10_000;

function claim(store: Store, workerId = "w1") {
  return claimTasks(store, { workerId, queues: ["default"], limit: 10, leaseMs: LEASE_MS });
}

async function task(store: Store, id: string) {
  return (await showTask(store, id))!.task;
}

describeEachStore("cancelling, retrying and releasing tasks", (fixture) => {
  it("cancels a waiting task and blocks what needs it; retry brings both back", async () => {
    const [root, child, grandchild] = await addTasks(fixture.store, [
      { key: "root", title: "root", runAt: Date.now() + 60_000 },
      { key: "child", title: "child", needs: ["root"] },
      { key: "grandchild", title: "grandchild", needs: ["child"] },
    ]);
    expect(await cancelTask(fixture.store, root!.id)).toEqual({
      id: root!.id,
      status: "cancelled",
      cancelRequested: false,
    });
    expect((await task(fixture.store, child!.id)).status).toBe("blocked");
    expect((await task(fixture.store, grandchild!.id)).status).toBe("blocked");
    // Cancelling again changes nothing.
    expect((await cancelTask(fixture.store, root!.id)).status).toBe("cancelled");

    // A blocked task cannot be retried while what it needs is cancelled.
    await expect(retryTask(fixture.store, child!.id)).rejects.toMatchObject({
      code: "queue.invalid_state",
      hint: expect.stringContaining(root!.id),
    });
    const retried = await retryTask(fixture.store, root!.id);
    expect(retried.status).toBe("ready");
    expect(retried.unblocked.sort()).toEqual([child!.id, grandchild!.id].sort());
    expect(await task(fixture.store, child!.id)).toMatchObject({
      status: "waiting",
      blockedReason: null,
    });
  });

  it("flags a running task; its worker hears it at the heartbeat and its failure ends it cancelled", async () => {
    const [added, after] = await addTasks(fixture.store, [
      { key: "run", title: "running" },
      { key: "after", title: "after", needs: ["run"] },
    ]);
    const [claimed] = await claim(fixture.store);
    expect(await cancelTask(fixture.store, added!.id)).toEqual({
      id: added!.id,
      status: "running",
      cancelRequested: true,
    });
    const beat = await heartbeatTasks(fixture.store, {
      workerId: "w1",
      leases: [{ id: claimed!.id, token: claimed!.token }],
      leaseMs: LEASE_MS,
    });
    expect(beat.cancelRequested).toEqual([{ id: added!.id, token: 1 }]);
    const [outcome] = await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: claimed!.id, token: claimed!.token, error: new Error("aborted") }],
    });
    expect(outcome?.status).toBe("cancelled");
    expect((await showTask(fixture.store, added!.id))?.attempts[0]?.outcome).toBe("cancelled");
    expect((await task(fixture.store, after!.id)).status).toBe("blocked");
  });

  it("refuses to cancel a succeeded task, and to retry one that is not stopped", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "done" }]);
    const [claimed] = await claim(fixture.store);
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: claimed!.id, token: claimed!.token }],
    });
    await expect(cancelTask(fixture.store, added!.id)).rejects.toMatchObject({
      code: "queue.invalid_state",
    });
    await expect(retryTask(fixture.store, added!.id)).rejects.toMatchObject({
      code: "queue.invalid_state",
    });
    await expect(cancelTask(fixture.store, "nope")).rejects.toMatchObject({
      code: "queue.not_found",
    });
  });

  it("retries a dead task with a fresh set of attempts, keeping the old ones", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "once", maxAttempts: 1 }]);
    const [first] = await claim(fixture.store);
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: first!.id, token: first!.token, error: new Error("nope") }],
    });
    expect((await task(fixture.store, added!.id)).status).toBe("dead");
    await retryTask(fixture.store, added!.id);
    const [second] = await claim(fixture.store);
    expect(second).toMatchObject({ id: added!.id, attempts: 1, attempt: 2, token: 2 });
    expect((await showTask(fixture.store, added!.id))?.attempts).toHaveLength(2);
  });

  it("releases held tasks back to ready without counting the attempt", async () => {
    await addTasks(fixture.store, [{ title: "a" }, { title: "b" }]);
    const claimed = await claim(fixture.store);
    const leases = claimed.map((each) => ({ id: each.id, token: each.token }));
    const released = await releaseTasks(fixture.store, {
      workerId: "w1",
      leases: [...leases, { id: claimed[0]!.id, token: 99 }],
    });
    expect(released).toEqual(leases);
    for (const each of claimed) {
      const details = await showTask(fixture.store, each.id);
      expect(details?.task).toMatchObject({ status: "ready", attempts: 0, leaseOwner: null });
      expect(details?.attempts[0]?.outcome).toBe("released");
    }
    const again = await claim(fixture.store, "w2");
    expect(again.map((each) => [each.attempts, each.attempt])).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it("lists tasks newest first, by status and queue", async () => {
    await addTasks(fixture.store, [{ title: "1" }, { title: "2", queue: "q2" }, { title: "3" }]);
    await claimTasks(fixture.store, { workerId: "w", queues: ["q2"], limit: 1, leaseMs: LEASE_MS });
    expect((await listTasks(fixture.store)).map((each) => each.title)).toEqual(["3", "2", "1"]);
    expect((await listTasks(fixture.store, { status: "ready" })).map((each) => each.title)).toEqual(
      ["3", "1"],
    );
    expect((await listTasks(fixture.store, { queue: "q2" })).map((each) => each.status)).toEqual([
      "running",
    ]);
    expect(await listTasks(fixture.store, { limit: 1 })).toHaveLength(1);
    expect(await countTasks(fixture.store)).toEqual([
      { queue: "default", status: "ready", count: 2 },
      { queue: "q2", status: "running", count: 1 },
    ]);
  });

  it("records the agent chosen after the claim, while the lease is held", async () => {
    const [added] = await addTasks(fixture.store, [{ title: "pick me" }]);
    const [claimed] = await claim(fixture.store);
    const lease = { workerId: "w1", id: added!.id, token: claimed!.token };
    expect(await recordTaskAgent(fixture.store, { ...lease, agent: "architect" })).toBe(true);
    expect(await recordTaskAgent(fixture.store, { ...lease, token: 7, agent: "coder" })).toBe(
      false,
    );
    const details = await showTask(fixture.store, added!.id);
    expect(details?.task.agent).toBe("architect");
    expect(details?.attempts[0]?.agent).toBe("architect");
  });
});
