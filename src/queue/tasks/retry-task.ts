import type { Store } from "../../store/index.js";
import { QueueError } from "../queue-error.js";
import { queueTransaction } from "../store/queue-db.js";
import type { QueueTransaction } from "../store/queue-tables.js";
import { readForChange } from "./cancel-task.js";
import { announceReady, notifyReady } from "./ready-signal.js";
import type { TaskStatus } from "./task-types.js";

const STOPPED = ["dead", "cancelled", "blocked"];

export interface RetryTaskOptions {
  /** @defaultValue Date.now() */
  now?: number;
}

export interface RetryTaskResult {
  id: string;
  /** `ready`, or `waiting` for dependencies that have not succeeded yet. */
  status: TaskStatus;
  /** Tasks that were blocked only because of this one, and wait again. */
  unblocked: string[];
}

/**
 * Brings a dead, cancelled or blocked task back: it gets a full set of attempts again
 * (`attempts` is reset to 0; every past attempt stays in its history), its error is cleared,
 * and it is ready now (or waiting for its dependencies). Tasks blocked only because of it wait
 * again. A task one of whose dependencies is itself dead, cancelled or blocked cannot be
 * retried: the QueueError names that dependency, to retry first.
 */
export async function retryTask(
  store: Store,
  id: string,
  options: RetryTaskOptions = {},
): Promise<RetryTaskResult> {
  const now = options.now ?? Date.now();
  const result = await queueTransaction(store, async (trx) => {
    const row = await readForChange(store, trx, id);
    if (!STOPPED.includes(row.status)) {
      throw new QueueError(
        `Task ${id} is ${row.status}; only dead, cancelled or blocked tasks can be retried.`,
        {
          code: "queue.invalid_state",
          taskId: id,
          hint:
            row.status === "failed"
              ? "It will be retried on its own when its backoff ends."
              : "Nothing to do.",
        },
      );
    }
    const stopper = (await stoppedDependencies(trx, [id]))[0];
    if (stopper) {
      throw new QueueError(
        `Task ${id} needs task ${stopper.depends_on}, which is ${stopper.status}; it cannot run until that one can.`,
        {
          code: "queue.invalid_state",
          taskId: id,
          hint: `Retry that task first: orkestra task retry ${stopper.depends_on}`,
        },
      );
    }
    const status: TaskStatus = Number(row.pending_deps) > 0 ? "waiting" : "ready";
    await trx
      .updateTable("tasks")
      .set({
        status,
        attempts: 0,
        run_at: now,
        error_json: null,
        result_json: null,
        blocked_reason: null,
        cancel_requested_at: null,
        finished_at: null,
      })
      .where("id", "=", id)
      .execute();
    const unblocked = await unblockDependants(trx, id);
    if (status === "ready") await notifyReady(store, trx, [row.queue]);
    return { result: { id, status, unblocked }, queue: row.queue };
  });
  if (result.result.status === "ready") announceReady(store, [result.queue]);
  return result.result;
}

/** Dependencies of `ids` that ended dead or cancelled, or are blocked. */
function stoppedDependencies(trx: QueueTransaction, ids: readonly string[]) {
  return trx
    .selectFrom("task_dependencies")
    .innerJoin("tasks", "tasks.id", "task_dependencies.depends_on")
    .select(["task_dependencies.task_id", "task_dependencies.depends_on", "tasks.status"])
    .where("task_dependencies.task_id", "in", ids)
    .where("tasks.status", "in", STOPPED)
    .execute();
}

/**
 * Level by level from `root`: blocked dependants none of whose dependencies is stopped any more
 * wait again (they need `root`, which has not succeeded yet, so none is ready).
 */
async function unblockDependants(trx: QueueTransaction, root: string): Promise<string[]> {
  const unblocked: string[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const candidates = await trx
      .selectFrom("task_dependencies")
      .innerJoin("tasks", "tasks.id", "task_dependencies.task_id")
      .select("tasks.id")
      .distinct()
      .where("task_dependencies.depends_on", "in", frontier)
      .where("tasks.status", "=", "blocked")
      .execute();
    if (candidates.length === 0) break;
    const ids = candidates.map((candidate) => candidate.id);
    const still = new Set((await stoppedDependencies(trx, ids)).map((row) => row.task_id));
    frontier = ids.filter((candidate) => !still.has(candidate));
    if (frontier.length === 0) break;
    await trx
      .updateTable("tasks")
      .set({ status: "waiting", blocked_reason: null, finished_at: null })
      .where("id", "in", frontier)
      .execute();
    unblocked.push(...frontier);
  }
  return unblocked;
}
