import { expect, it } from "vitest";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { completeTasks } from "../../src/queue/tasks/complete-tasks.js";
import { heartbeatTasks } from "../../src/queue/tasks/heartbeat-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import { recoverExpiredLeases } from "../../src/queue/tasks/recover-expired-leases.js";
import { RETRY_BASE_MS } from "../../src/queue/tasks/retry-backoff.js";
import type { ClaimedTask } from "../../src/queue/tasks/task-types.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

const LEASE_MS = 10_000;

function claim(store: Store, workerId: string, now: number, limit = 10): Promise<ClaimedTask[]> {
  return claimTasks(store, { workerId, queues: ["default"], limit, leaseMs: LEASE_MS, now });
}

async function statusOf(store: Store, id: string): Promise<string | undefined> {
  return (await showTask(store, id))?.task.status;
}

describeEachStore("completing tasks", (fixture) => {
  it("commits a batch of results and releases dependants, a diamond only once both are done", async () => {
    const now = Date.now();
    const [a, b, c, d] = await addTasks(
      fixture.store,
      [
        { key: "a", title: "a" },
        { key: "b", title: "b", needs: ["a"] },
        { key: "c", title: "c", needs: ["a"] },
        { key: "d", title: "d", needs: ["b", "c"] },
      ],
      { now },
    );
    const [first] = await claim(fixture.store, "w1", now);
    expect(first?.id).toBe(a!.id);
    const outcomes = await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [{ id: first!.id, token: first!.token, result: { answer: 42 } }],
      now,
    });
    expect(outcomes).toEqual([{ id: a!.id, token: 1, status: "succeeded" }]);
    const done = await showTask(fixture.store, a!.id);
    expect(done?.task).toMatchObject({
      status: "succeeded",
      result: { answer: 42 },
      leaseOwner: null,
      finishedAt: now,
    });
    expect(done?.attempts[0]).toMatchObject({ outcome: "succeeded", finishedAt: now });

    const middle = await claim(fixture.store, "w1", now);
    expect(middle.map((task) => task.id).sort()).toEqual([b!.id, c!.id].sort());
    expect(await statusOf(fixture.store, d!.id)).toBe("waiting");
    await completeTasks(fixture.store, {
      workerId: "w1",
      completions: middle.map((task) => ({ id: task.id, token: task.token })),
      now,
    });
    const last = await showTask(fixture.store, d!.id);
    expect(last?.task).toMatchObject({ status: "ready", pendingDependencies: 0 });
  });

  it("retries a failure after a backoff, and after max attempts it is dead with every attempt kept", async () => {
    let now = Date.now();
    const [task, dependant, grandchild] = await addTasks(
      fixture.store,
      [
        { key: "flaky", title: "flaky", maxAttempts: 3 },
        { key: "next", title: "next", needs: ["flaky"] },
        { key: "after", title: "after", needs: ["next"] },
      ],
      { now },
    );
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [claimed] = await claim(fixture.store, "w1", now);
      expect(claimed).toMatchObject({ id: task!.id, attempt, attempts: attempt });
      const [outcome] = await completeTasks(fixture.store, {
        workerId: "w1",
        completions: [
          attempt === 2
            ? {
                id: claimed!.id,
                token: claimed!.token,
                error: new Error("too slow"),
                timedOut: true,
              }
            : { id: claimed!.id, token: claimed!.token, error: new Error(`boom ${attempt}`) },
        ],
        now,
      });
      if (attempt < 3) {
        expect(outcome?.status).toBe("failed");
        const failed = await showTask(fixture.store, task!.id);
        const delay = failed!.task.runAt - now;
        const expected = RETRY_BASE_MS * 2 ** (attempt - 1);
        expect(delay).toBeGreaterThanOrEqual(expected / 2);
        expect(delay).toBeLessThanOrEqual(expected);
        // Not claimable before its retry is due.
        expect(await claim(fixture.store, "w1", now + delay - 1)).toEqual([]);
        now += delay;
      } else {
        expect(outcome?.status).toBe("dead");
      }
    }
    const dead = await showTask(fixture.store, task!.id);
    expect(dead?.task).toMatchObject({
      status: "dead",
      attempts: 3,
      error: { message: "boom 3", name: "Error" },
    });
    expect(dead?.attempts.map((each) => [each.attempt, each.outcome, each.error?.message])).toEqual(
      [
        [1, "failed", "boom 1"],
        [2, "timeout", "too slow"],
        [3, "failed", "boom 3"],
      ],
    );
    for (const blocked of [dependant!, grandchild!]) {
      const details = await showTask(fixture.store, blocked.id);
      expect(details?.task.status).toBe("blocked");
      expect(details?.task.blockedReason).toContain(task!.id);
      expect(details?.task.blockedReason).toContain("dead");
    }
  });

  it("makes a non-retryable failure dead at once, and honours a given retry delay", async () => {
    const now = Date.now();
    const [one, two] = await addTasks(fixture.store, [{ title: "fatal" }, { title: "later" }], {
      now,
    });
    const claimed = await claim(fixture.store, "w1", now);
    const byId = new Map(claimed.map((task) => [task.id, task]));
    const outcomes = await completeTasks(fixture.store, {
      workerId: "w1",
      completions: [
        { id: one!.id, token: byId.get(one!.id)!.token, error: "bad input", retryable: false },
        {
          id: two!.id,
          token: byId.get(two!.id)!.token,
          error: new Error("429"),
          retryDelayMs: 7_000,
        },
      ],
      now,
    });
    expect(outcomes.map((each) => each.status)).toEqual(["dead", "failed"]);
    expect((await showTask(fixture.store, two!.id))?.task.runAt).toBe(now + 7_000);
  });

  it("refuses a completion with a stale fencing token and records it on the attempt", async () => {
    let now = Date.now();
    const [added] = await addTasks(fixture.store, [{ title: "contested" }], { now });
    const [stale] = await claim(fixture.store, "paused", now);
    // The paused worker misses its heartbeats; its lease expires and the task is taken back.
    now += LEASE_MS + 1;
    const recovered = await recoverExpiredLeases(fixture.store, now);
    expect(recovered).toEqual([{ id: added!.id, token: 1, owner: "paused", status: "failed" }]);
    now += 60_000;
    const [fresh] = await claim(fixture.store, "live", now);
    expect(fresh).toMatchObject({ id: added!.id, token: 2, attempt: 2 });

    // The paused worker wakes up: its heartbeat is told the lease is lost, its commit refused.
    const beat = await heartbeatTasks(fixture.store, {
      workerId: "paused",
      leases: [{ id: stale!.id, token: stale!.token }],
      leaseMs: LEASE_MS,
      now,
    });
    expect(beat.lost).toEqual([{ id: added!.id, token: 1 }]);
    expect(beat.held).toEqual([]);
    const late = await completeTasks(fixture.store, {
      workerId: "paused",
      completions: [{ id: stale!.id, token: stale!.token, result: "stale" }],
      now,
    });
    expect(late).toEqual([{ id: added!.id, token: 1, status: "refused" }]);
    // Even with the current token, another worker cannot commit over the owner.
    const impostor = await completeTasks(fixture.store, {
      workerId: "paused",
      completions: [{ id: fresh!.id, token: fresh!.token, result: "impostor" }],
      now,
    });
    expect(impostor[0]?.status).toBe("refused");

    await completeTasks(fixture.store, {
      workerId: "live",
      completions: [{ id: fresh!.id, token: fresh!.token, result: "fresh" }],
      now,
    });
    const details = await showTask(fixture.store, added!.id);
    expect(details?.task).toMatchObject({ status: "succeeded", result: "fresh" });
    expect(details?.attempts.map((each) => [each.worker, each.fencingToken, each.outcome])).toEqual(
      [
        ["paused", 1, "refused"],
        ["live", 2, "succeeded"],
      ],
    );
    expect(details?.attempts[0]?.error).toMatchObject({ code: "refused", previousOutcome: "lost" });
  });

  it("extends held leases and reports cancel requests through the heartbeat", async () => {
    const now = Date.now();
    await addTasks(fixture.store, [{ title: "long" }], { now });
    const [task] = await claim(fixture.store, "w1", now);
    const beat = await heartbeatTasks(fixture.store, {
      workerId: "w1",
      leases: [{ id: task!.id, token: task!.token }],
      leaseMs: LEASE_MS,
      now: now + 5_000,
    });
    expect(beat).toEqual({ held: [{ id: task!.id, token: 1 }], lost: [], cancelRequested: [] });
    expect((await showTask(fixture.store, task!.id))?.task.leaseExpiresAt).toBe(
      now + 5_000 + LEASE_MS,
    );
    // Nothing expired at the old deadline any more.
    expect(await recoverExpiredLeases(fixture.store, now + LEASE_MS + 1)).toEqual([]);
  });

  it("makes a task whose worker vanished dead once its last attempt's lease expires", async () => {
    let now = Date.now();
    const [added] = await addTasks(fixture.store, [{ title: "doomed", maxAttempts: 1 }], { now });
    await claim(fixture.store, "gone", now);
    now += LEASE_MS + 1;
    expect(await recoverExpiredLeases(fixture.store, now)).toEqual([
      { id: added!.id, token: 1, owner: "gone", status: "dead" },
    ]);
    const details = await showTask(fixture.store, added!.id);
    expect(details?.task.error).toMatchObject({ code: "lease_expired" });
    expect(details?.attempts[0]?.outcome).toBe("lost");
  });
});
