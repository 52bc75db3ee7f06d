import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import { QueueError } from "../../src/queue/queue-error.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import { recoverExpiredLeases } from "../../src/queue/tasks/recover-expired-leases.js";
import { runWorkerProcess } from "../../src/queue/worker/run-worker-process.js";
import { Worker } from "../../src/queue/worker/worker.js";
import {
  listWorkers,
  markLostWorkers,
  recordWorkerHeartbeat,
  registerWorker,
} from "../../src/queue/worker/worker-registry.js";
import { describeEachStore } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";

let workers: Worker[] = [];

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop({ graceMs: 0 })));
  workers = [];
});

describeEachStore("leases, the registry and the worker process", (fixture) => {
  it("aborts a task whose lease was taken, and its late result is refused and recorded", async () => {
    let reason: unknown;
    let finish: () => void = () => {};
    const worker = new Worker({
      store: fixture.store,
      leaseMs: 400,
      heartbeatMs: 50,
      pollMs: 50,
      handlers: {
        agent: (_task, context) =>
          new Promise((resolve) => {
            context.signal.addEventListener("abort", () => {
              reason = context.signal.reason;
            });
            finish = () => resolve("late result");
          }),
      },
    });
    workers.push(worker);
    await worker.start();
    const [task] = await addTasks(fixture.store, [{ title: "contested" }]);
    await waitFor(() => worker.stats.inFlight === 1, { what: "the task running" });
    // As if the worker had been paused past its lease: someone else takes the task back.
    await recoverExpiredLeases(fixture.store, Date.now() + 60_000);
    await waitFor(() => reason !== undefined, { what: "the handler aborted" });
    expect(QueueError.isInstance(reason) && reason.code).toBe("queue.lease_lost");
    expect(worker.stats.inFlight).toBe(0);
    finish();
    await waitFor(() => worker.stats.refused === 1, { what: "the late result refused" });
    const details = await showTask(fixture.store, task!.id);
    expect(details?.task.status).toBe("failed");
    expect(details?.task.result).toBeNull();
    expect(details?.attempts[0]).toMatchObject({
      outcome: "refused",
      error: { previousOutcome: "lost" },
    });
  });

  it("marks a silent worker lost, and a heartbeat brings it back", async () => {
    const now = Date.now();
    await registerWorker(fixture.store, {
      id: "quiet",
      host: "h",
      pid: 1,
      queues: ["default"],
      concurrency: 1,
      heartbeatMs: 100,
      now: now - 10_000,
    });
    await registerWorker(fixture.store, {
      id: "chatty",
      host: "h",
      pid: 2,
      queues: ["default"],
      concurrency: 1,
      heartbeatMs: 100,
      now,
    });
    expect(await markLostWorkers(fixture.store, now)).toEqual(["quiet"]);
    const byId = async () =>
      new Map((await listWorkers(fixture.store)).map((info) => [info.id, info.status]));
    expect(await byId()).toEqual(
      new Map([
        ["quiet", "lost"],
        ["chatty", "running"],
      ]),
    );
    await recordWorkerHeartbeat(fixture.store, {
      id: "quiet",
      status: "running",
      succeeded: 3,
      failed: 1,
      currentTasks: 0,
      now,
    });
    expect((await byId()).get("quiet")).toBe("running");
    expect(await listWorkers(fixture.store, { status: ["lost"] })).toEqual([]);
  });

  it("runs a worker until a signal, and a second signal ends the grace period", async () => {
    const started: string[] = [];
    let stopped = false;
    const run = runWorkerProcess({
      store: fixture.store,
      signals: ["SIGUSR2"],
      graceMs: 60_000,
      pollMs: 50,
      handlers: {
        agent: (task) => {
          started.push(task.id);
          return new Promise(() => {}); // never ends
        },
      },
    }).then((stats) => {
      stopped = true;
      return stats;
    });
    const [task] = await addTasks(fixture.store, [{ title: "endless" }]);
    await waitFor(() => started.length === 1, { what: "the task started" });
    process.emit("SIGUSR2");
    await sleep(200);
    expect(stopped).toBe(false); // in its grace period
    process.emit("SIGUSR2");
    const stats = await run;
    expect(stats.released).toBe(1);
    expect((await showTask(fixture.store, task!.id))?.task.status).toBe("ready");
    expect((await listWorkers(fixture.store))[0]?.status).toBe("stopped");
  });
});
