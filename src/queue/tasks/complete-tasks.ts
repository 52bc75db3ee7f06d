import { type RawBuilder, sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb, queueTransaction } from "../store/queue-db.js";
import type { QueueTransaction } from "../store/queue-tables.js";
import { announceReady, notifyReady, TASKS_CHANNEL } from "./ready-signal.js";
import { refuseLateCompletions } from "./refuse-late-completions.js";
import { type AttemptFailure, settleFailures } from "./settle-failures.js";
import { chunks } from "./sql-lists.js";
import { taskErrorInfo } from "./task-error-info.js";
import type { TaskStatus } from "./task-types.js";

/** Completions per statement on SQLite: keeps the VALUES list far below its parameter limit. */
const COMPLETION_CHUNK = 500;
/** Per statement on PostgreSQL, where they go as three array parameters: a bound on its size. */
const ARRAY_CHUNK = 5_000;

/** A successful attempt: its result (anything JSON can hold; undefined is stored as null). */
export interface TaskSuccess {
  id: string;
  token: number;
  result?: unknown;
  /** `result` already as JSON (the worker's, which checked it serialises): not serialised again. */
  resultJson?: string;
}

/** A failed attempt. */
export interface TaskFailure {
  id: string;
  token: number;
  /** What was thrown; stored as { message, name, code?, … } with secrets redacted. */
  error: unknown;
  /** False: the task is dead at once. @defaultValue true */
  retryable?: boolean;
  /** The attempt ran past the task's timeout (its outcome is `timeout`). */
  timedOut?: boolean;
  /** Wait this long before the next attempt instead of the exponential backoff (a Retry-After). */
  retryDelayMs?: number;
}

export type TaskCompletion = TaskSuccess | TaskFailure;

export interface CompleteTasksOptions {
  /** The worker that holds the leases. */
  workerId: string;
  completions: readonly TaskCompletion[];
  /** @defaultValue Date.now() */
  now?: number;
}

/** What a completion did: the task's new status, or `refused` (the lease was no longer held). */
export interface CompletionOutcome {
  id: string;
  token: number;
  status: Extract<TaskStatus, "succeeded" | "failed" | "dead" | "cancelled"> | "refused";
}

/**
 * Commits a batch of completions (group commit): successes in one statement on PostgreSQL, all
 * in one transaction on SQLite. A completion counts only when the task is still running under
 * `workerId` with the same fencing token; otherwise it is refused, its attempt row is marked
 * `refused`, and the task is left to its current owner. A success is recorded on the task
 * (`succeeded_by`; its attempt gets no row of its own) and releases the task's
 * dependants (the ones with nothing left to wait for become ready, and idle workers are
 * woken); a failure retries with backoff or ends dead, and dependants of a dead task are
 * blocked. Returns one outcome per completion, in order.
 */
export async function completeTasks(
  store: Store,
  options: CompleteTasksOptions,
): Promise<CompletionOutcome[]> {
  const now = options.now ?? Date.now();
  const { workerId, completions } = options;
  const successes: Success[] = [];
  const failures: AttemptFailure[] = [];
  for (const completion of completions) {
    if ("error" in completion) failures.push(toFailure(completion, workerId));
    else successes.push(toSuccess(completion));
  }

  const committed = new Set<string>();
  const readyQueues: string[] = [];
  const outcomes = new Map<string, CompletionOutcome["status"]>();
  const settleRest = async (trx: QueueTransaction) => {
    for (const failure of await settleFailures(store, trx, failures, now)) {
      outcomes.set(leaseKey(failure), failure.status);
    }
    const refused = [
      ...successes.filter((success) => !committed.has(leaseKey(success))),
      ...failures.filter((failure) => outcomes.get(leaseKey(failure)) === "refused"),
    ];
    await refuseLateCompletions(trx, workerId, refused, now);
  };

  if (store.capabilities.dataModifyingCtes) {
    for (const chunk of chunks(successes, ARRAY_CHUNK)) {
      const statement = successInOneStatement(store, workerId, chunk, now);
      for (const row of (await statement.execute(queueDb(store))).rows) {
        if (row.kind === "done") committed.add(row.value);
        else readyQueues.push(row.value);
      }
    }
    const anyRefused = successes.some((success) => !committed.has(leaseKey(success)));
    if (failures.length > 0 || anyRefused) await queueTransaction(store, settleRest);
  } else {
    await queueTransaction(store, async (trx) => {
      for (const chunk of chunks(successes, COMPLETION_CHUNK)) {
        const done = await commitSuccesses(trx, workerId, chunk, now);
        for (const key of done.committed) committed.add(key);
        readyQueues.push(...done.readyQueues);
      }
      await notifyReady(store, trx, readyQueues);
      await settleRest(trx);
    });
  }
  announceReady(store, readyQueues);
  return completions.map((completion) => {
    const key = leaseKey(completion);
    const status =
      "error" in completion ? outcomes.get(key) : committed.has(key) ? "succeeded" : "refused";
    return { id: completion.id, token: completion.token, status: status ?? "refused" };
  });
}

interface Success {
  id: string;
  token: number;
  resultJson: string;
}

function toSuccess(completion: TaskSuccess): Success {
  return {
    id: completion.id,
    token: completion.token,
    resultJson: completion.resultJson ?? JSON.stringify(completion.result ?? null),
  };
}

function toFailure(completion: TaskFailure, workerId: string): AttemptFailure {
  return {
    id: completion.id,
    token: completion.token,
    owner: workerId,
    outcome: completion.timedOut ? "timeout" : "failed",
    error: taskErrorInfo(completion.error),
    retryable: completion.retryable ?? true,
    retryDelayMs: completion.retryDelayMs,
  };
}

