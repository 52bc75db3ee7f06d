import type { OrkestraConfig } from "../config/index.js";
import { countRuns, type RunStatus } from "../engine/index.js";
import { usageReport } from "../models/usage/usage-report.js";
import type { AgentHealth } from "../queue/agents/index.js";
import type { WorkerInfo } from "../queue/worker/worker-registry.js";
import type { Store } from "../store/index.js";
import { agentHealth, currentWorkers, type QueueStatus, queueStatuses } from "./status-reads.js";

/** A run status that has not ended. */
export type InFlightRunStatus = Extract<RunStatus, "queued" | "running" | "waiting" | "paused">;

/** Run statuses that have not ended: the runs `status` counts as in flight. */
export const IN_FLIGHT_RUN_STATUSES: readonly InFlightRunStatus[] = [
  "queued",
  "running",
  "waiting",
  "paused",
];

const DAY_MS = 86_400_000;

/** Everything `orkestra status` shows. Times are epoch ms. */
export interface StatusReport {
  queues: QueueStatus[];
  workers: WorkerInfo[];
  agents: AgentHealth[];
  /** Runs in flight by status. */
  runs: Record<InFlightRunStatus, number>;
  spend: { since: number; usd: number; dailyBudgetUsd: number | null };
}

/** The whole status: queues, workers, agents' health, runs in flight, today's spend (UTC). */
export async function readStatus(
  store: Store,
  config: OrkestraConfig,
  now: number = Date.now(),
): Promise<StatusReport> {
  const since = Math.floor(now / DAY_MS) * DAY_MS;
  const workers = await currentWorkers(store, now);
  const [queues, agents, usage, runs] = await Promise.all([
    queueStatuses(store, now),
    agentHealth(store, config, now),
    usageReport(store, since, "day"),
    countRuns(store, IN_FLIGHT_RUN_STATUSES),
  ]);
  return {
    queues,
    workers,
    agents,
    runs,
    spend: { since, usd: usage.total.costUsd, dailyBudgetUsd: config.budget?.daily_usd ?? null },
  };
}
