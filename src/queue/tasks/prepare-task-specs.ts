import { QueueError } from "../queue-error.js";
import { findTaskCycle } from "./find-task-cycle.js";
import { newTaskId } from "./task-id.js";
import {
  CAPABILITY_PATTERN,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TASK_KIND,
  DEFAULT_TASK_QUEUE,
  DEFAULT_TASK_TIMEOUT_MS,
  MAX_TASK_PRIORITY,
  MAX_TASK_TIMEOUT_MS,
  MIN_TASK_PRIORITY,
  NAME_PATTERN,
} from "./task-limits.js";
import type { TaskSpec } from "./task-types.js";

/** One entry of `addTasks`, checked, with defaults filled in and its id chosen. */
export interface PreparedTask {
  index: number;
  key: string | null;
  id: string;
  queue: string;
  kind: string;
  title: string;
  instructions: string | null;
  payloadJson: string | null;
  priority: number;
  capabilities: string[];
  maxAttempts: number;
  timeoutMs: number;
  runAt: number;
  idempotencyKey: string | null;
  agent: string | null;
  /** Ids of other entries of the batch it needs. */
  batchNeeds: string[];
  /** Ids of tasks already in the store it needs. */
  storedNeeds: string[];
}

/**
 * Checks every entry (nothing is read from the store yet) and resolves `needs` that name other
 * entries by key. Throws a QueueError naming the entry (index and key) at the first problem.
 */
export function prepareTaskSpecs(specs: readonly TaskSpec[], now: number): PreparedTask[] {
  if (!Array.isArray(specs)) {
    throw new QueueError("addTasks takes a list of tasks.", {
      code: "queue.invalid_task",
      hint: "Pass an array of task specs, each with at least a title.",
    });
  }
  const prepared = specs.map((spec, index) => prepareOne(spec, index, now));
  const byKey = new Map<string, PreparedTask>();
  const byIdempotencyKey = new Map<string, PreparedTask>();
  for (const task of prepared) {
    if (task.key !== null) {
      const other = byKey.get(task.key);
      if (other)
        fail(
          task,
          `its key "${task.key}" is also the key of entry ${other.index}`,
          "Give every entry its own key.",
        );
      byKey.set(task.key, task);
    }
    if (task.idempotencyKey !== null) {
      const other = byIdempotencyKey.get(task.idempotencyKey);
      if (other) {
        fail(
          task,
          `its idempotency key "${task.idempotencyKey}" is also that of entry ${other.index}`,
          "Give every entry its own idempotency key, or add the task once.",
        );
      }
      byIdempotencyKey.set(task.idempotencyKey, task);
    }
  }
  for (const task of prepared) {
    const needs = (specs[task.index] as TaskSpec).needs ?? [];
    for (const need of new Set(needs)) {
      const entry = byKey.get(need);
      if (entry) task.batchNeeds.push(entry.id);
      else task.storedNeeds.push(need);
    }
  }
  const cycle = findTaskCycle(new Map(prepared.map((task) => [task.id, task.batchNeeds])));
  if (cycle) {
    const byId = new Map(prepared.map((task) => [task.id, task]));
    const names = cycle.map((id) => describeEntry(byId.get(id) as PreparedTask));
    const first = byId.get(cycle[0] as string) as PreparedTask;
    throw new QueueError(`The tasks' dependencies form a cycle: ${names.join(" → ")}.`, {
      code: "queue.dependency_cycle",
      index: first.index,
      key: first.key ?? undefined,
      hint: "Remove one of these needs: a task cannot wait, directly or not, for itself.",
    });
  }
  return prepared;
}