/** `id:token`: one claim of one task. */
function leaseKey(lease: { id: string; token: number }): string {
  return `${lease.id}:${lease.token}`;
}

/** The completions as rows `(column1 id, column2 token, column3 result_json)`. */
function successValues(successes: readonly Success[]): RawBuilder<unknown> {
  return sql.join(
    successes.map(
      (success) => sql`(${success.id}, cast(${success.token} as bigint), ${success.resultJson})`,
    ),
  );
}

/**
 * SQLite (inside the caller's transaction): the UPDATE of the tasks themselves; only rows whose
 * lease the completion still holds. A lease owner is set exactly while a task runs, so owner and
 * token say it all; a `status = 'running'` here would invite the planner onto tasks_lease,
 * whose dead entries (every task that ever ran, until a VACUUM) made each commit slower than
 * the last.
 */
function succeed(
  workerId: string,
  successes: readonly Success[],
  now: number,
): RawBuilder<{ id: string; fencing_token: number }> {
  return sql`
    update tasks set status = 'succeeded', result_json = input.column3, error_json = null,
      finished_at = ${now}, lease_owner = null, lease_expires_at = null, succeeded_by = ${workerId}
    from (values ${successValues(successes)}) as input
    where tasks.id = input.column1 and tasks.fencing_token = input.column2
      and tasks.lease_owner = ${workerId}
    returning tasks.id, tasks.fencing_token`;
}

/**
 * PostgreSQL: the same UPDATE, its input as three array parameters (`input`: id, token,
 * result) rather than a VALUES list: a short statement text whatever the batch size, so the
 * worker neither builds nor sends, nor the server parses, three placeholders per task.
 * `tasks.id = any(array(select id from input))` is there for the planner: joined with its
 * input alone, the tasks table was read by a sequential scan (PostgreSQL knows the input's
 * 300 rows and prices 300 index probes above one pass over a table of 20,000 rows: 8 ms of a
 * commit that took 10, and growing with the table), while an array the planner cannot see into
 * makes the primary key the way in, whatever the statistics (EXPLAIN ANALYZE in
 * bench/RESULTS.md, "Queue: Orkestra").
 */
function succeedFromInput(workerId: string, now: number): RawBuilder<unknown> {
  return sql`
    update tasks set status = 'succeeded', result_json = input.result, error_json = null,
      finished_at = ${now}, lease_owner = null, lease_expires_at = null, succeeded_by = ${workerId}
    from input
    where tasks.id = any(array(select id from input))
      and tasks.id = input.id and tasks.fencing_token = input.token
      and tasks.lease_owner = ${workerId}
    returning tasks.id, tasks.fencing_token`;
}

/**
 * PostgreSQL: the whole success path in one statement. The tasks and their dependants are
 * updated by data-modifying CTEs; queues with newly ready dependants are
 * NOTIFYed from the same statement. Dependants are locked in id order first: two workers
 * releasing the same dependants never lock them in opposite orders (a deadlock). Rows: `done` with a committed lease key, `ready` with a
 * queue name.
 */
function successInOneStatement(
  store: Store,
  workerId: string,
  successes: readonly Success[],
  now: number,
): RawBuilder<{ kind: "done" | "ready"; value: string }> {
  const notify = store.capabilities.notifications
    ? sql`, pg_notify(${TASKS_CHANNEL}, queue)`
    : sql``;
  return sql`
    with input as (
      select * from unnest(
        cast(${successes.map((success) => success.id)} as text[]),
        cast(${successes.map((success) => success.token)} as bigint[]),
        cast(${successes.map((success) => success.resultJson)} as text[])
      ) as input(id, token, result)
    ),
    done as (${succeedFromInput(workerId, now)}),
    waited as (
      select dependency.task_id, count(*) as n from task_dependencies as dependency
      join done on dependency.depends_on = done.id
      group by dependency.task_id
    ),
    locked as (
      select tasks.id from tasks join waited on tasks.id = waited.task_id
      order by tasks.id for update of tasks
    ),
    released as (
      update tasks set pending_deps = pending_deps - waited.n,
        status = case when status = 'waiting' and pending_deps - waited.n <= 0 and run_at <= ${now}
          then 'ready' else status end
      from waited
      where tasks.id = waited.task_id and tasks.id in (select id from locked)
      returning tasks.queue, tasks.status
    )
    select 'done' as kind, done.id || ':' || done.fencing_token as value from done
    union all
    select 'ready', woken.queue from (
      select queue ${notify} from (select distinct queue from released where status = 'ready') as ready
    ) as woken`;
}

/** SQLite (inside the caller's transaction): the same success path as two statements. */
async function commitSuccesses(
  trx: QueueTransaction,
  workerId: string,
  successes: readonly Success[],
  now: number,
): Promise<{ committed: string[]; readyQueues: string[] }> {
  const done = (await succeed(workerId, successes, now).execute(trx)).rows;
  if (done.length === 0) return { committed: [], readyQueues: [] };
  const { rows } = await sql<{ queue: string; status: string }>`
    update tasks set pending_deps = pending_deps - waited.n,
      status = case when status = 'waiting' and pending_deps - waited.n <= 0 and run_at <= ${now}
        then 'ready' else status end
    from (
      select task_id, count(*) as n from task_dependencies
      where depends_on in (${sql.join(done.map((row) => row.id))})
      group by task_id
    ) as waited
    where tasks.id = waited.task_id
    returning queue, status`.execute(trx);
  return {
    committed: done.map((row) => leaseKey({ id: row.id, token: Number(row.fencing_token) })),
    readyQueues: rows.filter((row) => row.status === "ready").map((row) => row.queue),
  };
}
