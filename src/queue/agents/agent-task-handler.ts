import { didYouMean } from "../../config/index.js";
import type { Gateway, TokenUsage } from "../../models/index.js";
import { type AgentsConfig, ownValue } from "./agent-definition.js";
import { AgentError } from "./agent-error.js";

/** What the handler reads of a task. */
export interface AgentTask {
  id: string;
  title: string;
  instructions: string;
  /** Parsed JSON, sent with the instructions; null or undefined for none. */
  payload: unknown;
  /** The agent assigned to the task. */
  agent: string | null;
}

/** What the worker gives every handler call. */
export interface AgentTaskContext {
  /** Aborted when the task times out, its lease is lost or the worker shuts down. */
  signal: AbortSignal;
}

/** The task's result: the agent's answer. */
export interface AgentTaskResult {
  text: string;
  /** The alias that answered (a member of the agent's chain, when it has one). */
  model: string;
  usage: TokenUsage;
  costUsd: number;
}

export type AgentTaskHandler = (
  task: AgentTask,
  context: AgentTaskContext,
) => Promise<AgentTaskResult>;

export interface AgentTaskHandlerOptions {
  gateway: Pick<Gateway, "generate">;
  /** The configuration's `agents:`. */
  agents: AgentsConfig;
}

/**
 * The handler of a task without one of its own: its agent's model does it. The agent's role is
 * the system prompt; the prompt is the instructions (the title when they are empty) and the
 * payload as fenced JSON. The call goes through the gateway like any other (budget, retries,
 * fallbacks, breaker) with the ledger row tied to the task, and stops when `signal` aborts.
 * Fails with an AgentError when the task has no agent or an unknown one, and with the
 * gateway's ModelError when the model gives no answer.
 */
export function createAgentTaskHandler(options: AgentTaskHandlerOptions): AgentTaskHandler {
  return async (task, context) => {
    const agent = agentOf(task, options.agents);
    const result = await options.gateway.generate({
      model: agent.model,
      ...(agent.role === undefined ? {} : { system: agent.role }),
      prompt: agentPrompt(task),
      signal: context.signal,
      taskId: task.id,
    });
    return {
      text: result.text,
      model: result.model,
      usage: result.usage,
      costUsd: result.costUsd,
    };
  };
}

/**
 * The prompt an agent gets for `task`: the instructions, then the payload (when there is one)
 * as JSON in a fence longer than any run of backticks inside it.
 */
export function agentPrompt(task: Pick<AgentTask, "title" | "instructions" | "payload">): string {
  const instructions = task.instructions.trim() === "" ? task.title : task.instructions;
  if (task.payload === undefined || task.payload === null) return instructions;
  const json = JSON.stringify(task.payload, null, 2);
  const longestRun = Math.max(0, ...(json.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${instructions}\n\nPayload (JSON):\n${fence}json\n${json}\n${fence}`;
}

function agentOf(task: AgentTask, agents: AgentsConfig) {
  if (task.agent === null || task.agent === "") {
    throw new AgentError(`task ${task.id} has no agent to do it`, {
      code: "agent.unassigned",
      hint: "Assign the task to an agent before running it, or give it a handler of its own.",
    });
  }
  const agent = ownValue(agents, task.agent);
  if (agent === undefined) {
    const names = Object.keys(agents);
    const suggestion = didYouMean(task.agent, names);
    throw new AgentError(
      `task ${task.id} names unknown agent "${task.agent}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      {
        code: "agent.unknown",
        agent: task.agent,
        hint: `Configured agents: ${names.join(", ") || "(none)"}. Declare it under agents: in orkestra.yaml.`,
      },
    );
  }
  return agent;
}
