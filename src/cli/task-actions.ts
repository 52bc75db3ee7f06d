import { UsageError } from "../errors/index.js";
import { QueueError } from "../queue/queue-error.js";
import { cancelTask } from "../queue/tasks/cancel-task.js";
import { listTasks, showTask, type TaskDetails } from "../queue/tasks/read-tasks.js";
import { retryTask } from "../queue/tasks/retry-task.js";
import { TASK_STATUSES, type TaskErrorInfo, type TaskStatus } from "../queue/tasks/task-types.js";
import type { Store } from "../store/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { tableTime } from "./iso-time.js";
import { parsePositiveInteger } from "./parse-duration.js";
import { taskListJson, taskShowJson } from "./task-json.js";

/** `orkestra task list`: newest first. */
export async function runTaskList(
  context: CliContext,
  flags: { status?: string; queue?: string; limit: string },
): Promise<number> {
  const limit = parsePositiveInteger(flags.limit, "--limit");
  const statuses = flags.status === undefined ? undefined : parseStatuses(flags.status);
  const tasks = await listTasks(await context.store(), {
    limit,
    ...(statuses === undefined ? {} : { status: statuses }),
    ...(flags.queue === undefined ? {} : { queue: flags.queue }),
  });
  if (context.options.json) {
    context.printJson({ success: true, tasks: tasks.map(taskListJson) });
    return EXIT_OK;
  }
  if (tasks.length === 0) {
    context.print("No tasks.");
    return EXIT_OK;
  }
  context.print(
    formatTable(tasks, [
      { header: "ID", value: (task) => task.id },
      { header: "QUEUE", value: (task) => task.queue },
      { header: "PRIORITY", value: (task) => String(task.priority), align: "right" },
      { header: "STATUS", value: (task) => task.status },
      {
        header: "ATTEMPTS",
        value: (task) => `${task.attempts}/${task.maxAttempts}`,
        align: "right",
      },
      { header: "AGENT", value: (task) => task.agent ?? "-" },
      { header: "CREATED", value: (task) => tableTime(task.createdAt) },
      { header: "FINISHED", value: (task) => tableTime(task.finishedAt) },
      { header: "TITLE", value: (task) => oneLine(task.title, 60) },
    ]),
  );
  return EXIT_OK;
}

