import type { Transaction } from "kysely";
import { queueDb } from "../../queue/store/queue-db.js";
import { addTasks, addTasksInTransaction } from "../../queue/tasks/add-tasks.js";
import { announceReady } from "../../queue/tasks/ready-signal.js";
import type { Database, Store } from "../../store/index.js";
import { type CreateQueuedRunOptions, createQueuedRun } from "../run/create-run.js";
import { findRun, isTerminal } from "../store/run-records.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import {
  WORKFLOW_QUEUE,
  type WorkflowTaskOptions,
  workflowTaskKey,
  workflowTaskSpec,
} from "./workflow-task.js";

export interface EnqueueRunOptions
  extends CreateQueuedRunOptions,
    Omit<WorkflowTaskOptions, "continuation"> {}

/** A run handed to the workers. */
export interface EnqueuedRun {
  runId: string;
  /** The workflow task that drives it. */
  taskId: string;
  queue: string;
}

/**
 * Creates a queued run of `definition` and the workflow task that drives it, in one
 * transaction: `orkestra run --detach`. Inputs are checked first; nothing runs in this
 * process. Any `orkestra worker` serving the queue claims the task and drives the run.
 */
export async function enqueueRun(
  store: Store,
  definition: WorkflowDefinition,
  options: EnqueueRunOptions = {},
): Promise<EnqueuedRun> {
  const enqueued = await store.transaction((trx) =>
    enqueueRunInTransaction(store, trx, definition, options),
  );
  announceReady(store, [enqueued.queue]);
  return enqueued;
}

/**
 * `enqueueRun` inside the caller's transaction (a schedule's tick). Idle workers of this
 * process are not woken (see addTasksInTransaction); those of other processes are.
 */
export async function enqueueRunInTransaction(
  store: Store,
  trx: Transaction<Database>,
  definition: WorkflowDefinition,
  options: EnqueueRunOptions = {},
): Promise<EnqueuedRun> {
  const runId = await createQueuedRun(trx, definition, options);
  const spec = workflowTaskSpec(runId, definition.name, options);
  const [added] = await addTasksInTransaction(store, trx, [spec], {
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { runId, taskId: (added as { id: string }).id, queue: spec.queue ?? WORKFLOW_QUEUE };
}

/** A continuation enqueued by `continueDetachedRun`. */
export interface ContinuedRun {
  /** The run the task drives: the top-level run (a sub-workflow is driven by its parent). */
  runId: string;
  taskId: string;
  queue: string;
  /** True when this continuation had been enqueued before: that task, unchanged. */
  existing: boolean;
}

/**
 * For a run that was started detached (it has a workflow task) and has not ended: enqueues one
 * more workflow task so that a worker drives it again, after a person decided one of its
 * approvals (`orkestra approve`/`reject`), for example. `continuation` says why and keeps it
 * to one task per reason. A sub-workflow's run continues through its top-level run. Returns
 * undefined for a run that was not detached (a `run` process or `resume` drives it) or ended.
 */
export async function continueDetachedRun(
  store: Store,
  runId: string,
  continuation: string,
): Promise<ContinuedRun | undefined> {
  let run = await findRun(store, runId);
  for (let depth = 0; run?.parent_run_id && depth < 100; depth += 1) {
    run = await findRun(store, run.parent_run_id);
  }
  if (!run || isTerminal(run.status)) return undefined;
  const first = await queueDb(store)
    .selectFrom("tasks")
    .select(["queue", "priority"])
    .where("idempotency_key", "=", workflowTaskKey(run.id))
    .executeTakeFirst();
  if (!first) return undefined;
  const spec = workflowTaskSpec(run.id, run.workflow, {
    queue: first.queue,
    priority: Number(first.priority),
    continuation,
  });
  const [added] = await addTasks(store, [spec]);
  const task = added as { id: string; existing: boolean };
  return { runId: run.id, taskId: task.id, queue: first.queue, existing: task.existing };
}
