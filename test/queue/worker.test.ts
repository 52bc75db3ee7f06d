import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import { QueueError } from "../../src/queue/queue-error.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { cancelTask } from "../../src/queue/tasks/cancel-task.js";
import { listTasks, showTask } from "../../src/queue/tasks/read-tasks.js";
import { Worker } from "../../src/queue/worker/worker.js";
import type { WorkerOptions } from "../../src/queue/worker/worker-options.js";
import { listWorkers } from "../../src/queue/worker/worker-registry.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";

let workers: Worker[] = [];

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop({ graceMs: 0 })));
  workers = [];
});

async function startWorker(
  options: Partial<WorkerOptions> & Pick<WorkerOptions, "store">,
): Promise<Worker> {
  const worker = new Worker({
    handlers: { agent: async () => "ok" },
    leaseMs: 5_000,
    pollMs: 50,
    ...options,
  });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function allFinished(store: Store, count: number): Promise<boolean> {
  const done = await listTasks(store, {
    status: ["succeeded", "dead", "cancelled"],
    limit: count + 1,
  });
  return done.length === count;
}

describeEachStore("the worker", (fixture) => {
  it("runs tasks with the handler of their kind and commits their results", async () => {
    const seen: string[] = [];
    await startWorker({
      store: fixture.store,
      handlers: {
        agent: async (task) => ({ echo: task.payload }),
        noop: (task) => {
          seen.push(task.title);
          return null;
        },
      },
    });
    const added = await addTasks(fixture.store, [
      { title: "ask", payload: { n: 1 } },
      { title: "nothing", kind: "noop" },
    ]);
    await waitFor(() => allFinished(fixture.store, 2), { what: "both tasks done" });
    expect((await showTask(fixture.store, added[0]!.id))?.task.result).toEqual({ echo: { n: 1 } });
    expect(seen).toEqual(["nothing"]);
  });

  it("survives handlers that throw, reject with anything or hang past their timeout", async () => {
    const worker = await startWorker({
      store: fixture.store,
      concurrency: 4,
      handlers: {
        throws: () => {
          throw new Error("sync boom");
        },
        rejects: () => Promise.reject("a string"),
        hangs: () => new Promise(() => {}),
        fine: () => "fine",
      },
    });
    const [throws, rejects, hangs, fine] = await addTasks(fixture.store, [
      { title: "t", kind: "throws", maxAttempts: 1 },
      { title: "r", kind: "rejects", maxAttempts: 1 },
      { title: "h", kind: "hangs", maxAttempts: 2, timeoutMs: 100 },
      { title: "f", kind: "fine" },
    ]);
    await waitFor(() => allFinished(fixture.store, 4), {
      what: "all four ended",
      timeoutMs: 10_000,
    });
    expect((await showTask(fixture.store, throws!.id))?.task.error).toMatchObject({
      message: "sync boom",
    });
    expect((await showTask(fixture.store, rejects!.id))?.task.error).toMatchObject({
      message: "a string",
    });
    const hung = await showTask(fixture.store, hangs!.id);
    expect(hung?.task).toMatchObject({ status: "dead", error: { code: "queue.timeout" } });
    expect(hung?.attempts.map((attempt) => attempt.outcome)).toEqual(["timeout", "timeout"]);
    expect((await showTask(fixture.store, fine!.id))?.task.status).toBe("succeeded");
    expect(worker.stats).toMatchObject({ succeeded: 1, failed: 5 - 1 });
  });

  it("batches completions: many tasks, few commits", async () => {
    const worker = await startWorker({
      store: fixture.store,
      concurrency: 50,
      handlers: { noop: () => null },
    });
    await addTasks(
      fixture.store,
      Array.from({ length: 300 }, (_, index) => ({ title: `n${index}`, kind: "noop" })),
    );
    await waitFor(() => allFinished(fixture.store, 300), {
      what: "300 tasks done",
      timeoutMs: 20_000,
    });
    const { succeeded, commitBatches, claimBatches, largestCommitBatch } = worker.stats;
    expect(succeeded).toBe(300);
    expect(commitBatches).toBeLessThanOrEqual(300 / 5);
    expect(claimBatches).toBeLessThanOrEqual(300 / 5);
    expect(largestCommitBatch).toBeGreaterThan(10);
  });

  it("releases dependants shared by tasks that finish at once on several workers", async () => {
    const stores = fixture.store.capabilities.multipleConnections
      ? [fixture.store, await fixture.open(), await fixture.open()]
      : [fixture.store, fixture.store];
    const ran: string[] = [];
    for (const store of stores) {
      await startWorker({
        store,
        concurrency: 20,
        handlers: { agent: (task) => ran.push(task.title) },
      });
    }
    const roots = Array.from({ length: 120 }, (_, index) => ({
      key: `r${index}`,
      title: `r${index}`,
    }));
    const joiners = Array.from({ length: 15 }, (_, index) => ({
      key: `j${index}`,
      title: `j${index}`,
      needs: roots.map((root) => root.key),
    }));
    const finale = { title: "finale", needs: joiners.map((joiner) => joiner.key) };
    await addTasks(fixture.store, [...roots, ...joiners, finale]);
    await waitFor(() => allFinished(fixture.store, 136), {
      what: "all 136 done",
      timeoutMs: 20_000,
    });
    expect(ran).toHaveLength(136);
    expect(ran.at(-1)).toBe("finale");
    const tasks = await listTasks(fixture.store, { limit: 200 });
    expect(
      tasks.every((task) => task.status === "succeeded" && task.pendingDependencies === 0),
    ).toBe(true);
  });

  it("keeps claiming while its commits lag behind its handlers", async () => {
    const worker = await startWorker({
      store: fixture.store,
      concurrency: 64,
      commitBatch: 4,
      commitDelayMs: 5,
      handlers: { noop: () => null },
    });
    await addTasks(
      fixture.store,
      Array.from({ length: 400 }, (_, index) => ({ title: `n${index}`, kind: "noop" })),
    );
    await waitFor(() => allFinished(fixture.store, 400), {
      what: "400 tasks done",
      timeoutMs: 20_000,
    });
    expect(worker.stats.largestCommitBatch).toBeLessThanOrEqual(4);
  });

  it("stops gracefully: finishes what it can within the grace period and releases the rest", async () => {
    const worker = await startWorker({
      store: fixture.store,
      concurrency: 2,
      handlers: {
        quick: async () => {
          await sleep(50);
          return "quick";
        },
        slow: (_task, context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener("abort", () => reject(context.signal.reason));
          }),
      },
    });
    const [quick, slow] = await addTasks(fixture.store, [
      { title: "quick", kind: "quick", priority: 1 },
      { title: "slow", kind: "slow" },
    ]);
    await waitFor(() => worker.stats.inFlight === 2, { what: "both running" });
    await worker.stop({ graceMs: 300 });
    expect((await showTask(fixture.store, quick!.id))?.task.status).toBe("succeeded");
    const released = await showTask(fixture.store, slow!.id);
    expect(released?.task).toMatchObject({ status: "ready", attempts: 0, leaseOwner: null });
    expect(released?.attempts[0]?.outcome).toBe("released");
    expect(worker.stats.released).toBe(1);
    const [registered] = await listWorkers(fixture.store);
    expect(registered).toMatchObject({ id: worker.id, status: "stopped", succeeded: 1 });
  });

  it("aborts a running task that is cancelled, at its next heartbeat", async () => {
    let reason: unknown;
    await startWorker({
      store: fixture.store,
      leaseMs: 600,
      heartbeatMs: 50,
      handlers: {
        agent: (_task, context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener("abort", () => {
              reason = context.signal.reason;
              reject(context.signal.reason);
            });
          }),
      },
    });
    const [task] = await addTasks(fixture.store, [{ title: "long" }]);
    await waitFor(async () => (await showTask(fixture.store, task!.id))?.task.status === "running");
    await cancelTask(fixture.store, task!.id);
    await waitFor(
      async () => (await showTask(fixture.store, task!.id))?.task.status === "cancelled",
      {
        what: "the task cancelled",
      },
    );
    expect(QueueError.isInstance(reason) && reason.code).toBe("queue.cancelled");
  });

  it("retries a failed task when its backoff ends, without waiting for the poll", async () => {
    let calls = 0;
    await startWorker({
      store: fixture.store,
      pollMs: 60_000,
      handlers: {
        agent: () => {
          calls += 1;
          if (calls === 1) throw Object.assign(new Error("try later"), { retryDelayMs: 150 });
          return "second time";
        },
      },
    });
    const [task] = await addTasks(fixture.store, [{ title: "flaky" }]);
    await waitFor(
      async () => (await showTask(fixture.store, task!.id))?.task.status === "succeeded",
      {
        what: "the retry succeeded",
      },
    );
    expect(
      (await showTask(fixture.store, task!.id))?.attempts.map((attempt) => attempt.outcome),
    ).toEqual(["failed", "succeeded"]);
  });

  it("wakes at once when another connection adds a task, though its poll is a minute", async () => {
    const started: number[] = [];
    const worker = await startWorker({
      store: fixture.store,
      pollMs: 60_000,
      handlers: {
        agent: () => {
          started.push(performance.now());
        },
      },
    });
    if (fixture.store.capabilities.notifications) expect(worker.listening).toBe(true);
    const other = await fixture.open();
    await sleep(100); // idle, waiting
    const latencies: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const before = performance.now();
      await addTasks(other, [{ title: `wake ${round}` }]);
      await waitFor(() => started.length === round + 1, {
        what: `task ${round} started`,
        timeoutMs: 2_000,
      });
      latencies.push((started[round] as number) - before);
      await sleep(20);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `[${fixture.dialect}] idle pickup latency, ms: ${latencies.map((each) => each.toFixed(1)).join(", ")}`,
    );
    expect(latencies[2]).toBeLessThan(100);
  });

  it("registers with the store and reports in", async () => {
    const worker = await startWorker({
      store: fixture.store,
      queues: ["a", "b"],
      concurrency: 3,
      agents: ["coder"],
    });
    const [info] = await listWorkers(fixture.store);
    expect(info).toMatchObject({
      id: worker.id,
      pid: process.pid,
      queues: ["a", "b"],
      agents: ["coder"],
      concurrency: 3,
      status: "running",
    });
  });
});
