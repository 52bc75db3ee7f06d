import type { AgentHealth } from "../queue/agents/index.js";
import { TASK_STATUSES, type TaskStatus } from "../queue/tasks/task-types.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";
import { isoTime } from "./iso-time.js";
import { aliveWorkers } from "./status-reads.js";
import { readStatus, type StatusReport } from "./status-report.js";

/** `orkestra status`. */
export async function runStatus(context: CliContext): Promise<number> {
  const [{ config }, store] = await Promise.all([context.config(), context.store()]);
  const report = await readStatus(store, config);
  if (context.options.json) context.printJson(statusJson(report));
  else printStatus(context, report);
  return EXIT_OK;
}

/** `orkestra status --json`: the shape is a public contract (README, Tasks and workers). */
export function statusJson(report: StatusReport): Record<string, unknown> {
  const alive = aliveWorkers(report.workers);
  const inFlight = Object.values(report.runs).reduce((sum, count) => sum + count, 0);
  return {
    success: true,
    tasks: {
      total: totals(report),
      queues: report.queues.map((queue) => ({
        queue: queue.queue,
        counts: queue.counts,
        due: queue.due,
      })),
    },
    workers: {
      alive: alive.length,
      lost: report.workers.filter((worker) => worker.status === "lost").length,
      stopped: report.workers.filter((worker) => worker.status === "stopped").length,
      currentTasks: alive.reduce((sum, worker) => sum + worker.currentTasks, 0),
    },
    agents: report.agents.map(agentHealthJson),
    runs: { inFlight, byStatus: report.runs },
    spend: {
      todayUsd: report.spend.usd,
      since: isoTime(report.spend.since),
      dailyBudgetUsd: report.spend.dailyBudgetUsd,
    },
  };
}

/** An agent's health with its window's start as an ISO time, as every `--json` time is. */
export function agentHealthJson(health: AgentHealth): Record<string, unknown> {
  return { ...health, since: isoTime(health.since) };
}

function totals(report: StatusReport): Record<TaskStatus, number> {
  const sums = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<
    TaskStatus,
    number
  >;
  for (const queue of report.queues) {
    for (const status of TASK_STATUSES) sums[status] += queue.counts[status];
  }
  return sums;
}

function printStatus(context: CliContext, report: StatusReport): void {
  if (report.queues.length === 0) context.print("Tasks: none.");
  else {
    context.print("Tasks:");
    context.print(
      formatTable(report.queues, [
        { header: "QUEUE", value: (queue) => queue.queue },
        ...TASK_STATUSES.map((status) => ({
          header: status.toUpperCase(),
          value: (queue: StatusReport["queues"][number]) => String(queue.counts[status]),
          align: "right" as const,
        })),
        { header: "DUE", value: (queue) => String(queue.due), align: "right" },
      ]),
    );
  }
  context.print("");

  const alive = aliveWorkers(report.workers);
  const lost = report.workers.filter((worker) => worker.status === "lost").length;
  const busy = alive.reduce((sum, worker) => sum + worker.currentTasks, 0);
  context.print(
    `Workers: ${alive.length} alive (${busy} task${busy === 1 ? "" : "s"} in hand), ${lost} lost`,
  );
  context.print("");

  if (report.agents.length === 0) context.print("Agents: none configured.");
  else {
    context.print("Agents (last hour, from the ledger):");
    context.print(
      formatTable(report.agents, [
        { header: "AGENT", value: (agent) => agent.agent },
        { header: "CALLS", value: (agent) => String(agent.calls), align: "right" },
        {
          header: "SUCCESS",
          value: (agent) =>
            agent.successRate === null ? "-" : `${Math.round(agent.successRate * 100)}%`,
          align: "right",
        },
        { header: "P50", value: (agent) => milliseconds(agent.latencyMs.p50), align: "right" },
        { header: "P95", value: (agent) => milliseconds(agent.latencyMs.p95), align: "right" },
        {
          header: "BREAKER",
          value: (agent) => (agent.failing ? "open (failing)" : agent.breaker.state),
        },
        {
          header: "ERRORS",
          value: (agent) => agent.errorKinds.map((each) => `${each.kind} ${each.count}`).join(", "),
        },
      ]),
    );
  }
  context.print("");

  const inFlight = Object.values(report.runs).reduce((sum, count) => sum + count, 0);
  const byStatus = Object.entries(report.runs)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${status} ${count}`);
  context.print(
    `Runs in flight: ${inFlight}${byStatus.length === 0 ? "" : ` (${byStatus.join(", ")})`}`,
  );
  const budget =
    report.spend.dailyBudgetUsd === null
      ? ""
      : ` of a ${formatUsd(report.spend.dailyBudgetUsd)} daily budget`;
  context.print(`Spend today (UTC): ${formatUsd(report.spend.usd)}${budget}`);
}

function milliseconds(value: number | null): string {
  return value === null ? "-" : `${Math.round(value)}ms`;
}
