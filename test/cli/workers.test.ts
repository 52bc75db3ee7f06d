import { expect, it } from "vitest";
import {
  listWorkers,
  markWorkerStopped,
  recordWorkerHeartbeat,
} from "../../src/queue/worker/worker-registry.js";
import { addWorker, describeCliStores } from "./task-cli-fixture.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describeCliStores("orkestra workers", {}, (fixture) => {
  it("says when no worker has registered", async () => {
    const run = await fixture.run(["workers"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("No workers have registered. Start one with: orkestra worker\n");
    expect(await fixture.json(["workers"])).toEqual({ success: true, workers: [] });
  });

  it("lists host, pid, status, last seen, current tasks and totals, marking silent ones lost", async () => {
    const store = await fixture.store();
    const hour = 3_600_000;
    // Silent for an hour with a 1 s heartbeat: lost. Started first, so listed last.
    await addWorker(store, {
      id: "w-silent",
      host: "build-2",
      pid: 7,
      heartbeatMs: 1_000,
      now: Date.now() - hour,
    });
    await addWorker(store, { id: "w-done", now: Date.now() - 1_000 });
    await markWorkerStopped(store, "w-done", { succeeded: 3, failed: 0 });
    await addWorker(store, { id: "w-live", queues: ["default", "reports"], concurrency: 8 });
    await recordWorkerHeartbeat(store, {
      id: "w-live",
      status: "running",
      succeeded: 12,
      failed: 2,
      currentTasks: 3,
    });

    const json = await fixture.json(["workers"]);
    const workers = json.workers as Record<string, unknown>[];
    expect(workers.map((worker) => [worker.id, worker.status])).toEqual([
      ["w-live", "running"],
      ["w-done", "stopped"],
      ["w-silent", "lost"],
    ]);
    expect(workers[0]).toEqual({
      id: "w-live",
      host: "build-1",
      pid: 4242,
      status: "running",
      queues: ["default", "reports"],
      agents: [],
      concurrency: 8,
      currentTasks: 3,
      succeeded: 12,
      failed: 2,
      heartbeatMs: 60_000,
      startedAt: expect.stringMatching(ISO),
      lastSeenAt: expect.stringMatching(ISO),
    });
    // Marked in the store, not only in the output.
    expect((await listWorkers(store)).find((worker) => worker.id === "w-silent")?.status).toBe(
      "lost",
    );

    const human = await fixture.run(["workers"]);
    const lines = human.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^ID\s+HOST\s+PID\s+STATUS\s+LAST SEEN\s+QUEUES\s+CURRENT\s+SUCCEEDED\s+FAILED$/,
    );
    expect(lines[1]).toMatch(
      /^w-live\s+build-1\s+4242\s+running\s+\S+ \S+ \(\d+s ago\)\s+default,reports\s+3\/8\s+12\s+2$/,
    );
    expect(lines[3]).toMatch(/^w-silent\s+build-2\s+7\s+lost\s+\S+ \S+ \(60m ago\)/);
  });
});
