export {
  type ContinuedRun,
  continueDetachedRun,
  type EnqueuedRun,
  type EnqueueRunOptions,
  enqueueRun,
  enqueueRunInTransaction,
} from "./enqueue-run.js";
export {
  WORKFLOW_QUEUE,
  WORKFLOW_TASK_KIND,
  WORKFLOW_TASK_MAX_ATTEMPTS,
  WORKFLOW_TASK_TIMEOUT_MS,
  type WorkflowTaskOptions,
  type WorkflowTaskPayload,
  workflowTaskKey,
  workflowTaskRunId,
  workflowTaskSpec,
} from "./workflow-task.js";
export { WorkflowTaskError, type WorkflowTaskErrorCode } from "./workflow-task-error.js";
export {
  createWorkflowTaskHandler,
  type WorkflowTaskHandlerOptions,
  type WorkflowTaskResult,
} from "./workflow-task-handler.js";
export { type HeldRunLease, heldRunLease, yieldRunLease } from "./yield-run-lease.js";
