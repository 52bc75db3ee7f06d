import type { OrkestraConfig } from "../config/index.js";
import { readAgentHealth } from "../queue/agents/index.js";
import { countDueTasks } from "../queue/tasks/count-tasks.js";
import { countTasks } from "../queue/tasks/read-tasks.js";
import { TASK_STATUSES, type TaskStatus } from "../queue/tasks/task-types.js";
import { listWorkers, markLostWorkers, type WorkerInfo } from "../queue/worker/worker-registry.js";
import type { Store } from "../store/index.js";

// The queue's and the ledger's part of the status, without the engine: `health-check` loads
// only this (test/cli/startup-modules.test.ts).

/** Tasks of one queue by status, and how many of them wait only for a worker. */
export interface QueueStatus {
  queue: string;
  counts: Record<TaskStatus, number>;
  /** Ready, or waiting/failed with nothing pending and their time come. */
  due: number;
}

/** Agent health from the ledger, with the configuration's breaker threshold and cool-down. */
export function agentHealth(store: Store, config: OrkestraConfig, now: number) {
  return readAgentHealth(store, {
    agents: config.agents,
    fallbacks: config.fallbacks,
    failureThreshold: config.gateway.breaker.failureThreshold,
    cooldownMs: config.gateway.breaker.cooldownMs,
    now,
  });
}

/** Tasks per queue with every status present (zeros included), and the due ones. */
export async function queueStatuses(store: Store, now: number): Promise<QueueStatus[]> {
  const [counts, due] = await Promise.all([countTasks(store), countDueTasks(store, now)]);
  const byQueue = new Map<string, QueueStatus>();
  const entry = (queue: string): QueueStatus => {
    let found = byQueue.get(queue);
    if (found === undefined) {
      const zeros = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0]));
      found = { queue, counts: zeros as Record<TaskStatus, number>, due: 0 };
      byQueue.set(queue, found);
    }
    return found;
  };
  for (const count of counts) entry(count.queue).counts[count.status] = count.count;
  for (const count of due) entry(count.queue).due = count.count;
  return [...byQueue.values()].sort((left, right) => (left.queue < right.queue ? -1 : 1));
}

/** Workers after marking the silent ones lost. */
export async function currentWorkers(store: Store, now: number): Promise<WorkerInfo[]> {
  await markLostWorkers(store, now);
  return listWorkers(store);
}

/** Workers that are alive: running, or stopping while they finish what they hold. */
export function aliveWorkers(workers: readonly WorkerInfo[]): WorkerInfo[] {
  return workers.filter((worker) => worker.status === "running" || worker.status === "stopping");
}
