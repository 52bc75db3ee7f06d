import { describe, expect, it } from "vitest";
import { QueueError } from "../../src/queue/queue-error.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { cancelTask } from "../../src/queue/tasks/cancel-task.js";
import { listTasks, showTask } from "../../src/queue/tasks/read-tasks.js";
import { describeEachStore } from "../helpers/stores.js";

/** The QueueError `promise` rejects with. */
async function queueError(promise: Promise<unknown>): Promise<QueueError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!QueueError.isInstance(error)) throw new Error(`expected a QueueError, got ${String(error)}`);
  return error;
}

describeEachStore("adding tasks", (fixture) => {
  it("adds ready tasks with defaults and returns their ids and statuses in order", async () => {
    const added = await addTasks(fixture.store, [
      { title: "one" },
      { key: "b", title: "two", priority: 5 },
    ]);
    expect(added.map((each) => [each.key, each.status, each.existing])).toEqual([
      [null, "ready", false],
      ["b", "ready", false],
    ]);
    const details = await showTask(fixture.store, added[1]!.id);
    expect(details?.task).toMatchObject({
      title: "two",
      queue: "default",
      kind: "agent",
      priority: 5,
      attempts: 0,
      maxAttempts: 3,
      timeoutMs: 600_000,
      status: "ready",
      capabilities: [],
      payload: null,
    });
  });

  it("makes tasks with pending dependencies or a later runAt wait, and resolves needs by key", async () => {
    const now = Date.now();
    const added = await addTasks(
      fixture.store,
      [
        { key: "build", title: "build" },
        { key: "test", title: "test", needs: ["build"] },
        { key: "later", title: "later", runAt: now + 60_000 },
      ],
      { now },
    );
    expect(added.map((each) => each.status)).toEqual(["ready", "waiting", "waiting"]);
    const test = await showTask(fixture.store, added[1]!.id);
    expect(test?.dependencies.map((each) => each.id)).toEqual([added[0]!.id]);
    expect(test?.task.pendingDependencies).toBe(1);
    // A later call can name the earlier task by id.
    const [deploy] = await addTasks(fixture.store, [{ title: "deploy", needs: [added[1]!.id] }]);
    expect(deploy?.status).toBe("waiting");
  });

  it("blocks a task whose dependency is already cancelled, with the reason", async () => {
    const [first] = await addTasks(fixture.store, [{ title: "first" }]);
    await cancelTask(fixture.store, first!.id);
    const [second] = await addTasks(fixture.store, [{ title: "second", needs: [first!.id] }]);
    expect(second?.status).toBe("blocked");
    const details = await showTask(fixture.store, second!.id);
    expect(details?.task.blockedReason).toContain(first!.id);
    expect(details?.task.blockedReason).toContain("cancelled");
  });

  it("returns the existing task, unchanged, for an idempotency key already present", async () => {
    const [first] = await addTasks(fixture.store, [{ title: "once", idempotencyKey: "k-1" }]);
    await cancelTask(fixture.store, first!.id);
    const again = await addTasks(fixture.store, [
      { key: "dup", title: "once, again", idempotencyKey: "k-1" },
      { title: "new" },
    ]);
    expect(again[0]).toEqual({ id: first!.id, key: "dup", status: "cancelled", existing: true });
    expect(again[1]?.existing).toBe(false);
    expect(await listTasks(fixture.store)).toHaveLength(2);
  });

  it("refuses an unknown dependency, naming the entry, and adds nothing", async () => {
    const error = await queueError(
      addTasks(fixture.store, [{ title: "fine" }, { key: "bad", title: "bad", needs: ["nope"] }]),
    );
    expect(error.code).toBe("queue.unknown_dependency");
    expect(error.index).toBe(1);
    expect(error.key).toBe("bad");
    expect(error.message).toContain('"nope"');
    expect(error.hint).toBeTruthy();
    expect(error.invalidInput).toBe(true);
    expect(await listTasks(fixture.store)).toEqual([]);
  });

  it("refuses a dependency cycle among the new tasks, naming its path", async () => {
    const error = await queueError(
      addTasks(fixture.store, [
        { key: "a", title: "a", needs: ["c"] },
        { key: "b", title: "b", needs: ["a"] },
        { key: "c", title: "c", needs: ["b"] },
        { key: "d", title: "d" },
      ]),
    );
    expect(error.code).toBe("queue.dependency_cycle");
    expect(error.message).toMatch(/"a"\) → .*"c"\) → .*"b"\) → .*"a"\)/);
    expect(await listTasks(fixture.store)).toEqual([]);
  });

  it("refuses a task that needs itself", async () => {
    const error = await queueError(
      addTasks(fixture.store, [{ key: "self", title: "s", needs: ["self"] }]),
    );
    expect(error.code).toBe("queue.dependency_cycle");
  });
});

describe("checking task entries", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["a priority above the range", { title: "t", priority: 1001 }, /priority 1001 .*-1000\.\.1000/],
    ["a priority below the range", { title: "t", priority: -1001 }, /priority -1001/],
    ["a fractional priority", { title: "t", priority: 1.5 }, /priority 1.5/],
    ["no title", { title: " " }, /has no title/],
    ["zero max attempts", { title: "t", maxAttempts: 0 }, /maxAttempts 0/],
    ["a negative timeout", { title: "t", timeoutMs: -5 }, /timeoutMs -5/],
    ["a timeout no timer can hold", { title: "t", timeoutMs: 2 ** 31 }, /longer than/],
    ["a queue that is not a name", { title: "t", queue: "a b" }, /queue "a b"/],
    ["capabilities that are not names", { title: "t", capabilities: [""] }, /capabilities/],
    ["a payload JSON cannot hold", { title: "t", payload: { big: 1n } }, /payload/],
  ];
  for (const [what, spec, message] of cases) {
    it(`refuses ${what}, naming the entry`, async () => {
      // Checked before the store is touched: no store needed.
      const error = await queueError(
        addTasks(undefined as never, [{ title: "fine" }, spec as never]),
      );
      expect(error.code).toBe("queue.invalid_task");
      expect(error.index).toBe(1);
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    });
  }

  it("refuses two entries with the same key", async () => {
    const error = await queueError(
      addTasks(undefined as never, [
        { key: "x", title: "a" },
        { key: "x", title: "b" },
      ]),
    );
    expect(error.message).toContain("also the key of entry 0");
  });
});
