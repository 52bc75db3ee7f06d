import type { Gateway } from "../../models/index.js";
import { createLogger, type Logger } from "../../observability/index.js";
import type { ClaimedTask } from "../../queue/tasks/task-types.js";
import type { TaskContext, TaskHandler } from "../../queue/worker/worker-options.js";
import type { Store } from "../../store/index.js";
import { abortableDelay } from "../run/abortable-delay.js";
import { cancelRun, type RunHandle, startResume } from "../run/run-api.js";
import { RUN_LEASE_TTL_MS } from "../run/run-lease.js";
import { getRun, type RunSummary } from "../run/run-summary.js";
import { findRun, isTerminal, type RunStatus } from "../store/run-records.js";
import type { LoopStopReason, WorkflowDefinition } from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";
import { workflowTaskRunId } from "./workflow-task.js";
import { WorkflowTaskError } from "./workflow-task-error.js";
import { heldRunLease, yieldRunLease } from "./yield-run-lease.js";

export interface WorkflowTaskHandlerOptions {
  store: Store;
  /** Model steps call through it; they fail without one. */
  gateway?: Gateway;
  /** @defaultValue silent */
  logger?: Logger;
  /**
   * Loads the workflow a run was started from: its `source`, the absolute path of the file
   * (`orkestra run` records it so). The CLI's loader checks model names against the config.
   */
  loadDefinition(source: string): Promise<WorkflowDefinition>;
  /**
   * How long one attempt waits for a run whose lease another process holds (a worker that was
   * paused, or a run resumed by hand) before it fails and is retried after the lease's
   * remaining time. @defaultValue 2 × RUN_LEASE_TTL_MS (20 s)
   */
  leaseWaitMs?: number;
  /** Passed to the run's driver (see DriveOptions). */
  pollIntervalMs?: number;
  leaseTtlMs?: number;
  leaseHeartbeatMs?: number;
}

/** What a workflow task's result says about its run; `orkestra show <runId>` has the rest. */
export interface WorkflowTaskResult {
  runId: string;
  workflow: string;
  /** succeeded, failed or cancelled: it ended; waiting: for a person; paused: for `resume`. */
  status: RunStatus;
  success: boolean;
  stopReason: LoopStopReason | null;
  costUsd: number;
  error: string | null;
}

/**
 * The handler of `workflow` tasks: drives the task's run in this worker, from where it
 * stopped, until it ends, pauses or waits for a person, and returns what became of it. The
 * worker's id is the run lease's owner, so the run's step commits are fenced by it. When the
 * task's signal aborts (the worker stops, the task's lease or timeout is up), the run's lease
 * is given up at once (see yieldRunLease) for the next worker to take, and the run keeps its
 * status; when the task is cancelled, so is the run. A run whose lease another process holds
 * is waited for, then the attempt fails and is retried (`workflow_task.run_busy`).
 */
export function createWorkflowTaskHandler(options: WorkflowTaskHandlerOptions): TaskHandler {
  const logger = options.logger ?? createLogger({ level: "silent" });
  return async (task, context) => {
    const runId = workflowTaskRunId(task);
    const run = await findRun(options.store, runId);
    if (!run) {
      throw new WorkflowTaskError(`task ${task.id} drives run ${runId}, which does not exist`, {
        code: "workflow_task.payload",
        runId,
        hint: "The run was deleted (orkestra gc) or belongs to another store; cancel the task.",
      });
    }
    if (isTerminal(run.status)) return taskResult(await getRun(options.store, runId));
    if (run.source.startsWith("builder:")) {
      throw new WorkflowTaskError(
        `run ${runId} was started by a program (${run.source}), not from a workflow file: a worker cannot load it`,
        {
          code: "workflow_task.source",
          runId,
          hint: "Enqueue runs of workflow files (orkestra run <file> --detach), or drive this one from its program with resumeRun.",
        },
      );
    }
    const definition = await options.loadDefinition(run.source);
    const handle = await takeRun(options, task, context, definition);
    if (handle === "ended") return taskResult(await getRun(options.store, runId));
    const log = logger.child({ runId, taskId: task.id, workerId: context.workerId });
    log.info("workflow:drive");
    const stopWatching = await onAbortStop(options.store, runId, context, log);
    try {
      const summary = await handle.done;
      // Stopped from here (a cancelled task's run ends cancelled): the abort's reason decides.
      if (context.signal.aborted) throw context.signal.reason;
      return taskResult(summary);
    } catch (error) {
      // Stopped from here: what the worker does with the attempt follows the abort's reason.
      if (context.signal.aborted) throw context.signal.reason;
      // Taken over (`orkestra resume --force`): the run is that process's to finish now.
      if (WorkflowError.isInstance(error) && error.code === "workflow.lease_lost") {
        log.warn("workflow:taken_over by another process; this task is done with it");
        return taskResult(await getRun(options.store, runId));
      }
      throw error;
    } finally {
      stopWatching();
    }
  };
}

