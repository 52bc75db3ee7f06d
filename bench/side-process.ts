/**
 * One benchmark side in a process of its own, driven by `side-processes.ts` over IPC. Its own
 * heap, collector and JIT: garbage or memory one way of calling keeps alive (signals pinned
 * until their timers fire) is paid by that side alone, as it would be in a user's process.
 */
import { type BenchSide, createSides } from "./bench-sides.js";
import { collectGarbage, runCalls } from "./run-calls.js";
import type { SideOrder, SideReply } from "./side-messages.js";

let side: BenchSide | undefined;

function reply(message: SideReply): void {
  process.send?.(message);
}

async function obey(order: SideOrder): Promise<SideReply> {
  if (order.type === "open") {
    await side?.close();
    [side] = await createSides([order.name], order.baseURL, order.directory);
    return { type: "opened" };
  }
  if (order.type === "heap") {
    await collectGarbage();
    return { type: "heap", heapUsedBytes: process.memoryUsage().heapUsed };
  }
  if (!side) throw new Error("run before open");
  const run = await runCalls(side.call, order.calls, order.concurrency, side.settle);
  return {
    type: "ran",
    run: {
      latenciesUs: Array.from(run.latenciesUs),
      callsMs: run.callsMs,
      wallMs: run.wallMs,
      cpuUs: run.cpuUs,
      gcMs: run.gcMs,
    },
  };
}

process.on("message", (order: SideOrder) => {
  obey(order).then(reply, (error: unknown) =>
    reply({
      type: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
});
process.on("disconnect", () => {
  void (side?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
