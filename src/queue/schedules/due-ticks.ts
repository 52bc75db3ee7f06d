import { CATCH_UP_ALL_LIMIT, type CatchUpPolicy } from "../../config/schedules-schema.js";
import type { CronSchedule } from "./cron-schedule.js";

/** A tick to fire now. */
export interface DueTick {
  /** Epoch ms. */
  tickAt: number;
  /** The tick was missed (no scheduler ran in time) and fires because of `catchUp`. */
  catchUp: boolean;
}

export interface DueTicksInput {
  cron: CronSchedule;
  catchUp: CatchUpPolicy;
  /** The latest tick fired by anyone; undefined when the schedule never fired. */
  lastFired: number | undefined;
  /** When this scheduler started, epoch ms. */
  startedAt: number;
  now: number;
  /** A tick not fired within this long of its time counts as missed. */
  missedAfterMs: number;
}

/**
 * Ticks not on time in one round are left for the next: a bound on the work of a round, never
 * reached by a schedule that ticks at most once a second within the default `missedAfterMs`.
 */
const ON_TIME_TICKS_PER_ROUND = 1_000;

/**
 * The ticks of one schedule due at `now`, oldest first: the ticks after the last fired one that
 * are on time, preceded by the missed ones that the catch-up policy fires.
 *
 * A tick is missed when it came before this scheduler started (no scheduler was running then,
 * or the last fired tick would be later) or more than `missedAfterMs` ago (every scheduler was
 * stopped, paused or asleep). A schedule that never fired has no missed ticks: it starts from
 * this scheduler's start.
 */
export function dueTicks(input: DueTicksInput): DueTick[] {
  const { cron, now } = input;
  const window = missedWindow(input);
  const missed =
    input.catchUp === "none"
      ? []
      : cron.latestTicksBetween(
          window.after,
          window.until,
          input.catchUp === "last" ? 1 : CATCH_UP_ALL_LIMIT,
        );
  const onTime = cron.ticksBetween(
    Math.max(window.after, window.until),
    now,
    ON_TIME_TICKS_PER_ROUND,
  );
  return [
    ...missed.map((tickAt) => ({ tickAt, catchUp: true })),
    ...onTime.map((tickAt) => ({ tickAt, catchUp: false })),
  ];
}

/** The earliest missed tick not yet fired, for the log; undefined when nothing was missed. */
export function firstMissedTick(input: DueTicksInput): number | undefined {
  const window = missedWindow(input);
  const first = input.cron.nextTickAfter(window.after);
  return first !== undefined && first <= window.until ? first : undefined;
}

/** Missed ticks are those in (after, until]. */
function missedWindow(input: DueTicksInput): { after: number; until: number } {
  const after = input.lastFired ?? input.startedAt;
  const until = Math.min(Math.max(input.startedAt, input.now - input.missedAfterMs), input.now);
  return { after, until };
}