/** Takes the run's lease and starts driving it, waiting a while for a lease held elsewhere. */
async function takeRun(
  options: WorkflowTaskHandlerOptions,
  task: ClaimedTask,
  context: TaskContext,
  definition: WorkflowDefinition,
): Promise<RunHandle | "ended"> {
  const runId = workflowTaskRunId(task);
  const giveUpAt = Date.now() + (options.leaseWaitMs ?? 2 * RUN_LEASE_TTL_MS);
  for (;;) {
    if (context.signal.aborted) throw context.signal.reason;
    try {
      return await startResume(runId, {
        store: options.store,
        definition,
        owner: context.workerId,
        ...(options.gateway === undefined ? {} : { gateway: options.gateway }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
        ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
        ...(options.leaseHeartbeatMs === undefined
          ? {}
          : { leaseHeartbeatMs: options.leaseHeartbeatMs }),
      });
    } catch (error) {
      if (!WorkflowError.isInstance(error)) throw error;
      if (error.code === "workflow.state") {
        const status = (await findRun(options.store, runId))?.status;
        if (status !== undefined && isTerminal(status)) return "ended";
        throw error;
      }
      if (error.code !== "workflow.lease_held") throw error;
      const waitMs = await leaseLeftMs(options.store, runId);
      if (Date.now() + waitMs > giveUpAt) {
        throw new WorkflowTaskError(`${error.message}; trying again in ${waitMs} ms`, {
          code: "workflow_task.run_busy",
          runId,
          retryDelayMs: waitMs,
          cause: error,
        });
      }
      await abortableDelay(waitMs, context.signal);
    }
  }
}

/** Until the run's lease lapses (and a little after), at least 50 ms and at most its TTL. */
async function leaseLeftMs(store: Store, runId: string): Promise<number> {
  const run = await findRun(store, runId);
  const expiresAt = run?.lease_expires_at === null ? 0 : Number(run?.lease_expires_at ?? 0);
  return Math.min(RUN_LEASE_TTL_MS, Math.max(50, expiresAt - Date.now() + 50));
}

/**
 * When the task's signal aborts: a cancel cancels the run (its driver sees it at its next poll
 * and ends it); anything else gives the run's lease up so another worker can go on at once.
 */
async function onAbortStop(
  store: Store,
  runId: string,
  context: TaskContext,
  log: Logger,
): Promise<() => void> {
  const lease = await heldRunLease(store, runId, context.workerId);
  const onAbort = (): void => {
    const reason = context.signal.reason as { code?: unknown } | undefined;
    const stopping =
      reason?.code === "queue.cancelled"
        ? cancelRun(store, runId, {
            actor: `worker:${context.workerId}`,
            reason: "its workflow task was cancelled",
          }).then(() => "cancelled")
        : lease
          ? yieldRunLease(store, lease).then(() => "yielded")
          : Promise.resolve("not held");
    stopping.then(
      (what) => log.info({ reason: reason?.code, what }, "workflow:stop"),
      (error: unknown) =>
        log.warn({ err: error }, "workflow:stop failed; the run lease will lapse"),
    );
  };
  if (context.signal.aborted) onAbort();
  else context.signal.addEventListener("abort", onAbort, { once: true });
  return () => context.signal.removeEventListener("abort", onAbort);
}

function taskResult(summary: RunSummary): WorkflowTaskResult {
  return {
    runId: summary.runId,
    workflow: summary.workflow,
    status: summary.status,
    success: summary.success,
    stopReason: summary.stopReason,
    costUsd: summary.costUsd,
    error: summary.error,
  };
}