function prepareOne(spec: TaskSpec, index: number, now: number): PreparedTask {
  const where = { index, key: typeof spec?.key === "string" ? spec.key : null };
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    fail(where, "is not an object", "Each entry is an object with at least a title.");
  }
  if (spec.key !== undefined && (typeof spec.key !== "string" || spec.key === "")) {
    fail(where, "its key must be a non-empty string", "Name the entry, or leave key out.");
  }
  if (typeof spec.title !== "string" || spec.title.trim() === "") {
    fail(where, "has no title", "Give every task a title: one line saying what it is.");
  }
  const queue = name(spec.queue, DEFAULT_TASK_QUEUE, "queue", where);
  const kind = name(spec.kind, DEFAULT_TASK_KIND, "kind", where);
  const priority = spec.priority ?? 0;
  if (!Number.isInteger(priority) || priority < MIN_TASK_PRIORITY || priority > MAX_TASK_PRIORITY) {
    fail(
      where,
      `its priority ${String(priority)} is not an integer in ${MIN_TASK_PRIORITY}..${MAX_TASK_PRIORITY}`,
      `Use an integer from ${MIN_TASK_PRIORITY} (last) to ${MAX_TASK_PRIORITY} (first); 0 is the default.`,
    );
  }
  const maxAttempts = positiveInteger(spec.maxAttempts, DEFAULT_MAX_ATTEMPTS, "maxAttempts", where);
  const timeoutMs = positiveInteger(spec.timeoutMs, DEFAULT_TASK_TIMEOUT_MS, "timeoutMs", where);
  if (timeoutMs > MAX_TASK_TIMEOUT_MS) {
    fail(
      where,
      `its timeoutMs ${timeoutMs} is longer than ${MAX_TASK_TIMEOUT_MS} (about 24.8 days)`,
      "Give a shorter timeout; a task that long should checkpoint and be split.",
    );
  }
  const runAt = spec.runAt instanceof Date ? spec.runAt.getTime() : (spec.runAt ?? now);
  if (typeof runAt !== "number" || !Number.isFinite(runAt)) {
    fail(where, "its runAt is not a time", "Give runAt as epoch milliseconds or a Date.");
  }
  const needs = spec.needs ?? [];
  if (!Array.isArray(needs) || needs.some((need) => typeof need !== "string" || need === "")) {
    fail(
      where,
      "its needs must be a list of task ids or entry keys",
      'Write needs as ["<id or key>", …].',
    );
  }
  const capabilities = spec.capabilities ?? [];
  if (
    !Array.isArray(capabilities) ||
    capabilities.some((each) => typeof each !== "string" || !CAPABILITY_PATTERN.test(each))
  ) {
    fail(
      where,
      "its capabilities must be a list of words (letters, digits, _ . + # : -)",
      'Write capabilities as ["code", "review"].',
    );
  }
  for (const [field, value] of [
    ["instructions", spec.instructions],
    ["idempotencyKey", spec.idempotencyKey],
    ["agent", spec.agent],
  ] as const) {
    if (
      value !== undefined &&
      (typeof value !== "string" || (field !== "instructions" && value === ""))
    ) {
      fail(
        where,
        `its ${field} must be a non-empty string`,
        `Give ${field} as text, or leave it out.`,
      );
    }
  }
  return {
    ...where,
    id: newTaskId(now),
    queue,
    kind,
    title: spec.title.trim(),
    instructions: spec.instructions ?? null,
    payloadJson: payloadJson(spec.payload, where),
    priority,
    capabilities: [...new Set(capabilities)].sort(),
    maxAttempts,
    timeoutMs,
    runAt: Math.trunc(runAt),
    idempotencyKey: spec.idempotencyKey ?? null,
    agent: spec.agent ?? null,
    batchNeeds: [],
    storedNeeds: [],
  };
}

function name(value: unknown, fallback: string, field: string, where: Where): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    fail(
      where,
      `its ${field} ${JSON.stringify(value)} is not a name`,
      `A ${field} is 1–100 letters, digits or _ . : - (default "${fallback}").`,
    );
  }
  return value;
}

function positiveInteger(value: unknown, fallback: number, field: string, where: Where): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    fail(
      where,
      `its ${field} ${String(value)} is not a positive integer`,
      `Give ${field} as a whole number of at least 1 (default ${fallback}).`,
    );
  }
  return value;
}

function payloadJson(payload: unknown, where: Where): string | null {
  if (payload === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    fail(
      where,
      `its payload cannot be written as JSON (${error instanceof Error ? error.message : String(error)})`,
      "Pass plain data: objects, arrays, strings, numbers, booleans, null.",
    );
  }
  if (text === undefined)
    fail(
      where,
      "its payload cannot be written as JSON",
      "Pass plain data: objects, arrays, strings, numbers, booleans, null.",
    );
  return text;
}

interface Where {
  index: number;
  key: string | null;
}

/** `entry 2 ("build")`: how messages name an entry. */
export function describeEntry(where: Where): string {
  return where.key === null ? `entry ${where.index}` : `entry ${where.index} ("${where.key}")`;
}

function fail(where: Where, problem: string, hint: string): never {
  throw new QueueError(`Task ${describeEntry(where)} ${problem}.`, {
    code: "queue.invalid_task",
    index: where.index,
    key: where.key ?? undefined,
    hint,
  });
}
