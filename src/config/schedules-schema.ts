import { createRequire } from "node:module";
import type { Cron } from "croner";
import { z } from "zod";

/** What happens to ticks that no worker fired in time (see docs/schedules.md). */
export const CATCH_UP_POLICIES = ["none", "last", "all"] as const;

export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** `catchUp: all` fires at most this many missed ticks (the most recent ones) per schedule. */
export const CATCH_UP_ALL_LIMIT = 100;

const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]*$/,
    "a name of letters, digits, '_', '.' or '-', starting with a letter",
  );

/** The task a schedule enqueues: the keys of a task, as `orkestra task add --file` takes them. */
export const scheduleTaskSchema = z.strictObject({
  title: z.string().min(1),
  instructions: z.string().min(1).optional(),
  /** @defaultValue the queue's default priority */
  priority: z.number().int().optional(),
  /** Capabilities the agent must have. */
  capabilities: z.array(z.string().min(1)).optional(),
  /** @defaultValue the default queue */
  queue: nameSchema.optional(),
  /** Any JSON value, given to the task as is. */
  payload: z.unknown().optional(),
  maxAttempts: z.number().int().positive().optional(),
  /** Milliseconds an attempt may run. */
  timeout: z.number().int().positive().optional(),
});

export type ScheduleTaskConfig = z.output<typeof scheduleTaskSchema>;

/**
 * One entry of `schedules:`: a cron expression (5 fields, or 6 with seconds first, or 7 with a
 * year last; `@daily` and the other nicknames too), its time zone, and what each tick enqueues:
 * exactly one of `workflow` (a workflow file, with `inputs`) or `task`.
 */
export const scheduleSchema = z
  .strictObject({
    cron: z.string().min(1),
    /** IANA time zone the expression is read in (`Europe/Paris`). @defaultValue "UTC" */
    timezone: z.string().min(1).optional(),
    /** A workflow file, relative to the workspace directory. */
    workflow: z.string().min(1).optional(),
    /** The workflow's inputs. */
    inputs: z.record(z.string(), z.unknown()).optional(),
    task: scheduleTaskSchema.optional(),
    /** Missed ticks: skip them, fire the latest, or fire them all (at most 100). @defaultValue "none" */
    catchUp: z.enum(CATCH_UP_POLICIES).default("none"),
  })
  // Runs even when a key failed its type, so a bad cron and a bad key are reported together.
  .superRefine(checkSchedule, { when: (payload) => isRecord(payload.value) });

export type ScheduleConfig = z.output<typeof scheduleSchema>;
/** A schedule as written: `catchUp` may be left out. */
export type ScheduleInput = z.input<typeof scheduleSchema>;

/** `schedules:` of orkestra.yaml, by schedule name. */
export const schedulesSchema = z.record(nameSchema, scheduleSchema);

export type SchedulesConfig = z.output<typeof schedulesSchema>;

function checkSchedule(
  schedule: {
    cron: unknown;
    timezone?: unknown;
    workflow?: unknown;
    inputs?: unknown;
    task?: unknown;
  },
  context: z.RefinementCtx,
): void {
  const hasWorkflow = schedule.workflow !== undefined;
  const hasTask = schedule.task !== undefined;
  if (hasWorkflow && hasTask) {
    context.addIssue({
      code: "custom",
      path: ["task"],
      message: "`workflow` and `task` exclude each other; give one of them",
    });
  } else if (!hasWorkflow && !hasTask) {
    context.addIssue({
      code: "custom",
      path: [],
      message: "a schedule needs `workflow` (a workflow file to run) or `task` (a task to enqueue)",
    });
  }
  if (schedule.inputs !== undefined && !hasWorkflow) {
    context.addIssue({
      code: "custom",
      path: ["inputs"],
      message: "`inputs` belongs to a `workflow` schedule; give a task its data in `task.payload`",
    });
  }
  const timezone = typeof schedule.timezone === "string" ? schedule.timezone : undefined;
  if (timezone !== undefined && !isTimeZone(timezone)) {
    context.addIssue({
      code: "custom",
      path: ["timezone"],
      message: "unknown time zone",
      params: { expected: "an IANA time zone such as Europe/Paris or UTC" },
    });
    return;
  }
  if (typeof schedule.cron !== "string" || schedule.cron.trim() === "") return;
  const problem = cronProblem(schedule.cron, timezone);
  if (problem !== undefined) context.addIssue({ code: "custom", path: ["cron"], message: problem });
}

const CRON_FIELDS =
  "write minute hour day-of-month month day-of-week, optionally with a seconds field first";

/** Why `expression` cannot schedule anything, with croner's reason; undefined when it can. */
function cronProblem(expression: string, timezone: string | undefined): string | undefined {
  const quoted = JSON.stringify(expression);
  try {
    const cron = compileCron(expression, timezone);
    return cron.nextRun() === null ? `cron expression ${quoted} never fires again` : undefined;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /^Cron(Pattern|Date): /,
      "",
    );
    return `invalid cron expression ${quoted}: ${reason}; ${CRON_FIELDS}`;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Loaded when a configuration has schedules, not by every command that reads orkestra.yaml:
// validation is synchronous, so a dynamic import() cannot do it.
const requireModule = createRequire(import.meta.url);
let croner: typeof import("croner") | undefined;

/**
 * The croner schedule of a cron expression in a time zone (UTC when none), for computing ticks;
 * no timer is started. Throws croner's error when the expression does not parse; an unknown time
 * zone throws on the first `nextRun`.
 */
export function compileCron(expression: string, timezone: string | undefined): Cron {
  croner ??= requireModule("croner") as typeof import("croner");
  return new croner.Cron(expression, { timezone: timezone ?? "UTC", mode: "auto" });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
