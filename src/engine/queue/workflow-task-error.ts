import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

const marker = errorMarker("WorkflowTaskError");

export type WorkflowTaskErrorCode =
  /** The task's payload does not name a run. */
  | "workflow_task.payload"
  /** The run cannot be driven from a worker (it was started by a program, not from a file). */
  | "workflow_task.source"
  /** Another process drives the run; the task is tried again once its lease can lapse. */
  | "workflow_task.run_busy";

export interface WorkflowTaskErrorOptions {
  code: WorkflowTaskErrorCode;
  hint?: string;
  /** @defaultValue true for `workflow_task.run_busy`, else false */
  retryable?: boolean;
  /** For a retryable error: how long the queue waits before the next attempt, ms. */
  retryDelayMs?: number;
  runId?: string;
  cause?: unknown;
}

/**
 * A workflow task that its worker cannot do now (`run_busy`: retried after `retryDelayMs`) or
 * ever (a bad payload, a run without a workflow file: the task is dead at once). What a run
 * does is not a task error: a run that ends, pauses or waits completes its task.
 */
export class WorkflowTaskError extends OrkestraError {
  readonly [marker] = true;
  override readonly code: WorkflowTaskErrorCode;
  /** Read by the worker: the delay before the next attempt. */
  readonly retryDelayMs: number | undefined;
  readonly runId: string | undefined;

  constructor(message: string, options: WorkflowTaskErrorOptions) {
    super(message, {
      code: options.code,
      retryable: options.retryable ?? options.code === "workflow_task.run_busy",
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = "WorkflowTaskError";
    this.code = options.code;
    this.retryDelayMs = options.retryDelayMs;
    this.runId = options.runId;
  }

  static override isInstance(error: unknown): error is WorkflowTaskError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      runId: this.runId ?? null,
      retryDelayMs: this.retryDelayMs ?? null,
    };
  }
}
