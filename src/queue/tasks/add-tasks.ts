import type { Transaction } from "kysely";
import type { Database, Store } from "../../store/index.js";
import { StoreError } from "../../store/index.js";
import { QueueError } from "../queue-error.js";
import { queueTransaction } from "../store/queue-db.js";
import type { QueueTables, QueueTransaction, TaskTable } from "../store/queue-tables.js";
import { type Added, insertIndependentTasks } from "./insert-independent-tasks.js";
import { taskRow } from "./new-task-row.js";
import { describeEntry, type PreparedTask, prepareTaskSpecs } from "./prepare-task-specs.js";
import { announceReady, notifyReady } from "./ready-signal.js";
import { chunks } from "./sql-lists.js";
import type { AddedTask, TaskSpec, TaskStatus } from "./task-types.js";

/** Rows per INSERT: far below both backends' limits on bound parameters. */
const INSERT_CHUNK = 500;

export interface AddTasksOptions {
  /** The time the tasks are added, epoch ms. @defaultValue Date.now() */
  now?: number;
}

/**
 * Adds tasks in one transaction: all of them, or none and a QueueError naming the bad entry
 * (`queue.invalid_task`, `queue.unknown_dependency`, `queue.dependency_cycle`). An entry whose
 * idempotency key is already present is not added: its result is that task, unchanged. A new
 * task is `ready`, or `waiting` for its dependencies or its `runAt`, or `blocked` when a
 * dependency already ended dead or cancelled (or is blocked). Returns one result per entry, in
 * order. Idle workers hear of ready tasks at once (NOTIFY on PostgreSQL, in-process signals).
 */
export async function addTasks(
  store: Store,
  specs: readonly TaskSpec[],
  options: AddTasksOptions = {},
): Promise<AddedTask[]> {
  const now = options.now ?? Date.now();
  const prepared = prepareTaskSpecs(specs, now);
  if (prepared.length === 0) return [];
  let added = await insertIndependentTasks(store, prepared, now);
  if (added) {
    announceReady(store, added.readyQueues);
    return added.results;
  }
  try {
    added = await queueTransaction(store, (trx) => insertPrepared(store, trx, prepared, now));
  } catch (error) {
    // Another process added a task with one of these idempotency keys in the meantime: once
    // more, and this time the key is found.
    if (!(StoreError.isInstance(error) && error.code === "store.constraint")) throw error;
    added = await queueTransaction(store, (trx) => insertPrepared(store, trx, prepared, now));
  }
  announceReady(store, added.readyQueues);
  return added.results;
}

/**
 * `addTasks` inside the caller's transaction `trx`, so that the tasks commit with whatever else
 * it writes (a schedule's tick, a workflow run's row) or not at all. The same checks and
 * results; two differences: an idempotency key added concurrently by another process fails the
 * transaction (`store.constraint`) instead of being looked up again, and idle workers of this
 * process are not told (those of other processes hear the NOTIFY at commit on PostgreSQL, or
 * see the commit through `data_version` on SQLite): call `announceReady(store, queues)` after
 * the commit, with the queues of the entries whose status is `ready`, to wake them at once.
 */
export async function addTasksInTransaction(
  store: Store,
  trx: Transaction<Database>,
  specs: readonly TaskSpec[],
  options: AddTasksOptions = {},
): Promise<AddedTask[]> {
  const now = options.now ?? Date.now();
  const prepared = prepareTaskSpecs(specs, now);
  if (prepared.length === 0) return [];
  const added = await insertPrepared(store, trx.withTables<QueueTables>(), prepared, now);
  return added.results;
}

interface KnownTask {
  id: string;
  status: string;
  title: string;
}

