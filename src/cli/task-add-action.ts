import { didYouMean, type LoadedConfig } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import { capabilityWarning } from "../queue/agents/index.js";
import { QueueError, type QueueErrorCode } from "../queue/queue-error.js";
import { addTasks } from "../queue/tasks/add-tasks.js";
import { DEFAULT_TASK_KIND, DEFAULT_TASK_QUEUE } from "../queue/tasks/task-limits.js";
import type { AddedTask, TaskSpec } from "../queue/tasks/task-types.js";
import { listWorkers } from "../queue/worker/worker-registry.js";
import type { Store } from "../store/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { readTaskFile, type TaskFile } from "./task-file.js";
import { describeTaskEntry } from "./task-file-error.js";
import { type TaskAddFlags, taskSpecFromFlags } from "./task-flags.js";

/** Flags that describe one task, which --file replaces. */
const SPEC_FLAGS = [
  "title",
  "instructions",
  "priority",
  "needs",
  "capabilities",
  "queue",
  "payload",
  "kind",
  "maxAttempts",
  "timeout",
  "runAt",
  "idempotencyKey",
  "agent",
] as const;

/**
 * `orkestra task add`: one task from the flags, or every task of `--file`, in one transaction.
 * Everything is checked before the store is opened; bad input is exit 2 with nothing added.
 */
export async function runTaskAdd(context: CliContext, flags: TaskAddFlags): Promise<number> {
  const loaded = await context.config();
  const schemaContext = { agents: Object.keys(loaded.config.agents) };
  const now = Date.now();
  let specs: TaskSpec[];
  let file: TaskFile | undefined;
  if (flags.file !== undefined) {
    const extra = SPEC_FLAGS.filter((flag) => flags[flag] !== undefined);
    if (extra.length > 0) {
      throw new UsageError(
        `--file takes every task from the file; ${extra.map(flagName).join(", ")} cannot be given with it`,
        { hint: "Put those keys on the entries of the file, or leave out --file." },
      );
    }
    file = await readTaskFile(flags.file, { ...schemaContext, cwd: context.io.cwd, now });
    specs = file.specs;
  } else {
    if (flags.title === undefined) {
      throw new UsageError("a task needs a title: give --title, or --file with a list of tasks", {
        hint: 'orkestra task add --title "Write the parser" --capabilities code',
      });
    }
    specs = [taskSpecFromFlags(flags, schemaContext, now)];
  }

  const store = await context.store();
  const queueWarnings = await newQueueWarnings(store, loaded, specs);
  let added: AddedTask[];
  try {
    added = await addTasks(store, specs, { now });
  } catch (error) {
    throw QueueError.isInstance(error) && error.invalidInput ? placed(error, file) : error;
  }

  const logger = await context.logger();
  for (const warning of [...queueWarnings, ...capabilityWarnings(specs, loaded, file)]) {
    logger.warn(warning);
  }
  if (context.options.json) {
    context.printJson({
      success: true,
      tasks: added.map((task) => ({ id: task.id, key: task.key, status: task.status })),
    });
    return EXIT_OK;
  }
  for (const task of added) {
    const key = task.key === null ? "" : ` (${task.key})`;
    context.print(
      task.existing
        ? `Task ${task.id}${key} was already there (same idempotency key): ${task.status}.`
        : `Added task ${task.id}${key}: ${task.status}.`,
    );
  }
  return EXIT_OK;
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * The queue's error about one entry, said where it is: the file, line and entry for `--file`;
 * for the flags' single task, "The task" rather than "Task entry 0".
 */
function placed(error: QueueError, file: TaskFile | undefined): QueueError {
  const options = {
    code: error.code as QueueErrorCode,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.index === undefined ? {} : { index: error.index }),
    ...(error.key === undefined ? {} : { key: error.key }),
    cause: error,
  };
  if (file === undefined) {
    return new QueueError(error.message.replace(/^Task entry 0 /, "The task "), options);
  }
  if (error.index === undefined) return new QueueError(`${file.file}: ${error.message}`, options);
  const position = file.positionOf(error.index);
  const where = position === undefined ? "" : `:${position.line}:${position.column}`;
  return new QueueError(`${file.file}${where}: ${error.message}`, options);
}

/** A task that needs a capability no agent has: added, and it waits; say so. */
function capabilityWarnings(
  specs: readonly TaskSpec[],
  loaded: LoadedConfig,
  file: TaskFile | undefined,
): string[] {
  return specs.flatMap((spec, index) => {
    if ((spec.kind ?? DEFAULT_TASK_KIND) !== DEFAULT_TASK_KIND) return [];
    const warning = capabilityWarning(spec.capabilities ?? [], loaded.config.agents);
    if (warning === undefined) return [];
    const entry = file === undefined ? "" : `${describeTaskEntry(index, spec.key ?? null)}: `;
    return [`${entry}${warning}`];
  });
}

/**
 * The queues a task may go to are any names (orkestra.yaml has no list of queues); a queue
 * that nothing knows of yet — not `default`, no schedule's, no registered worker's — is most
 * likely a typo, so it is added with a warning naming the closest known queue.
 */
async function newQueueWarnings(
  store: Store,
  loaded: LoadedConfig,
  specs: readonly TaskSpec[],
): Promise<string[]> {
  const wanted = [...new Set(specs.map((spec) => spec.queue ?? DEFAULT_TASK_QUEUE))];
  if (wanted.every((queue) => queue === DEFAULT_TASK_QUEUE)) return [];
  const known = new Set([DEFAULT_TASK_QUEUE]);
  for (const schedule of Object.values(loaded.config.schedules)) {
    if (schedule.task?.queue !== undefined) known.add(schedule.task.queue);
  }
  for (const worker of await listWorkers(store)) {
    for (const queue of worker.queues) known.add(queue);
  }
  return wanted
    .filter((queue) => !known.has(queue))
    .map((queue) => {
      const closest = didYouMean(queue, known);
      const guess = closest === undefined ? "" : ` (did you mean "${closest}"?)`;
      return `queue "${queue}" is new: no worker has served it and no schedule names it${guess}; its tasks wait until a worker serves it (orkestra worker --queues ${queue})`;
    });
}
