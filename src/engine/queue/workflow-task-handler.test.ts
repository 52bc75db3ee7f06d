import { afterEach, expect, it } from "vitest";
import { describeEachStore } from "../../../test/helpers/stores.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { addTasks } from "../../queue/tasks/add-tasks.js";
import { cancelTask } from "../../queue/tasks/cancel-task.js";
import { listTasks, showTask } from "../../queue/tasks/read-tasks.js";
import { Worker } from "../../queue/worker/worker.js";
import type { Store } from "../../store/index.js";
import { approve, listApprovals } from "../approvals/approval-records.js";
import { workflow } from "../builder/workflow-builder.js";
import { startRun } from "../run/run-api.js";
import { takeRunLease } from "../run/run-lease.js";
import { engineDb } from "../store/engine-db.js";
import { findRun } from "../store/run-records.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import { continueDetachedRun, enqueueRun } from "./enqueue-run.js";
import { WORKFLOW_QUEUE, workflowTaskKey } from "./workflow-task.js";
import {
  createWorkflowTaskHandler,
  type WorkflowTaskHandlerOptions,
} from "./workflow-task-handler.js";

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop({ graceMs: 0 })));
  workers = [];
});

/** A definition as if loaded from a file (workers refuse runs started by a program). */
function fromFile(definition: WorkflowDefinition): WorkflowDefinition {
  return { ...definition, source: `/virtual/${definition.name}.yaml` };
}

/** Two code steps; `slow` waits on `gate` (resolved by the test) and logs every execution. */
function twoSteps(log: string[], gate: Promise<void>) {
  return fromFile(
    workflow("two")
      .input("who", { type: "string" })
      .step("fast", {
        run: (context) => {
          log.push(`fast ${context.attempt}`);
          return `hi ${context.inputs.who}`;
        },
      })
      .step("slow", {
        needs: ["fast"],
        run: async (context) => {
          log.push(`slow ${context.attempt}`);
          await Promise.race([
            gate,
            new Promise((_, reject) =>
              context.signal.addEventListener("abort", () => reject(context.signal.reason)),
            ),
          ]);
          return "done";
        },
      })
      .build(),
  );
}

async function startWorker(
  store: Store,
  definition: WorkflowDefinition,
  extra: Partial<WorkflowTaskHandlerOptions> = {},
): Promise<Worker> {
  const worker = new Worker({
    store,
    queues: [WORKFLOW_QUEUE],
    handlers: {
      workflow: createWorkflowTaskHandler({
        store,
        loadDefinition: async () => definition,
        pollIntervalMs: 20,
        leaseHeartbeatMs: 50,
        ...extra,
      }),
    },
    leaseMs: 2_000,
    pollMs: 50,
  });
  workers.push(worker);
  await worker.start();
  return worker;
}

async function taskOf(store: Store, taskId: string) {
  return (await showTask(store, taskId))?.task;
}

