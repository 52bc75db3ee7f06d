/**
 * A process that hosts one benchmark side at a time, driven by `side-processes.ts` over IPC.
 * Benchmarks rotate the sides over several such processes (`harness/measure-sides.ts`), so a
 * process's own quirks do not stick to one side. Its own heap, collector and JIT: garbage or
 * memory one side keeps alive is paid by that process alone, as it would be in a user's.
 */
import type { BenchSide } from "./bench-side.js";
import { createSide } from "./bench-sides.js";
import { collectGarbage, runCalls } from "./run-calls.js";
import type { SideOrder, SideReply } from "./side-messages.js";

let side: BenchSide | undefined;
let openedAs = "";

function reply(message: SideReply): void {
  process.send?.(message);
}

async function obey(order: SideOrder): Promise<SideReply> {
  if (order.type === "open") {
    const key = JSON.stringify([order.name, order.target]);
    if (key !== openedAs) {
      await side?.close();
      side = undefined;
      openedAs = "";
      side = await createSide(order.name, order.target);
      openedAs = key;
    }
    return { type: "opened" };
  }
  if (order.type === "heap") {
    await collectGarbage();
    return { type: "heap", heapUsedBytes: process.memoryUsage().heapUsed };
  }
  if (!side) throw new Error("run before open");
  const run = await runCalls(side.call, order.calls, order.concurrency, side.settle, order.maxMs);
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