/** `--status ready,failed` → the statuses, each checked. */
function parseStatuses(text: string): TaskStatus[] {
  const statuses = text.split(",").map((part) => part.trim());
  for (const status of statuses) {
    if (!(TASK_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status: "${status}" is not a task status`, {
        hint: `Use one of ${TASK_STATUSES.join(", ")} (several with commas).`,
      });
    }
  }
  return statuses as TaskStatus[];
}

/** `orkestra task show <id>`: an unknown id is exit 1, as `orkestra show <run>`. */
export async function runTaskShow(context: CliContext, id: string): Promise<number> {
  const details = await requireTask(await context.store(), id);
  if (context.options.json) context.printJson(taskShowJson(details));
  else printTask(context, details);
  return EXIT_OK;
}

/** The task with its attempts and dependencies, or the queue's `queue.not_found` error. */
export async function requireTask(store: Store, id: string): Promise<TaskDetails> {
  const details = await showTask(store, id);
  if (details === undefined) {
    throw new QueueError(`There is no task ${id}.`, {
      code: "queue.not_found",
      taskId: id,
      hint: "List tasks with: orkestra task list",
    });
  }
  return details;
}

function printTask(context: CliContext, details: TaskDetails): void {
  const { task } = details;
  context.print(
    `task ${task.id} ${JSON.stringify(task.title)} · ${task.kind} · queue ${task.queue} · priority ${task.priority} · ${task.status}`,
  );
  context.print(
    `attempts ${task.attempts}/${task.maxAttempts} · timeout ${shortDuration(task.timeoutMs)} · agent ${task.agent ?? "-"} · run at ${tableTime(task.runAt)}`,
  );
  context.print(
    `created ${tableTime(task.createdAt)} · started ${tableTime(task.startedAt)} · finished ${tableTime(task.finishedAt)}`,
  );
  if (task.capabilities.length > 0) context.print(`capabilities: ${task.capabilities.join(", ")}`);
  if (task.idempotencyKey !== null) context.print(`idempotency key: ${task.idempotencyKey}`);
  const related = (tasks: TaskDetails["dependencies"]) =>
    tasks.map((each) => `${each.id} ${JSON.stringify(each.title)} (${each.status})`).join(", ");
  if (details.dependencies.length > 0) context.print(`needs: ${related(details.dependencies)}`);
  if (details.dependants.length > 0) context.print(`needed by: ${related(details.dependants)}`);
  if (task.leaseOwner !== null) {
    context.print(
      `lease: ${task.leaseOwner} until ${tableTime(task.leaseExpiresAt)} (fencing token ${task.fencingToken})`,
    );
  }
  if (task.cancelRequestedAt !== null) {
    context.print(`cancel asked for at ${tableTime(task.cancelRequestedAt)}`);
  }
  if (task.blockedReason !== null) context.print(`blocked: ${task.blockedReason}`);
  if (task.error !== null) context.print(`error: ${describeError(task.error)}`);
  if (task.instructions !== null) context.print(`instructions: ${oneLine(task.instructions, 200)}`);
  if (task.payload !== null)
    context.print(`payload: ${oneLine(JSON.stringify(task.payload), 200)}`);
  if (task.result !== null) context.print(`result: ${oneLine(JSON.stringify(task.result), 200)}`);
  context.print("");
  if (details.attempts.length === 0) {
    context.print("No attempts yet.");
    return;
  }
  context.print(
    formatTable(details.attempts, [
      { header: "ATTEMPT", value: (attempt) => String(attempt.attempt), align: "right" },
      { header: "WORKER", value: (attempt) => attempt.worker },
      { header: "AGENT", value: (attempt) => attempt.agent ?? "-" },
      { header: "TOKEN", value: (attempt) => String(attempt.fencingToken), align: "right" },
      { header: "STARTED", value: (attempt) => tableTime(attempt.startedAt) },
      { header: "FINISHED", value: (attempt) => tableTime(attempt.finishedAt) },
      { header: "OUTCOME", value: (attempt) => attempt.outcome ?? "running" },
      {
        header: "ERROR",
        value: (attempt) => (attempt.error === null ? "" : describeError(attempt.error)),
      },
    ]),
  );
}

/** `10m`, `90s`, `1500ms`: the largest unit that divides the duration. */
function shortDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function describeError(error: TaskErrorInfo): string {
  const code = error.code === undefined ? "" : ` (${error.code})`;
  return `${oneLine(error.message, 160)}${code}`;
}

/** The first line, shortened to `limit` characters. */
function oneLine(text: string, limit: number): string {
  const first = text.split("\n")[0] ?? "";
  const more = first.length < text.length ? "…" : "";
  return first.length > limit ? `${first.slice(0, limit - 1)}…` : `${first}${more}`;
}

/** `orkestra task cancel <id>`: at once, or asked of its worker when it runs; audited. */
export async function runTaskCancel(
  context: CliContext,
  id: string,
  flags: { reason?: string },
): Promise<number> {
  const store = await context.store();
  const result = await cancelTask(store, id, {
    ...(flags.reason === undefined ? {} : { reason: flags.reason }),
  });
  await store.audit.append({
    actor: context.actor,
    action: "task:cancel",
    resource: `task:${id}`,
    outcome: result.cancelRequested ? "requested" : "cancelled",
    data: { status: result.status, reason: flags.reason ?? null },
  });
  if (context.options.json) {
    context.printJson({ success: true, ...result });
  } else if (result.cancelRequested) {
    context.print(
      `Asked task ${id} to stop: its worker aborts it at its next heartbeat, and it ends cancelled.`,
    );
  } else {
    context.print(`Cancelled task ${id} (tasks that need it are blocked).`);
  }
  return EXIT_OK;
}

/** `orkestra task retry <id>`: a dead, cancelled or blocked task runs again; audited. */
export async function runTaskRetry(context: CliContext, id: string): Promise<number> {
  const store = await context.store();
  const result = await retryTask(store, id);
  await store.audit.append({
    actor: context.actor,
    action: "task:retry",
    resource: `task:${id}`,
    outcome: "success",
    data: { status: result.status, unblocked: result.unblocked },
  });
  if (context.options.json) {
    context.printJson({ success: true, ...result });
    return EXIT_OK;
  }
  const unblocked =
    result.unblocked.length === 0
      ? ""
      : `; ${result.unblocked.length} task${result.unblocked.length === 1 ? "" : "s"} that needed it wait again`;
  context.print(`Task ${id} is ${result.status} again, with a full set of attempts${unblocked}.`);
  return EXIT_OK;
}
