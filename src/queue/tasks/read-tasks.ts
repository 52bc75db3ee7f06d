import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";
import { attemptOnTask } from "./attempt-rows.js";
import { attemptFromRow, taskFromRow } from "./task-rows.js";
import type { Task, TaskAttempt, TaskStatus } from "./task-types.js";

export interface ListTasksOptions {
  /** Only tasks in this status, or in any of these. */
  status?: TaskStatus | readonly TaskStatus[];
  queue?: string;
  /** @defaultValue 50 */
  limit?: number;
}

/** Tasks, newest first. */
export async function listTasks(store: Store, options: ListTasksOptions = {}): Promise<Task[]> {
  let query = queueDb(store)
    .selectFrom("tasks")
    .selectAll()
    .orderBy("id", "desc")
    .limit(options.limit ?? 50);
  if (options.status !== undefined) {
    const statuses = typeof options.status === "string" ? [options.status] : [...options.status];
    query = query.where("status", "in", statuses.length > 0 ? statuses : ["none"]);
  }
  if (options.queue !== undefined) query = query.where("queue", "=", options.queue);
  return (await query.execute()).map(taskFromRow);
}

/** Another task as `showTask` names it. */
export interface RelatedTask {
  id: string;
  title: string;
  status: TaskStatus;
}

export interface TaskDetails {
  task: Task;
  /** Every attempt, first first; the running one (outcome null) last. */
  attempts: TaskAttempt[];
  /** What it needs. */
  dependencies: RelatedTask[];
  /** What needs it. */
  dependants: RelatedTask[];
}

/** One task with its attempts and its dependencies both ways; undefined when there is none. */
export async function showTask(store: Store, id: string): Promise<TaskDetails | undefined> {
  const db = queueDb(store);
  const row = await db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const [attempts, dependencies, dependants] = await Promise.all([
    db
      .selectFrom("task_attempts")
      .selectAll()
      .where("task_id", "=", id)
      .orderBy("attempt")
      .execute(),
    db
      .selectFrom("task_dependencies")
      .innerJoin("tasks", "tasks.id", "task_dependencies.depends_on")
      .select(["tasks.id", "tasks.title", "tasks.status"])
      .where("task_dependencies.task_id", "=", id)
      .orderBy("tasks.id")
      .execute(),
    db
      .selectFrom("task_dependencies")
      .innerJoin("tasks", "tasks.id", "task_dependencies.task_id")
      .select(["tasks.id", "tasks.title", "tasks.status"])
      .where("task_dependencies.depends_on", "=", id)
      .orderBy("tasks.id")
      .execute(),
  ]);
  const related = (rows: { id: string; title: string; status: string }[]): RelatedTask[] =>
    rows.map((each) => ({ id: each.id, title: each.title, status: each.status as TaskStatus }));
  const recorded = attempts.map(attemptFromRow);
  // A running attempt has no row yet (it is the task's lease), and a successful one never has
  // one (the task records it); a row of the same number is one an older Orkestra wrote at the
  // claim, which the task's own record completes.
  const current = attemptOnTask(row);
  if (current) {
    const index = recorded.findIndex((attempt) => attempt.attempt === current.attempt);
    if (index === -1) recorded.push(current);
    else if (current.outcome !== null) recorded[index] = current;
  }
  return {
    task: taskFromRow(row),
    attempts: recorded,
    dependencies: related(dependencies),
    dependants: related(dependants),
  };
}

/** How many tasks one queue has in one status. */
export interface TaskCount {
  queue: string;
  status: TaskStatus;
  count: number;
}

/** Tasks counted by queue and status (for `orkestra status`), queues and statuses in name order. */
export async function countTasks(store: Store): Promise<TaskCount[]> {
  const rows = await queueDb(store)
    .selectFrom("tasks")
    .select(["queue", "status", (expression) => expression.fn.countAll<number>().as("count")])
    .groupBy(["queue", "status"])
    .orderBy("queue")
    .orderBy("status")
    .execute();
  return rows.map((row) => ({
    queue: row.queue,
    status: row.status as TaskStatus,
    count: Number(row.count),
  }));
}
