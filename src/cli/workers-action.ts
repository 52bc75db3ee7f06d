import { listWorkers, markLostWorkers, type WorkerInfo } from "../queue/worker/worker-registry.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { isoTime, tableTime } from "./iso-time.js";

/** One worker in `orkestra workers --json` and `status --json`: a public contract. */
export function workerJson(worker: WorkerInfo): Record<string, unknown> {
  return {
    id: worker.id,
    host: worker.host,
    pid: worker.pid,
    status: worker.status,
    queues: worker.queues,
    agents: worker.agents,
    concurrency: worker.concurrency,
    currentTasks: worker.currentTasks,
    succeeded: worker.succeeded,
    failed: worker.failed,
    heartbeatMs: worker.heartbeatMs,
    startedAt: isoTime(worker.startedAt),
    lastSeenAt: isoTime(worker.lastSeenAt),
  };
}

/**
 * `orkestra workers`. Workers silent for longer than their missed-heartbeat allowance are
 * marked lost first (their leases are left to expire), so the list says what is true now.
 */
export async function runWorkers(context: CliContext): Promise<number> {
  const store = await context.store();
  const now = Date.now();
  await markLostWorkers(store, now);
  const workers = await listWorkers(store);
  if (context.options.json) {
    context.printJson({ success: true, workers: workers.map(workerJson) });
    return EXIT_OK;
  }
  if (workers.length === 0) {
    context.print("No workers have registered. Start one with: orkestra worker");
    return EXIT_OK;
  }
  context.print(
    formatTable(workers, [
      { header: "ID", value: (worker) => worker.id },
      { header: "HOST", value: (worker) => worker.host },
      { header: "PID", value: (worker) => String(worker.pid), align: "right" },
      { header: "STATUS", value: (worker) => worker.status },
      {
        header: "LAST SEEN",
        value: (worker) => `${tableTime(worker.lastSeenAt)} (${ago(now - worker.lastSeenAt)})`,
      },
      { header: "QUEUES", value: (worker) => worker.queues.join(",") },
      {
        header: "CURRENT",
        value: (worker) => `${worker.currentTasks}/${worker.concurrency}`,
        align: "right",
      },
      { header: "SUCCEEDED", value: (worker) => String(worker.succeeded), align: "right" },
      { header: "FAILED", value: (worker) => String(worker.failed), align: "right" },
    ]),
  );
  return EXIT_OK;
}

/** `4s ago`, `12m ago`, `3h ago`, `2d ago`. */
function ago(elapsedMs: number): string {
  const seconds = Math.max(0, Math.round(elapsedMs / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
