import { OrkestraError } from "../errors/index.js";
import type { Gateway } from "../models/index.js";
import {
  type AgentSignals,
  type AgentsConfig,
  chooseAgent,
  createAgentTaskHandler,
  explainAssignment,
  healthByAgent,
  readAgentHealth,
  runningTasksByAgent,
} from "../queue/index.js";
import { assignTaskAgent } from "../queue/tasks/assign-task-agent.js";
import type { ClaimedTask } from "../queue/tasks/task-types.js";
import type { TaskContext, TaskHandler } from "../queue/worker/worker-options.js";
import type { Store } from "../store/index.js";

/** How long agent health read from the ledger is reused: three queries per agent per read. */
const HEALTH_TTL_MS = 5_000;
/** How often a task waiting for a free agent looks again. */
const SLOT_POLL_MS = 500;
/** Before a task that names an agent this worker does not serve is tried again (elsewhere). */
const NOT_SERVED_RETRY_MS = 1_000;

export interface WorkerAgentHandlerOptions {
  store: Store;
  gateway: Pick<Gateway, "generate">;
  /** Every configured agent (a task may name any of them). */
  agents: AgentsConfig;
  /** The agents this worker does tasks for (`--agents`). */
  allowed: readonly string[];
  fallbacks: Readonly<Record<string, readonly string[]>>;
}

/**
 * The `agent` handler of `orkestra worker`: a task that names its agent goes to it; any other
 * goes to the best eligible agent among those allowed (chooseAgent: capabilities, health from
 * the ledger, load across every worker). When every capable agent is at capacity or failing,
 * the attempt waits for one (its lease kept alive) instead of failing. The chosen agent is
 * recorded on the task before the call, so other workers count it. Choices in this process
 * are made one at a time; across processes two may pick the last free slot of an agent at once.
 */
export function createWorkerAgentHandler(options: WorkerAgentHandlerOptions): TaskHandler {
  const run = createAgentTaskHandler({ gateway: options.gateway, agents: options.agents });
  const allowed = new Set(options.allowed);
  const candidates: AgentsConfig = Object.fromEntries(
    Object.entries(options.agents).filter(([name]) => allowed.has(name)),
  );
  const health = cachedHealth(options.store, candidates, options.fallbacks);
  let choosing: Promise<unknown> = Promise.resolve();

  const choose = async (task: ClaimedTask, context: TaskContext): Promise<string> => {
    for (;;) {
      if (context.signal.aborted) throw context.signal.reason;
      // One choice at a time in this process, so two tasks here never take one free slot.
      const turn = choosing.then(() => chooseOnce(task, context));
      choosing = turn.catch(() => undefined);
      const agent = await turn;
      if (agent !== undefined) return agent;
      await delay(SLOT_POLL_MS, context.signal);
    }
  };

  const chooseOnce = async (
    task: ClaimedTask,
    context: TaskContext,
  ): Promise<string | undefined> => {
    const input = {
      task: {
        id: task.id,
        title: task.title,
        instructions: task.instructions ?? "",
        capabilities: task.capabilities,
        queue: task.queue,
        priority: task.priority,
      },
      agents: candidates,
      health: await health(),
      running: await runningTasksByAgent(options.store),
    };
    const chosen = chooseAgent(input)?.agent;
    if (chosen === undefined) {
      const explanation = explainAssignment(input);
      const capable = explanation.agents.some((entry) => entry.components.capability === 1);
      if (!capable) {
        throw retryLater(
          `no agent this worker serves can do task ${task.id}: ${explanation.waitingBecause}`,
          "agent.none_capable",
          NOT_SERVED_RETRY_MS,
          "Give an agent the task's capabilities under agents: in orkestra.yaml, or run a worker with --agents naming one that has them.",
        );
      }
      return undefined;
    }
    const assigned = await assignTaskAgent(options.store, {
      workerId: context.workerId,
      lease: { id: task.id, token: task.token },
      agent: chosen,
    });
    if (!assigned) throw context.signal.reason ?? new Error(`task ${task.id}'s lease was lost`);
    return chosen;
  };

  return async (task, context) => {
    let agent = task.agent;
    if (agent !== null && !allowed.has(agent) && Object.hasOwn(options.agents, agent)) {
      throw retryLater(
        `task ${task.id} is for agent ${agent}, which this worker does not serve (--agents ${options.allowed.join(",")})`,
        "agent.not_served",
        NOT_SERVED_RETRY_MS,
        `Run a worker that serves ${agent} (orkestra worker --agents ${agent}).`,
      );
    }
    agent ??= await choose(task, context);
    return run(
      {
        id: task.id,
        title: task.title,
        instructions: task.instructions ?? "",
        payload: task.payload,
        agent,
      },
      { signal: context.signal },
    );
  };
}

/** Agent health, read again at most every HEALTH_TTL_MS. */
function cachedHealth(
  store: Store,
  agents: AgentsConfig,
  fallbacks: Readonly<Record<string, readonly string[]>>,
): () => Promise<Record<string, AgentSignals>> {
  let cached: { at: number; value: Promise<Record<string, AgentSignals>> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > HEALTH_TTL_MS) {
      const value = readAgentHealth(store, { agents, fallbacks, now }).then(healthByAgent);
      cached = { at: now, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

/** A retryable error that asks the queue to wait `retryDelayMs` before the next attempt. */
function retryLater(
  message: string,
  code: string,
  retryDelayMs: number,
  hint: string,
): OrkestraError {
  return Object.assign(new OrkestraError(message, { code, hint, retryable: true }), {
    retryDelayMs,
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
