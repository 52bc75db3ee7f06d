import type { OrkestraConfig } from "../config/index.js";
import { listRuns, type RunStatus } from "../engine/index.js";
import { usageReport } from "../models/usage/usage-report.js";
import { type AgentHealth, readAgentHealth } from "../queue/agents/index.js";
import { countDueTasks, countTasks } from "../queue/tasks/count-tasks.js";
import { TASK_STATUSES, type TaskStatus } from "../queue/tasks/task-types.js";
import { listWorkers, markLostWorkers, type WorkerInfo } from "../queue/worker/worker-registry.js";
import type { Store } from "../store/index.js";

/** A run status that has not ended. */
export type InFlightRunStatus = Extract<RunStatus, "queued" | "running" | "waiting" | "paused">;

/** Run statuses that have not ended: the runs `status` counts as in flight. */
export const IN_FLIGHT_RUN_STATUSES: readonly InFlightRunStatus[] = [
  "queued",
  "running",
  "waiting",
  "paused",
];

/** Runs are counted by listing them; far more in flight than this is not a real workload. */
const RUN_COUNT_LIMIT = 10_000;
const DAY_MS = 86_400_000;

/** Tasks of one queue by status, and how many of them wait only for a worker. */
export interface QueueStatus {
  queue: string;
  counts: Record<TaskStatus, number>;
  /** Ready, or waiting/failed with nothing pending and their time come. */
  due: number;
}

/** Everything `orkestra status` shows. Times are epoch ms. */
export interface StatusReport {
  queues: QueueStatus[];
  workers: WorkerInfo[];
  agents: AgentHealth[];
  /** Runs in flight by status. */
  runs: Record<InFlightRunStatus, number>;
  spend: { since: number; usd: number; dailyBudgetUsd: number | null };
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

/** The whole status: queues, workers, agents' health, runs in flight, today's spend (UTC). */
export async function readStatus(
  store: Store,
  config: OrkestraConfig,
  now: number = Date.now(),
): Promise<StatusReport> {
  const since = Math.floor(now / DAY_MS) * DAY_MS;
  const workers = await currentWorkers(store, now);
  const [queues, agents, usage, ...runLists] = await Promise.all([
    queueStatuses(store, now),
    agentHealth(store, config, now),
    usageReport(store, since, "day"),
    ...IN_FLIGHT_RUN_STATUSES.map((status) => listRuns(store, { status, limit: RUN_COUNT_LIMIT })),
  ]);
  const runs = Object.fromEntries(
    IN_FLIGHT_RUN_STATUSES.map((status, index) => [status, runLists[index]?.length ?? 0]),
  ) as Record<InFlightRunStatus, number>;
  return {
    queues,
    workers,
    agents,
    runs,
    spend: { since, usd: usage.total.costUsd, dailyBudgetUsd: config.budget?.daily_usd ?? null },
  };
}
