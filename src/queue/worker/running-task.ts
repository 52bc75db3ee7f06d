import { QueueError } from "../queue-error.js";
import type { TaskCompletion } from "../tasks/complete-tasks.js";
import { MAX_TASK_TIMEOUT_MS } from "../tasks/task-limits.js";
import type { ClaimedTask, TaskLease } from "../tasks/task-types.js";
import type { TaskContext, TaskHandler } from "./worker-options.js";

/** How a task's run ended, as far as its worker is concerned. */
export type TaskEnd =
  | { kind: "result"; value: unknown }
  | { kind: "error"; error: unknown }
  | { kind: "timeout"; error: QueueError };

/**
 * One task in flight on a worker: the handler's call, its AbortSignal and its timeout. The
 * handler may throw, reject, resolve late or never: `onEnd` is called exactly once, with the
 * first of its settling or its timeout, and a handler that outlives its timeout is let go.
 */
export class RunningTask {
  readonly task: ClaimedTask;
  readonly lease: TaskLease;
  /** `id:token`. */
  readonly key: string;
  readonly #controller = new AbortController();
  #ended = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onEnd: ((run: RunningTask, end: TaskEnd) => void) | undefined;
  /** The heartbeat found the lease lost: whatever it commits will be refused. */
  lost = false;

  constructor(task: ClaimedTask) {
    this.task = task;
    this.lease = { id: task.id, token: task.token };
    this.key = `${task.id}:${task.token}`;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Calls `handler` with `context` (whose signal is this run's) and arms the timeout; `onEnd` gets the first ending. */
  start(
    handler: TaskHandler,
    context: TaskContext,
    onEnd: (run: RunningTask, end: TaskEnd) => void,
  ): void {
    this.#onEnd = onEnd;
    // The run as the timer's argument, not a closure per task: a worker starts thousands a second.
    this.#timer = setTimeout(timedOut, Math.min(this.task.timeoutMs, MAX_TASK_TIMEOUT_MS), this);
    let settled: Promise<unknown>;
    try {
      settled = Promise.resolve(handler(this.task, context));
    } catch (error) {
      settled = Promise.reject(error);
    }
    settled.then(
      (value) => this.end({ kind: "result", value }),
      (error: unknown) => this.end({ kind: "error", error }),
    );
  }

  /** The first ending counts; later ones (a handler settling after its timeout) are ignored. */
  end(ending: TaskEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#onEnd?.(this, ending);
  }

  /** Aborts the handler's signal (once); the run still ends when the handler settles or times out. */
  abort(reason: QueueError): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /** Stops caring: the timeout is disarmed and `onEnd` will not be called. */
  abandon(reason: QueueError): void {
    this.#ended = true;
    clearTimeout(this.#timer);
    this.abort(reason);
  }
}

/** A run's timeout: abort its handler and end it as `timeout`. */
function timedOut(run: RunningTask): void {
  const error = new QueueError(
    `Task ${run.task.id} ran past its timeout of ${run.task.timeoutMs} ms and was aborted.`,
    {
      code: "queue.timeout",
      taskId: run.task.id,
      retryable: true,
      hint: "Raise the task's timeoutMs, or make the work smaller.",
    },
  );
  run.abort(error);
  run.end({ kind: "timeout", error });
}

/** The completion to commit for a run's ending. */
export function completionOf(run: RunningTask, end: TaskEnd): TaskCompletion {
  const { id, token } = run.lease;
  if (end.kind === "timeout") return { id, token, error: end.error, timedOut: true };
  if (end.kind === "error") {
    const fields = (typeof end.error === "object" && end.error !== null ? end.error : {}) as {
      retryable?: unknown;
      retryDelayMs?: unknown;
    };
    return {
      id,
      token,
      error: end.error,
      retryable: fields.retryable !== false,
      retryDelayMs: typeof fields.retryDelayMs === "number" ? fields.retryDelayMs : undefined,
    };
  }
  let resultJson: string;
  try {
    resultJson = JSON.stringify(end.value ?? null);
  } catch (error) {
    return {
      id,
      token,
      error: new QueueError(
        `Task ${id} returned a result JSON cannot hold: ${error instanceof Error ? error.message : String(error)}`,
        {
          code: "queue.invalid_state",
          taskId: id,
          hint: "Return plain data from the handler: objects, arrays, strings, numbers, booleans, null.",
        },
      ),
      retryable: false,
    };
  }
  return { id, token, result: end.value, resultJson };
}
