import type { AgentHealth } from "../queue/agents/index.js";
import type { DueTaskCount } from "../queue/tasks/count-tasks.js";
import type { WorkerInfo } from "../queue/worker/worker-registry.js";

/** The outcome of one check of `orkestra health-check`. */
export interface HealthCheck {
  name: "store" | "workers" | "agents";
  /** `skip` when an earlier check failed and this one could not be made. */
  status: "ok" | "fail" | "skip";
  message: string;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** `1 task waits`, `3 tasks wait`. */
function tasksWait(count: number): string {
  return `${plural(count, "task")} ${count === 1 ? "waits" : "wait"}`;
}

/**
 * Fails when tasks wait for a worker (ready, or due to be promoted) on a queue that no live
 * worker serves; a worker serves the queues it registered with. Pure.
 */
export function workersCheck(
  alive: readonly WorkerInfo[],
  due: readonly DueTaskCount[],
): HealthCheck {
  const waiting = due.reduce((sum, queue) => sum + queue.count, 0);
  const served = new Set(alive.flatMap((worker) => worker.queues));
  const unserved = due.filter((queue) => queue.count > 0 && !served.has(queue.queue));
  const aliveText = `${alive.length} alive`;
  if (unserved.length === 0) {
    return {
      name: "workers",
      status: "ok",
      message:
        waiting === 0
          ? `${aliveText}; no task waits`
          : `${aliveText}; ${tasksWait(waiting)} for them`,
    };
  }
  const where = unserved.map((queue) => `${queue.queue}: ${queue.count}`).join(", ");
  const unservedCount = unserved.reduce((sum, queue) => sum + queue.count, 0);
  return {
    name: "workers",
    status: "fail",
    message:
      alive.length === 0
        ? `no worker is alive while ${tasksWait(unservedCount)} (${where}); start one with: orkestra worker`
        : `no live worker serves the queue${unserved.length === 1 ? "" : "s"} where ${tasksWait(unservedCount)} (${where}); ${aliveText} serve ${[...served].join(", ")}`,
  };
}

/** Fails when agents are configured and every one is failing (its ledger breaker is open). Pure. */
export function agentsCheck(health: readonly AgentHealth[]): HealthCheck {
  if (health.length === 0) return { name: "agents", status: "ok", message: "no agents configured" };
  const failing = health.filter((agent) => agent.failing);
  const describe = (agent: AgentHealth) =>
    `${agent.agent} (${agent.consecutiveFailures} consecutive failures, last ${agent.lastFailureKind ?? "unknown"})`;
  if (failing.length === health.length) {
    return {
      name: "agents",
      status: "fail",
      message: `every agent is failing: ${failing.map(describe).join(", ")}`,
    };
  }
  const healthy = `${health.length - failing.length} of ${plural(health.length, "agent")} not failing`;
  return {
    name: "agents",
    status: "ok",
    message:
      failing.length === 0 ? healthy : `${healthy}; failing: ${failing.map(describe).join(", ")}`,
  };
}
