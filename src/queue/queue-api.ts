/** The queue's core, as other layers and the package root use it (see docs/queue.md). */
export {
  QueueError,
  type QueueErrorCode,
  type QueueErrorOptions,
} from "./queue-error.js";
export { queueMigration } from "./store/0006-queue.js";
export { queueDb, queueTransaction } from "./store/queue-db.js";
export type {
  QueueDatabase,
  QueueDb,
  QueueTables,
  QueueTransaction,
  TaskAttemptTable,
  TaskCapabilityTable,
  TaskDependencyTable,
  TaskTable,
  WorkerTable,
} from "./store/queue-tables.js";
export { type AddTasksOptions, addTasks } from "./tasks/add-tasks.js";
export { type CancelTaskOptions, type CancelTaskResult, cancelTask } from "./tasks/cancel-task.js";
export { type ClaimTasksOptions, claimTasks } from "./tasks/claim-tasks.js";
export {
  type CompleteTasksOptions,
  type CompletionOutcome,
  completeTasks,
  type TaskCompletion,
  type TaskFailure,
  type TaskSuccess,
} from "./tasks/complete-tasks.js";
export { countDueTasks, type DueTaskCount } from "./tasks/count-tasks.js";
export {
  type HeartbeatResult,
  type HeartbeatTasksOptions,
  heartbeatTasks,
} from "./tasks/heartbeat-tasks.js";
export { nextDueAt, promoteDueTasks } from "./tasks/promote-due-tasks.js";
export {
  countTasks,
  type ListTasksOptions,
  listTasks,
  type RelatedTask,
  showTask,
  type TaskCount,
  type TaskDetails,
} from "./tasks/read-tasks.js";
export { announceReady, onTasksReady, TASKS_CHANNEL } from "./tasks/ready-signal.js";
export { type RecordTaskAgentOptions, recordTaskAgent } from "./tasks/record-task-agent.js";
export { type RecoveredLease, recoverExpiredLeases } from "./tasks/recover-expired-leases.js";
export { type ReleaseTasksOptions, releaseTasks } from "./tasks/release-tasks.js";
export { RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from "./tasks/retry-backoff.js";
export { type RetryTaskOptions, type RetryTaskResult, retryTask } from "./tasks/retry-task.js";
export { newTaskId } from "./tasks/task-id.js";
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TASK_KIND,
  DEFAULT_TASK_QUEUE,
  DEFAULT_TASK_TIMEOUT_MS,
  MAX_TASK_PRIORITY,
  MIN_TASK_PRIORITY,
} from "./tasks/task-limits.js";
export {
  type AddedTask,
  type AttemptOutcome,
  type ClaimedTask,
  FINISHED_TASK_STATUSES,
  TASK_STATUSES,
  type Task,
  type TaskAttempt,
  type TaskErrorInfo,
  type TaskLease,
  type TaskSpec,
  type TaskStatus,
} from "./tasks/task-types.js";
export {
  type RunWorkerProcessOptions,
  runWorkerProcess,
} from "./worker/run-worker-process.js";
export { type StopOptions, Worker, type WorkerStats } from "./worker/worker.js";
export {
  defaultWorkerId,
  type TaskContext,
  type TaskHandler,
  type WorkerOptions,
} from "./worker/worker-options.js";
export {
  type ListWorkersOptions,
  LOST_AFTER_HEARTBEATS,
  listWorkers,
  markLostWorkers,
  markWorkerStopped,
  recordWorkerHeartbeat,
  registerWorker,
  type WorkerInfo,
  type WorkerRegistration,
  type WorkerReport,
  type WorkerStatus,
} from "./worker/worker-registry.js";