describeEachStore("workflow tasks", (fixture) => {
  it("enqueues a queued run with its task in one go; bad inputs leave neither", async () => {
    const definition = twoSteps([], Promise.resolve());
    await expect(enqueueRun(fixture.store, definition, { inputs: {} })).rejects.toMatchObject({
      code: "workflow.input",
    });
    expect(await listTasks(fixture.store)).toEqual([]);
    const enqueued = await enqueueRun(fixture.store, definition, { inputs: { who: "Ada" } });
    expect((await findRun(fixture.store, enqueued.runId))?.status).toBe("queued");
    const task = await taskOf(fixture.store, enqueued.taskId);
    expect(task).toMatchObject({
      kind: "workflow",
      queue: "workflows",
      status: "ready",
      payload: { runId: enqueued.runId },
      idempotencyKey: workflowTaskKey(enqueued.runId),
    });
  });

  it("drives a detached run on a worker; the task's result is what became of the run", async () => {
    const log: string[] = [];
    const definition = twoSteps(log, Promise.resolve());
    await startWorker(fixture.store, definition);
    const { runId, taskId } = await enqueueRun(fixture.store, definition, {
      inputs: { who: "Ada" },
    });
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "succeeded", {
      what: "the workflow task done",
    });
    expect((await taskOf(fixture.store, taskId))?.result).toMatchObject({
      runId,
      workflow: "two",
      status: "succeeded",
      success: true,
    });
    expect(log).toEqual(["fast 1", "slow 1"]);
    // The run is done: a second task for it finds it ended and says so without driving it.
    const [again] = await addTasks(fixture.store, [
      { title: "again", kind: "workflow", queue: WORKFLOW_QUEUE, payload: { runId } },
    ]);
    await waitFor(async () => (await taskOf(fixture.store, again!.id))?.status === "succeeded");
    expect(log).toHaveLength(2);
  });

  it("gives the run's lease up when its worker stops; another worker resumes where it was", async () => {
    const log: string[] = [];
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const definition = twoSteps(log, gate);
    const first = await startWorker(fixture.store, definition);
    const { runId, taskId } = await enqueueRun(fixture.store, definition, {
      inputs: { who: "Ada" },
    });
    await waitFor(() => log.includes("slow 1"), { what: "the slow step started" });
    const before = await findRun(fixture.store, runId);
    await first.stop({ graceMs: 0 });
    const yielded = await findRun(fixture.store, runId);
    expect(yielded).toMatchObject({ status: "running", lease_owner: null });
    expect(Number(yielded?.fencing_token)).toBe(Number(before?.fencing_token) + 1);
    expect((await showTask(fixture.store, taskId))?.attempts[0]?.outcome).toBe("released");

    open();
    await startWorker(fixture.store, definition);
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "succeeded");
    expect((await findRun(fixture.store, runId))?.status).toBe("succeeded");
    // The committed step ran once; the one in flight at the stop ran again.
    expect(log).toEqual(["fast 1", "slow 1", "slow 2"]);
  });

  it("waits for a run whose lease another process holds, then drives it", async () => {
    const definition = twoSteps([], Promise.resolve());
    const { runId, taskId } = await enqueueRun(fixture.store, definition, {
      inputs: { who: "Ada" },
    });
    // A live holder elsewhere (this process's pid is alive), whose lease lapses in 400 ms.
    await takeRunLease(fixture.store, runId, "elsewhere", { now: Date.now(), ttlMs: 400 });
    await startWorker(fixture.store, definition);
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "succeeded");
    const attempts = (await showTask(fixture.store, taskId))?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(["succeeded"]);
  });

  it("fails an attempt retryably, after the lease's remaining time, when the wait would be too long", async () => {
    const definition = twoSteps([], Promise.resolve());
    const { runId, taskId } = await enqueueRun(fixture.store, definition, {
      inputs: { who: "Ada" },
    });
    await takeRunLease(fixture.store, runId, "elsewhere", { now: Date.now(), ttlMs: 600 });
    await startWorker(fixture.store, definition, { leaseWaitMs: 10 });
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "succeeded", {
      timeoutMs: 8_000,
    });
    const attempts = (await showTask(fixture.store, taskId))?.attempts ?? [];
    expect(attempts[0]?.error).toMatchObject({ code: "workflow_task.run_busy" });
    expect(attempts.at(-1)?.outcome).toBe("succeeded");
  });

  it("completes the task when the run waits for a person; approving enqueues its continuation", async () => {
    const definition = fromFile(
      workflow("gated")
        .approval("gate", { title: "Go?", prompt: "Go?" })
        .step("after", { needs: ["gate"], run: () => "went" })
        .build(),
    );
    await startWorker(fixture.store, definition);
    const { runId, taskId } = await enqueueRun(fixture.store, definition);
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "succeeded");
    expect((await taskOf(fixture.store, taskId))?.result).toMatchObject({ status: "waiting" });

    const [pending] = await listApprovals(fixture.store);
    await approve(fixture.store, pending!.id, { actor: "test" });
    const continued = await continueDetachedRun(fixture.store, runId, `approval:${pending!.id}`);
    expect(continued).toMatchObject({ runId, queue: WORKFLOW_QUEUE, existing: false });
    expect(
      await continueDetachedRun(fixture.store, runId, `approval:${pending!.id}`),
    ).toMatchObject({ taskId: continued?.taskId, existing: true });
    await waitFor(async () => (await findRun(fixture.store, runId))?.status === "succeeded");
  });

  it("continues nothing for a run that was not detached", async () => {
    const definition = fromFile(
      workflow("plain")
        .step("a", { run: () => 1 })
        .build(),
    );
    const handle = await startRun(definition, { store: fixture.store });
    await handle.done;
    expect(await continueDetachedRun(fixture.store, handle.runId, "approval:x")).toBeUndefined();
  });

  it("cancels the run when its task is cancelled", async () => {
    const log: string[] = [];
    const definition = twoSteps(log, new Promise(() => {}));
    await startWorker(fixture.store, definition);
    const { runId, taskId } = await enqueueRun(fixture.store, definition, {
      inputs: { who: "Ada" },
    });
    await waitFor(() => log.includes("slow 1"));
    await cancelTask(fixture.store, taskId);
    await waitFor(async () => (await findRun(fixture.store, runId))?.status === "cancelled", {
      what: "the run cancelled",
    });
    await waitFor(async () => (await taskOf(fixture.store, taskId))?.status === "cancelled");
  });

  it("kills a task whose payload names no run, and one whose run was started by a program", async () => {
    const definition = workflow("program")
      .step("a", { run: () => 1 })
      .build();
    const handle = await startRun(definition, { store: fixture.store });
    await handle.done;
    await engineDb(fixture.store)
      .updateTable("runs")
      .set({ status: "paused" })
      .where("id", "=", handle.runId)
      .execute();
    await startWorker(fixture.store, definition);
    const [bad, builder] = await addTasks(fixture.store, [
      { title: "bad", kind: "workflow", queue: WORKFLOW_QUEUE, payload: { run: 1 } },
      {
        title: "builder",
        kind: "workflow",
        queue: WORKFLOW_QUEUE,
        payload: { runId: handle.runId },
      },
    ]);
    await waitFor(async () => (await taskOf(fixture.store, builder!.id))?.status === "dead");
    await waitFor(async () => (await taskOf(fixture.store, bad!.id))?.status === "dead");
    expect((await taskOf(fixture.store, bad!.id))?.error).toMatchObject({
      code: "workflow_task.payload",
    });
    expect((await taskOf(fixture.store, builder!.id))?.error).toMatchObject({
      code: "workflow_task.source",
    });
  });
});
