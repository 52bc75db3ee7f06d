import type { Cron } from "croner";
import { compileCron } from "../../config/schedules-schema.js";

/**
 * The ticks of one cron expression in one time zone, as epoch ms (whole seconds). Time zones and
 * daylight saving time are croner's: in a DST gap a fixed-time expression (`30 2 * * *`) ticks
 * at the first time after the gap and an interval one (`*\/15 * * * *`) skips the missing times;
 * in a repeated hour a fixed-time expression ticks once, an interval one on both passes.
 */
export class CronSchedule {
  readonly expression: string;
  /** IANA name; undefined for UTC. */
  readonly timezone: string | undefined;
  private readonly cron: Cron;

  /** Throws croner's error when `expression` does not parse or `timezone` is unknown. */
  constructor(expression: string, timezone: string | undefined) {
    this.expression = expression;
    this.timezone = timezone;
    this.cron = compileCron(expression, timezone);
    this.cron.nextRun(); // an unknown time zone throws here, not at the first use
  }

  /** The first tick strictly after `after`; undefined when there is none. */
  nextTickAfter(after: number): number | undefined {
    return this.cron.nextRun(new Date(after))?.getTime();
  }

  /** Ticks in (after, until], oldest first, at most `limit` of them (the oldest). */
  ticksBetween(after: number, until: number, limit: number): number[] {
    const ticks: number[] = [];
    let tick = this.nextTickAfter(after);
    while (tick !== undefined && tick <= until && ticks.length < limit) {
      ticks.push(tick);
      tick = this.nextTickAfter(tick);
    }
    return ticks;
  }

  /**
   * The latest `count` ticks in (after, until], oldest first. Walks back from `until`, so a
   * long gap costs `count` steps, not one per tick since `after`.
   */
  latestTicksBetween(after: number, until: number, count: number): number[] {
    if (count <= 0 || until <= after) return [];
    // previousRuns returns ticks strictly before its reference: one ms past `until` includes it.
    return this.cron
      .previousRuns(count, new Date(until + 1))
      .map((date) => date.getTime())
      .filter((tick) => tick > after && tick <= until)
      .reverse();
  }
}
