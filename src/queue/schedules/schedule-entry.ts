import {
  type CatchUpPolicy,
  type ScheduleInput,
  scheduleSchema,
} from "../../config/schedules-schema.js";
import { CronSchedule } from "./cron-schedule.js";
import { ScheduleError } from "./schedule-error.js";
import { type ScheduleTarget, scheduleTarget } from "./schedule-target.js";

/** A schedule ready to run: its expression compiled, its target resolved. */
export interface ScheduleEntry {
  name: string;
  cron: CronSchedule;
  catchUp: CatchUpPolicy;
  target: ScheduleTarget;
}

/**
 * Checks a schedule as loadConfig does (the library may be given one that never went through
 * orkestra.yaml) and compiles it. Throws a ScheduleError naming the schedule and the key.
 */
export function scheduleEntry(name: string, schedule: ScheduleInput): ScheduleEntry {
  const parsed = scheduleSchema.safeParse(schedule);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ["schedules", name, ...(issue?.path ?? [])].join(".");
    throw new ScheduleError(`${where}: ${issue?.message ?? "invalid schedule"}`, {
      code: "schedule.invalid",
      schedule: name,
      hint: "Fix the schedule; for orkestra.yaml, `orkestra validate-config` lists every problem.",
    });
  }
  const config = parsed.data;
  return {
    name,
    cron: new CronSchedule(config.cron, config.timezone),
    catchUp: config.catchUp,
    target: scheduleTarget(config),
  };
}
