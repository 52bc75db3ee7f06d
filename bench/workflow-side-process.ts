/**
 * A process that hosts one workflow benchmark side at a time, driven by `workflow-hosts.ts`
 * over IPC. The benchmarks rotate the sides over several such processes
 * (`harness/measure-sides.ts`), so one process's quirks (heap, JIT, core) do not stick to one side.
 */
import { collectGarbage } from "./run-calls.js";
import type { WorkflowOrder, WorkflowReply, WorkflowRun } from "./workflow-messages.js";
import type { WorkflowSide } from "./workflow-side.js";
import { createWorkflowSide } from "./workflow-sides.js";

let side: WorkflowSide | undefined;
let openedAs = "";

/**
 * `concurrency` workers each calling `runOnce` one call after another until `calls` are done or
 * `maxMs` has passed (no call starts after it): units/s = units / wall.
 */
async function runUnits(
  work: WorkflowSide,
  calls: number,
  concurrency: number,
  maxMs: number,
): Promise<WorkflowRun> {
  await collectGarbage();
  const queriesAtStart = work.queries
    ? {
        statements: work.queries.statements,
        batches: work.queries.batches,
        writes: work.queries.writes,
      }
    : undefined;
  let started = 0;
  let done = 0;
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < calls && performance.now() - startedAt < maxMs) {
        started += 1;
        // Not `done += await …`: that reads `done` before the await and loses the other workers' units.
        const finished = await work.runOnce();
        done += finished;
      }
    }),
  );
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  const counted =
    work.queries && queriesAtStart
      ? {
          statements: work.queries.statements - queriesAtStart.statements,
          batches: work.queries.batches - queriesAtStart.batches,
          writes: work.queries.writes - queriesAtStart.writes,
        }
      : {};
  return { units: done, wallMs, cpuUs: cpu.user + cpu.system, ...counted };
}

async function obey(order: WorkflowOrder): Promise<WorkflowReply> {
  if (order.type === "open") {
    const key = JSON.stringify([order.name, order.target]);
    if (key !== openedAs) {
      await side?.close();
      side = undefined;
      openedAs = "";
      side = await createWorkflowSide(order.name, order.target);
      openedAs = key;
    }
    return { type: "opened" };
  }
  if (!side) throw new Error("run before open");
  return {
    type: "ran",
    run: await runUnits(side, order.calls, order.concurrency, order.maxMs),
  };
}

process.on("message", (order: WorkflowOrder) => {
  obey(order).then(
    (message) => process.send?.(message),
    (error: unknown) =>
      process.send?.({
        type: "failed",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkflowReply),
  );
});
process.on("disconnect", () => {
  void (side?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
