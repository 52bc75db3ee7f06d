import { errorMarker, hasErrorMarker, OrkestraError } from "../errors/index.js";

const marker = errorMarker("QueueError");

export type QueueErrorCode =
  | "queue.invalid_task"
  | "queue.unknown_dependency"
  | "queue.dependency_cycle"
  | "queue.invalid_option"
  | "queue.not_found"
  | "queue.invalid_state"
  | "queue.timeout"
  | "queue.cancelled"
  | "queue.lease_lost"
  | "queue.shutdown";

/** Codes that are the caller's to fix: the tasks or options given. Exit code 2. */
const INVALID_INPUT_CODES: ReadonlySet<QueueErrorCode> = new Set([
  "queue.invalid_task",
  "queue.unknown_dependency",
  "queue.dependency_cycle",
  "queue.invalid_option",
]);

export interface QueueErrorOptions {
  code: QueueErrorCode;
  hint?: string;
  /** Whether the same operation may succeed if tried again. @defaultValue false */
  retryable?: boolean;
  /** The position of the offending entry in the list given to `addTasks` (0-based). */
  index?: number;
  /** The offending entry's `key`, when it has one. */
  key?: string;
  /** The task the error is about, once it has an id. */
  taskId?: string;
  cause?: unknown;
}

/**
 * Tasks that cannot be added, or a task operation that cannot be done as asked. The input codes
 * (`queue.invalid_task`, `queue.unknown_dependency`, `queue.dependency_cycle`,
 * `queue.invalid_option`) are the caller's to fix (exit 2); nothing was written. A running
 * task's AbortSignal is aborted with one as its reason: `queue.timeout` (it ran past its
 * timeout), `queue.cancelled` (a cancel was asked for), `queue.lease_lost` (another worker may
 * have it now) or `queue.shutdown` (its worker is stopping and released it).
 */
export class QueueError extends OrkestraError {
  readonly [marker] = true;
  readonly index: number | undefined;
  readonly key: string | undefined;
  readonly taskId: string | undefined;

  constructor(message: string, options: QueueErrorOptions) {
    super(message, { ...options, invalidInput: INVALID_INPUT_CODES.has(options.code) });
    this.name = "QueueError";
    this.index = options.index;
    this.key = options.key;
    this.taskId = options.taskId;
  }

  static override isInstance(error: unknown): error is QueueError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      index: this.index ?? null,
      key: this.key ?? null,
      taskId: this.taskId ?? null,
    };
  }
}
