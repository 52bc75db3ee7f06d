export { schedulesMigration } from "./0007-schedules.js";
export { CronSchedule } from "./cron-schedule.js";
export { type DueTick, type DueTicksInput, dueTicks } from "./due-ticks.js";
export { ScheduleError, type ScheduleErrorCode } from "./schedule-error.js";
export {
  type ScheduleDb,
  type ScheduleTables,
  type ScheduleTickTable,
  type ScheduleTransaction,
  scheduleDb,
  scheduleTransaction,
} from "./schedule-tables.js";
export { type ScheduleTarget, scheduleTarget } from "./schedule-target.js";
export {
  claimTick,
  latestFiredTicks,
  listFiredTicks,
  recordTickTarget,
  type ScheduleTickRecord,
} from "./schedule-ticks.js";
export {
  type FiredTick,
  type FireResult,
  type FireTick,
  Scheduler,
  type SchedulerOptions,
  type ScheduleTick,
  type StartSchedulerOptions,
  startScheduler,
} from "./scheduler.js";
