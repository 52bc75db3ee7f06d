import type { Store } from "../../store/index.js";
import type { AgentsConfig } from "./agent-definition.js";
import { type AgentHealthOptions, healthByAgent, readAgentHealth } from "./agent-health.js";
import { missingCapabilities, noAgentHas } from "./capability-coverage.js";
import { runningTasksByAgent } from "./running-tasks.js";
import {
  type AgentSignals,
  type AgentSuitability,
  type AgentTaskInput,
  scoreAgents,
} from "./suitability.js";

/** A task as `task explain` shows it. */
export interface ExplainedTask extends AgentTaskInput {
  id: string;
}

/** The document of `orkestra task explain <id> --json`. */
export interface TaskExplanation {
  task: { id: string; title: string; capabilities: string[] };
  /** Every agent, best first (see scoreAgents). */
  agents: AgentSuitability[];
  /** The agent the task would go to now, or null when none is eligible. */
  chosen: string | null;
  /** Why the task waits, when `chosen` is null: "no agent has capability design". */
  waitingBecause?: string;
}

export interface ExplainAssignmentInput {
  task: ExplainedTask;
  agents: AgentsConfig;
  health?: Readonly<Record<string, AgentSignals>>;
  running?: Readonly<Record<string, number>>;
}

/** The explanation from health and load already read. Pure. */
export function explainAssignment(input: ExplainAssignmentInput): TaskExplanation {
  const ranking = scoreAgents(input);
  const chosen = ranking.find((entry) => entry.eligible)?.agent ?? null;
  const explanation: TaskExplanation = {
    task: {
      id: input.task.id,
      title: input.task.title,
      capabilities: [...input.task.capabilities],
    },
    agents: ranking,
    chosen,
  };
  if (chosen === null) explanation.waitingBecause = waitingReason(input, ranking);
  return explanation;
}

/** Everything `task explain` needs, read from the store: health from the ledger, running load. */
export type ExplainTaskOptions = Omit<AgentHealthOptions, "agents"> & { agents: AgentsConfig };

/**
 * Reads agent health and running tasks from `store` and explains where `task` goes. Needs the
 * queue's `tasks` table (for the running load).
 */
export async function explainTask(
  store: Store,
  task: ExplainedTask,
  options: ExplainTaskOptions,
): Promise<TaskExplanation> {
  const [health, running] = await Promise.all([
    readAgentHealth(store, options),
    runningTasksByAgent(store),
  ]);
  return explainAssignment({
    task,
    agents: options.agents,
    health: healthByAgent(health),
    running,
  });
}

function waitingReason(
  input: ExplainAssignmentInput,
  ranking: readonly AgentSuitability[],
): string {
  if (ranking.length === 0) {
    return "no agents are configured (add them under agents: in orkestra.yaml)";
  }
  const missing = missingCapabilities(input.task.capabilities, input.agents);
  if (missing.length > 0) return noAgentHas(missing);
  const capable = ranking.filter((entry) => entry.components.capability === 1);
  if (capable.length === 0) {
    return `no agent has all of the capabilities ${input.task.capabilities.join(", ")}`;
  }
  const excluded = capable.map((entry) => `${entry.agent} ${entry.reasons.join(", ")}`);
  return `no capable agent is available: ${excluded.join("; ")}`;
}