async function insertPrepared(
  store: Store,
  trx: QueueTransaction,
  prepared: readonly PreparedTask[],
  now: number,
): Promise<Added> {
  const existing = await findByIdempotencyKey(trx, prepared);
  // An entry that already exists is that task; entries that need it need that task.
  const idOf = new Map(prepared.map((task) => [task.id, existing.get(task.id)?.id ?? task.id]));
  const stored = await findNeeded(trx, prepared, existing);

  const fresh = prepared.filter((task) => !existing.has(task.id));
  const known = new Map<string, KnownTask>([
    ...stored,
    ...[...existing.values()].map((task) => [task.id, task] as const),
  ]);
  const rows: TaskTable[] = [];
  for (const task of inDependencyOrder(fresh)) {
    const needs = [...task.storedNeeds, ...task.batchNeeds.map((id) => idOf.get(id) as string)];
    const deps = needs.map((id) => known.get(id) as KnownTask);
    const row = taskRow(task, deps, now);
    known.set(task.id, { id: task.id, status: row.status, title: task.title });
    rows.push(row);
  }

  for (const chunk of chunks(rows, INSERT_CHUNK))
    await trx.insertInto("tasks").values(chunk).execute();
  const dependencies = fresh.flatMap((task) =>
    [...task.storedNeeds, ...task.batchNeeds.map((id) => idOf.get(id) as string)].map(
      (dependsOn) => ({
        task_id: task.id,
        depends_on: dependsOn,
      }),
    ),
  );
  for (const chunk of chunks(dependencies, INSERT_CHUNK)) {
    await trx.insertInto("task_dependencies").values(chunk).execute();
  }
  const capabilities = fresh.flatMap((task) =>
    task.capabilities.map((capability) => ({ task_id: task.id, capability })),
  );
  for (const chunk of chunks(capabilities, INSERT_CHUNK)) {
    await trx.insertInto("task_capabilities").values(chunk).execute();
  }
  const readyQueues = rows.filter((row) => row.status === "ready").map((row) => row.queue);
  await notifyReady(store, trx, readyQueues);

  return {
    results: prepared.map((task) => {
      const found = existing.get(task.id);
      const id = found?.id ?? task.id;
      return {
        id,
        key: task.key,
        status: (known.get(id) as KnownTask).status as TaskStatus,
        existing: found !== undefined,
      };
    }),
    readyQueues,
  };
}

/** Entries whose idempotency key is already present, by the id the entry was given. */
async function findByIdempotencyKey(
  trx: QueueTransaction,
  prepared: readonly PreparedTask[],
): Promise<Map<string, KnownTask>> {
  const byKey = new Map(
    prepared
      .filter((task) => task.idempotencyKey !== null)
      .map((task) => [task.idempotencyKey as string, task]),
  );
  const found = new Map<string, KnownTask>();
  for (const keys of chunks([...byKey.keys()], INSERT_CHUNK)) {
    const rows = await trx
      .selectFrom("tasks")
      .select(["id", "status", "title", "idempotency_key"])
      .where("idempotency_key", "in", keys)
      .execute();
    for (const row of rows) {
      const entry = byKey.get(row.idempotency_key as string) as PreparedTask;
      found.set(entry.id, { id: row.id, status: row.status, title: row.title });
    }
  }
  return found;
}

/** The stored tasks that new entries need; a QueueError names the first entry needing an unknown id. */
async function findNeeded(
  trx: QueueTransaction,
  prepared: readonly PreparedTask[],
  existing: ReadonlyMap<string, KnownTask>,
): Promise<Map<string, KnownTask>> {
  const fresh = prepared.filter((task) => !existing.has(task.id));
  const wanted = [...new Set(fresh.flatMap((task) => task.storedNeeds))];
  const found = new Map<string, KnownTask>();
  for (const ids of chunks(wanted, INSERT_CHUNK)) {
    const rows = await trx
      .selectFrom("tasks")
      .select(["id", "status", "title"])
      .where("id", "in", ids)
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  for (const task of fresh) {
    const unknown = task.storedNeeds.find((id) => !found.has(id));
    if (unknown !== undefined) {
      throw new QueueError(
        `Task ${describeEntry(task)} needs "${unknown}", which is neither a task nor the key of an entry.`,
        {
          code: "queue.unknown_dependency",
          index: task.index,
          key: task.key ?? undefined,
          hint: "Check the id with `orkestra task list`, or name another entry of the same list by its key.",
        },
      );
    }
  }
  return found;
}

/** Entries ordered so that every entry comes after the entries it needs (there is no cycle). */
function inDependencyOrder(tasks: readonly PreparedTask[]): PreparedTask[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const waitingFor = new Map(
    tasks.map((task) => [task.id, task.batchNeeds.filter((id) => byId.has(id)).length]),
  );
  const neededBy = new Map<string, string[]>();
  for (const task of tasks) {
    for (const id of task.batchNeeds) {
      if (byId.has(id)) neededBy.set(id, [...(neededBy.get(id) ?? []), task.id]);
    }
  }
  const ordered = tasks.filter((task) => waitingFor.get(task.id) === 0);
  for (let index = 0; index < ordered.length; index += 1) {
    for (const id of neededBy.get((ordered[index] as PreparedTask).id) ?? []) {
      const left = (waitingFor.get(id) as number) - 1;
      waitingFor.set(id, left);
      if (left === 0) ordered.push(byId.get(id) as PreparedTask);
    }
  }
  return ordered;
}
