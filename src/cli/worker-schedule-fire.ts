import { resolve } from "node:path";
import type { WorkflowDefinition } from "../engine/index.js";
import { enqueueRunInTransaction } from "../engine/queue/index.js";
import type { FireTick } from "../queue/index.js";
import { addTasksInTransaction } from "../queue/tasks/add-tasks.js";
import { announceReady } from "../queue/tasks/ready-signal.js";
import type { Store } from "../store/index.js";

export interface ScheduleFireOptions {
  store: Store;
  /** Where a schedule's `workflow:` file is looked for. */
  workspaceDir: string;
  /** Loads a workflow file (an absolute path). */
  loadWorkflow(path: string): Promise<WorkflowDefinition>;
}

/**
 * What a tick of `schedules:` enqueues, inside the tick's transaction: a task (its idempotency
 * key `schedule:<name>:<tick time>` guards the tick a second time), or a queued workflow run
 * and the workflow task that drives it. A workflow file that is missing or broken throws, and
 * the tick is tried again later (docs/schedules.md).
 */
export function scheduleFire(options: ScheduleFireOptions): FireTick {
  const { store } = options;
  return async (tick, trx) => {
    const target = tick.target;
    if (target.kind === "workflow") {
      const definition = await options.loadWorkflow(resolve(options.workspaceDir, target.workflow));
      const enqueued = await enqueueRunInTransaction(store, trx, definition, {
        inputs: target.inputs,
      });
      wakeLocalWorkers(store, enqueued.queue);
      return enqueued.runId;
    }
    const task = target.task;
    const [added] = await addTasksInTransaction(store, trx, [
      {
        title: task.title,
        ...(task.instructions === undefined ? {} : { instructions: task.instructions }),
        ...(task.priority === undefined ? {} : { priority: task.priority }),
        ...(task.capabilities === undefined ? {} : { capabilities: task.capabilities }),
        ...(task.queue === undefined ? {} : { queue: task.queue }),
        ...(task.payload === undefined ? {} : { payload: task.payload }),
        ...(task.maxAttempts === undefined ? {} : { maxAttempts: task.maxAttempts }),
        ...(task.timeout === undefined ? {} : { timeoutMs: task.timeout }),
        idempotencyKey: `schedule:${tick.schedule}:${tick.tickAt}`,
      },
    ]);
    wakeLocalWorkers(store, task.queue ?? "default");
    return added?.id;
  };
}

/**
 * Wakes this process's idle worker. Said before the commit, which is harmless: on SQLite its
 * claim queues behind this transaction on the one connection; on PostgreSQL a claim that comes
 * too early finds nothing, and the NOTIFY sent at commit wakes the worker again.
 */
function wakeLocalWorkers(store: Store, queue: string): void {
  announceReady(store, [queue]);
}
