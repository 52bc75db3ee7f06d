import type { TaskSpec } from "../../queue/tasks/task-types.js";
import { WorkflowTaskError } from "./workflow-task-error.js";

/** The kind of the task that drives one workflow run on a worker. */
export const WORKFLOW_TASK_KIND = "workflow";

/** The queue detached runs go to unless told otherwise; `orkestra worker` serves it by default. */
export const WORKFLOW_QUEUE = "workflows";

/**
 * Attempts of a workflow task. An attempt ends early only when its worker dies, stops or loses
 * the run to another process (what the run itself does never fails its task), so this is
 * high: a run outlives several worker crashes and restarts before its task is dead.
 */
export const WORKFLOW_TASK_MAX_ATTEMPTS = 25;

/**
 * How long one attempt may drive its run before its worker aborts it and the task is tried
 * again (resuming the run where it stopped). Long: a run ends, pauses or waits for a person
 * on its own, and its steps have their own timeouts; this only bounds a worker stuck on it.
 */
export const WORKFLOW_TASK_TIMEOUT_MS = 24 * 3_600_000;

/** The payload of a workflow task. */
export interface WorkflowTaskPayload {
  runId: string;
}

export interface WorkflowTaskOptions {
  /** @defaultValue WORKFLOW_QUEUE */
  queue?: string;
  /** @defaultValue 0 */
  priority?: number;
  /** Why this task continues the run (after an approval, say); part of its idempotency key. */
  continuation?: string;
}

/**
 * The task that drives `runId`. Its idempotency key is `run:<runId>` (`run:<runId>:<why>` for a
 * continuation), so a run is never enqueued twice for the same reason.
 */
export function workflowTaskSpec(
  runId: string,
  workflow: string,
  options: WorkflowTaskOptions = {},
): TaskSpec {
  return {
    title: `run ${workflow} ${runId}`,
    kind: WORKFLOW_TASK_KIND,
    queue: options.queue ?? WORKFLOW_QUEUE,
    priority: options.priority ?? 0,
    payload: { runId } satisfies WorkflowTaskPayload,
    maxAttempts: WORKFLOW_TASK_MAX_ATTEMPTS,
    timeoutMs: WORKFLOW_TASK_TIMEOUT_MS,
    idempotencyKey: workflowTaskKey(runId, options.continuation),
  };
}

/** `run:<runId>`, or `run:<runId>:<continuation>`. */
export function workflowTaskKey(runId: string, continuation?: string): string {
  return continuation === undefined ? `run:${runId}` : `run:${runId}:${continuation}`;
}

/** The run a workflow task drives; a WorkflowTaskError (not retryable) for any other payload. */
export function workflowTaskRunId(task: { id: string; payload: unknown }): string {
  const payload = task.payload as Partial<WorkflowTaskPayload> | null;
  const runId = typeof payload === "object" && payload !== null ? payload.runId : undefined;
  if (typeof runId !== "string" || runId === "") {
    throw new WorkflowTaskError(
      `task ${task.id} is a workflow task without a run: its payload is ${JSON.stringify(task.payload)}`,
      {
        code: "workflow_task.payload",
        hint: 'A workflow task\'s payload is { "runId": "<run id>" }; start detached runs with: orkestra run <file> --detach',
      },
    );
  }
  return runId;
}
