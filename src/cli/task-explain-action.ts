import { explainTask, formatExplanation } from "../queue/agents/index.js";
import { DEFAULT_TASK_KIND } from "../queue/tasks/task-limits.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { requireTask } from "./task-actions.js";

/**
 * `orkestra task explain <id>`: the suitability of every configured agent for the task, with
 * why an agent is excluded. Health and breaker state come from the ledger (every process
 * shares it), with the configuration's breaker threshold and cool-down: no gateway is made.
 */
export async function runTaskExplain(context: CliContext, id: string): Promise<number> {
  const [{ config }, store] = await Promise.all([context.config(), context.store()]);
  const { task } = await requireTask(store, id);
  const explanation = await explainTask(
    store,
    {
      id: task.id,
      title: task.title,
      instructions: task.instructions ?? "",
      capabilities: task.capabilities,
      queue: task.queue,
      priority: task.priority,
    },
    {
      agents: config.agents,
      fallbacks: config.fallbacks,
      failureThreshold: config.gateway.breaker.failureThreshold,
      cooldownMs: config.gateway.breaker.cooldownMs,
    },
  );
  if (context.options.json) {
    context.printJson({ success: true, ...explanation });
    return EXIT_OK;
  }
  for (const line of formatExplanation(explanation)) context.print(line);
  if (task.kind !== DEFAULT_TASK_KIND) {
    context.print(
      `(a ${task.kind} task is done by the worker's "${task.kind}" handler; the agents' scores apply to agent tasks)`,
    );
  }
  return EXIT_OK;
}
