import { afterEach, expect, it } from "vitest";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { showTask } from "../../src/queue/tasks/read-tasks.js";
import { Worker } from "../../src/queue/worker/worker.js";
import { describeEachStore } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";

let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop({ graceMs: 0 });
  worker = undefined;
});

describeEachStore("a task whose timeout is longer than a timer can wait", (fixture) => {
  it("runs to its end instead of timing out at once (setTimeout caps at 2^31-1 ms)", async () => {
    worker = new Worker({
      store: fixture.store,
      handlers: {
        slow: () => new Promise((resolve) => setTimeout(() => resolve("done"), 100)),
      },
      pollMs: 50,
    });
    await worker.start();
    // 30 days: a valid timeoutMs, beyond the largest delay setTimeout takes (about 24.8 days).
    const [task] = await addTasks(fixture.store, [
      { title: "long", kind: "slow", timeoutMs: 30 * 86_400_000, maxAttempts: 1 },
    ]);
    await waitFor(async () => (await showTask(fixture.store, task!.id))?.task.status !== "ready");
    await waitFor(async () => (await showTask(fixture.store, task!.id))?.task.status !== "running");
    const details = await showTask(fixture.store, task!.id);
    expect(details?.task.status).toBe("succeeded");
    expect(details?.attempts[0]?.outcome).toBe("succeeded");
  });
});
