import { describe, expect, it } from "vitest";
import { CATCH_UP_ALL_LIMIT } from "../../../src/config/schedules-schema.js";
import { CronSchedule, type DueTicksInput, dueTicks } from "../../../src/queue/schedules/index.js";
import { MINUTE, SECOND, T0, tickRange } from "./schedule-harness.js";

const everySecond = new CronSchedule("* * * * * *", undefined);
const everyMinute = new CronSchedule("0 * * * * *", undefined);

function due(input: Partial<DueTicksInput>): { tickAt: number; catchUp: boolean }[] {
  return dueTicks({
    cron: everySecond,
    catchUp: "none",
    lastFired: undefined,
    startedAt: T0,
    now: T0,
    missedAfterMs: MINUTE,
    ...input,
  });
}

const onTime = (ticks: number[]) => ticks.map((tickAt) => ({ tickAt, catchUp: false }));
const caughtUp = (ticks: number[]) => ticks.map((tickAt) => ({ tickAt, catchUp: true }));

describe("dueTicks", () => {
  it("gives the ticks since the last fired one, oldest first", () => {
    expect(due({ lastFired: T0 + 2 * SECOND, now: T0 + 5 * SECOND + 300 })).toEqual(
      onTime(tickRange(T0 + 3 * SECOND, 3, SECOND)),
    );
    expect(due({ lastFired: T0 + 5 * SECOND, now: T0 + 5 * SECOND + 300 })).toEqual([]);
  });

  it("starts a schedule that never fired at the scheduler's start, whatever catchUp says", () => {
    for (const catchUp of ["none", "last", "all"] as const) {
      expect(due({ catchUp, startedAt: T0 + 10 * SECOND, now: T0 + 12 * SECOND })).toEqual(
        onTime([T0 + 11 * SECOND, T0 + 12 * SECOND]),
      );
    }
  });

  describe("after a downtime (the last tick fired before this scheduler started)", () => {
    // Fired up to T0, down for 10 minutes, started again at T0 + 10 min + 0.5 s.
    const downtime = {
      cron: everyMinute,
      lastFired: T0,
      startedAt: T0 + 10 * MINUTE + 500,
      now: T0 + 10 * MINUTE + 500,
    };

    it("none skips the missed ticks", () => {
      expect(due({ ...downtime, catchUp: "none" })).toEqual([]);
      expect(due({ ...downtime, catchUp: "none", now: T0 + 11 * MINUTE })).toEqual(
        onTime([T0 + 11 * MINUTE]),
      );
    });

    it("last fires the latest missed tick, once", () => {
      expect(due({ ...downtime, catchUp: "last" })).toEqual(caughtUp([T0 + 10 * MINUTE]));
      expect(due({ ...downtime, catchUp: "last", lastFired: T0 + 10 * MINUTE })).toEqual([]);
    });

    it("all fires every missed tick, oldest first", () => {
      expect(due({ ...downtime, catchUp: "all" })).toEqual(
        caughtUp(tickRange(T0 + MINUTE, 10, MINUTE)),
      );
    });

    it(`all fires at most the latest ${CATCH_UP_ALL_LIMIT} missed ticks`, () => {
      const ticks = due({
        catchUp: "all",
        lastFired: T0,
        startedAt: T0 + 30 * 24 * 60 * MINUTE,
        now: T0 + 30 * 24 * 60 * MINUTE,
      });
      expect(ticks).toHaveLength(CATCH_UP_ALL_LIMIT);
      expect(ticks.at(-1)).toEqual({ tickAt: T0 + 30 * 24 * 60 * MINUTE, catchUp: true });
      expect(ticks[0]?.tickAt).toBe(T0 + 30 * 24 * 60 * MINUTE - (CATCH_UP_ALL_LIMIT - 1) * SECOND);
    });
  });

  it("treats ticks older than missedAfterMs as missed though the scheduler was running", () => {
    // Running since T0, fired the first minute, then stalled (asleep) until 10 min 30 s.
    const stalled = {
      cron: everyMinute,
      lastFired: T0 + MINUTE,
      now: T0 + 10 * MINUTE + 30 * SECOND,
    };
    expect(due({ ...stalled, catchUp: "none" })).toEqual(onTime([T0 + 10 * MINUTE]));
    expect(due({ ...stalled, catchUp: "last" })).toEqual([
      ...caughtUp([T0 + 9 * MINUTE]),
      ...onTime([T0 + 10 * MINUTE]),
    ]);
    expect(due({ ...stalled, catchUp: "all" })).toEqual([
      ...caughtUp(tickRange(T0 + 2 * MINUTE, 8, MINUTE)),
      ...onTime([T0 + 10 * MINUTE]),
    ]);
  });

  it("keeps late ticks on time within missedAfterMs (a slow round misses nothing)", () => {
    expect(due({ lastFired: T0, startedAt: T0 - MINUTE, now: T0 + 30 * SECOND }).length).toBe(30);
  });
});
