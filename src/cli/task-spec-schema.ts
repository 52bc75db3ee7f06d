import { z } from "zod";
import { UsageError } from "../errors/index.js";
import {
  CAPABILITY_PATTERN,
  MAX_TASK_PRIORITY,
  MIN_TASK_PRIORITY,
  NAME_PATTERN,
} from "../queue/tasks/task-limits.js";
import type { TaskSpec } from "../queue/tasks/task-types.js";
import { parseDuration } from "./parse-duration.js";

/** What the schema needs to know beyond the entry: the configured agents. */
export interface TaskSchemaContext {
  /** Names under `agents:` in orkestra.yaml. */
  agents: readonly string[];
}

const NAME_MESSAGE = "a name of 1 to 100 letters, digits or _ . : -";
const TIMEOUT_EXPECTED = "a duration such as 30s, 10m or 1h (or whole milliseconds)";
const RUN_AT_EXPECTED =
  "an ISO 8601 time such as 2026-05-01T09:00:00Z, or a duration from now such as 10m";

const nameSchema = z.string().regex(NAME_PATTERN, NAME_MESSAGE);
const capabilitySchema = z
  .string()
  .regex(CAPABILITY_PATTERN, "a word of letters, digits or _ . + # : - (such as code or c++)");

/**
 * One task as `orkestra task add --file` takes it, and as the flags are checked: the keys of
 * the flags in camelCase. Strict: an unknown key is an error with the closest known one.
 * `timeout` and `runAt` are checked here and converted by {@link toTaskSpec}.
 */
export function taskEntrySchema(context: TaskSchemaContext) {
  return z.strictObject({
    /** Names the entry, so other entries' `needs` can refer to it. */
    key: z.string().min(1).optional(),
    title: z.string().trim().min(1),
    instructions: z.string().optional(),
    /** `agent`, or the name of a handler. */
    kind: nameSchema.optional(),
    queue: nameSchema.optional(),
    priority: z.number().int().min(MIN_TASK_PRIORITY).max(MAX_TASK_PRIORITY).optional(),
    /** Ids of existing tasks, or keys of other entries. */
    needs: z.array(z.string().min(1)).optional(),
    capabilities: z.array(capabilitySchema).optional(),
    payload: z.unknown().optional(),
    maxAttempts: z.number().int().min(1).optional(),
    /** A duration (`10m`) or milliseconds. */
    timeout: z.unknown().optional().superRefine(expectTimeout),
    /** An ISO 8601 time or a duration from now. */
    runAt: z.unknown().optional().superRefine(expectRunAt),
    idempotencyKey: z.string().min(1).optional(),
    agent: z
      .string()
      .optional()
      .superRefine((agent, refinement) => expectKnownAgent(agent, context, refinement)),
  });
}

/** A tasks file: a non-empty list of entries. */
export function taskFileSchema(context: TaskSchemaContext) {
  return z.array(taskEntrySchema(context)).min(1);
}

export type TaskEntry = z.output<ReturnType<typeof taskEntrySchema>>;

/** A checked entry as the queue takes it; `now` anchors a `runAt` given as a duration. */
export function toTaskSpec(entry: TaskEntry, now: number): TaskSpec {
  const { timeout, runAt, ...rest } = entry;
  const spec: TaskSpec = { ...rest, title: entry.title };
  if (timeout !== undefined) spec.timeoutMs = timeoutMs(timeout) as number;
  if (runAt !== undefined) spec.runAt = runAtTime(runAt, now) as number;
  for (const key of Object.keys(spec) as (keyof TaskSpec)[]) {
    if (spec[key] === undefined) delete spec[key];
  }
  return spec;
}

function timeoutMs(value: unknown): number | undefined {
  if (typeof value === "number")
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  return durationOrUndefined(value);
}

/** Epoch ms of an ISO time (`2026-05-01T09:00:00Z`, `2026-05-01`) or of now + a duration. */
export function runAtTime(value: unknown, now: number): number | undefined {
  if (typeof value !== "string") return undefined;
  if (/^\d{4}-\d\d-\d\d/.test(value.trim())) {
    const at = Date.parse(value.trim());
    return Number.isFinite(at) ? at : undefined;
  }
  const duration = durationOrUndefined(value);
  return duration === undefined ? undefined : now + duration;
}

function durationOrUndefined(text: string): number | undefined {
  try {
    return parseDuration(text, "duration");
  } catch (error) {
    if (UsageError.isInstance(error)) return undefined;
    throw error;
  }
}

function expectTimeout(value: unknown, refinement: z.RefinementCtx): void {
  if (value === undefined || timeoutMs(value) !== undefined) return;
  refinement.addIssue({
    code: "custom",
    message: `expected ${TIMEOUT_EXPECTED}`,
    params: { expected: TIMEOUT_EXPECTED },
  });
}

function expectRunAt(value: unknown, refinement: z.RefinementCtx): void {
  if (value === undefined || runAtTime(value, 0) !== undefined) return;
  refinement.addIssue({
    code: "custom",
    message: `expected ${RUN_AT_EXPECTED}`,
    params: { expected: RUN_AT_EXPECTED },
  });
}

function expectKnownAgent(
  agent: string | undefined,
  context: TaskSchemaContext,
  refinement: z.RefinementCtx,
): void {
  if (agent === undefined || context.agents.includes(agent)) return;
  if (context.agents.length === 0) {
    const expected = "an agent under agents: in orkestra.yaml (none is configured)";
    refinement.addIssue({ code: "custom", message: expected, params: { expected } });
    return;
  }
  refinement.addIssue({
    code: "custom",
    message: `unknown agent ${JSON.stringify(agent)}`,
    params: { known: [...context.agents] },
  });
}
