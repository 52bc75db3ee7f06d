import type { TaskDetails } from "../queue/tasks/read-tasks.js";
import type { Task, TaskAttempt } from "../queue/tasks/task-types.js";
import { isoTime } from "./iso-time.js";

/** One row of `orkestra task list --json`: the shape is a public contract. */
export function taskListJson(task: Task): Record<string, unknown> {
  return {
    id: task.id,
    title: task.title,
    queue: task.queue,
    priority: task.priority,
    status: task.status,
    attempts: task.attempts,
    agent: task.agent,
    createdAt: isoTime(task.createdAt),
    finishedAt: isoTime(task.finishedAt),
  };
}

/** `orkestra task show --json`: the task, its attempts, what it needs and what needs it. */
export function taskShowJson(details: TaskDetails): Record<string, unknown> {
  const { task } = details;
  return {
    success: true,
    task: {
      id: task.id,
      title: task.title,
      queue: task.queue,
      kind: task.kind,
      priority: task.priority,
      status: task.status,
      instructions: task.instructions,
      payload: task.payload,
      capabilities: task.capabilities,
      agent: task.agent,
      attempts: task.attempts,
      maxAttempts: task.maxAttempts,
      timeoutMs: task.timeoutMs,
      idempotencyKey: task.idempotencyKey,
      pendingDependencies: task.pendingDependencies,
      leaseOwner: task.leaseOwner,
      leaseExpiresAt: isoTime(task.leaseExpiresAt),
      fencingToken: task.fencingToken,
      cancelRequestedAt: isoTime(task.cancelRequestedAt),
      result: task.result,
      error: task.error,
      blockedReason: task.blockedReason,
      runAt: isoTime(task.runAt),
      createdAt: isoTime(task.createdAt),
      startedAt: isoTime(task.startedAt),
      finishedAt: isoTime(task.finishedAt),
    },
    attempts: details.attempts.map(attemptJson),
    dependencies: details.dependencies,
    dependants: details.dependants,
  };
}

function attemptJson(attempt: TaskAttempt): Record<string, unknown> {
  return {
    attempt: attempt.attempt,
    worker: attempt.worker,
    agent: attempt.agent,
    fencingToken: attempt.fencingToken,
    startedAt: isoTime(attempt.startedAt),
    finishedAt: isoTime(attempt.finishedAt),
    outcome: attempt.outcome,
    error: attempt.error,
  };
}
