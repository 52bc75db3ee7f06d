/**
 * One worker process of the queue bench, driven by `queue-worker-pool.ts` over IPC: runs one
 * side's worker at a time with a no-op handler whose only act is to note its start, and tells
 * the bench the pickup times (`picked`: the first only while draining, every one while idle).
 */
import { clockNow } from "./queue-clock.js";
import type { QueueWorkerMessage, QueueWorkerOrder } from "./queue-messages.js";
import { WORKER_APPLICATION_PREFIX } from "./queue-server-cpu.js";
import type { RunningWorker } from "./queue-side.js";
import { queueSideEntry } from "./queue-sides.js";

// Names this process's PostgreSQL connections (pg's default application_name), so the bench
// can find their server processes and time them (queue-server-cpu.ts).
process.env.PGAPPNAME = `${WORKER_APPLICATION_PREFIX}${process.pid}`;

let running: { worker: RunningWorker; cpuAtStart: NodeJS.CpuUsage; handled(): number } | undefined;

function send(message: QueueWorkerMessage): void {
  process.send?.(message);
}

async function obey(order: QueueWorkerOrder): Promise<QueueWorkerMessage> {
  switch (order.type) {
    case "ping":
      return { type: "pong", at: clockNow() };
    case "start": {
      if (running) throw new Error("start while a worker is running: stop it first");
      const side = await queueSideEntry(order.side).load();
      let handled = 0;
      const each = order.reports === "each";
      const worker = await side.startWorker(order.target, {
        maxConnections: order.maxConnections,
        onJobStart(seq) {
          handled += 1;
          if (each || handled === 1) send({ type: "picked", seq, at: clockNow() });
        },
      });
      running = { worker, cpuAtStart: process.cpuUsage(), handled: () => handled };
      return { type: "started" };
    }
    case "stop": {
      if (!running) throw new Error("stop without a running worker");
      const { worker, cpuAtStart, handled } = running;
      running = undefined;
      const cpu = process.cpuUsage(cpuAtStart);
      await worker.stop();
      return { type: "stopped", handled: handled(), cpuUs: cpu.user + cpu.system };
    }
  }
}

process.on("message", (order: QueueWorkerOrder) => {
  obey(order).then(send, (error: unknown) =>
    send({
      type: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
});
process.on("disconnect", () => {
  void (running?.worker.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
