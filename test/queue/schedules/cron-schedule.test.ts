import { describe, expect, it } from "vitest";
import { CronSchedule } from "../../../src/queue/schedules/index.js";
import { MINUTE, SECOND, T0, tickRange } from "./schedule-harness.js";

const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe("CronSchedule", () => {
  it("ticks every second with a six-field expression, strictly after the given time", () => {
    const cron = new CronSchedule("*/1 * * * * *", undefined);
    expect(cron.nextTickAfter(T0)).toBe(T0 + SECOND);
    expect(cron.nextTickAfter(T0 + 999)).toBe(T0 + SECOND);
    expect(cron.ticksBetween(T0, T0 + 5 * SECOND, 100)).toEqual(tickRange(T0 + SECOND, 5, SECOND));
    expect(cron.ticksBetween(T0, T0 + 5 * SECOND, 2)).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
  });

  it("reads a five-field expression in UTC when no time zone is given", () => {
    const cron = new CronSchedule("0 2 * * *", undefined);
    expect(iso(cron.nextTickAfter(T0) ?? 0)).toBe("2030-01-01T02:00:00.000Z");
  });

  it("reads the expression in its time zone", () => {
    const paris = new CronSchedule("0 2 * * *", "Europe/Paris");
    // 02:00 in Paris is 01:00Z in winter (CET) and 00:00Z in summer (CEST).
    expect(iso(paris.nextTickAfter(T0) ?? 0)).toBe("2030-01-01T01:00:00.000Z");
    expect(iso(paris.nextTickAfter(Date.UTC(2030, 6, 1)) ?? 0)).toBe("2030-07-02T00:00:00.000Z");
  });

  it("returns the latest ticks of a long gap without walking the whole of it", () => {
    const cron = new CronSchedule("* * * * * *", undefined);
    const yearLater = T0 + 365 * 24 * 60 * MINUTE;
    const started = performance.now();
    expect(cron.latestTicksBetween(T0, yearLater, 3)).toEqual(
      tickRange(yearLater - 2 * SECOND, 3, SECOND),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(cron.latestTicksBetween(T0, T0 + 2 * SECOND, 5)).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
    expect(cron.latestTicksBetween(T0, T0, 5)).toEqual([]);
  });

  it("follows croner at a DST gap: a fixed time moves past it, an interval skips it", () => {
    // Paris springs forward on 2030-03-31 at 02:00 CET (01:00Z) to 03:00 CEST.
    const dayBefore = Date.UTC(2030, 2, 30, 12);
    const fixed = new CronSchedule("30 2 * * *", "Europe/Paris");
    expect(iso(fixed.nextTickAfter(dayBefore) ?? 0)).toBe("2030-03-31T01:00:00.000Z"); // 03:00 CEST
    const interval = new CronSchedule("*/30 * * * *", "Europe/Paris");
    const ticks = interval.ticksBetween(
      Date.UTC(2030, 2, 31, 0, 15),
      Date.UTC(2030, 2, 31, 1, 45),
      10,
    );
    // 01:30 CET, then 03:00 and 03:30 CEST: 02:00 and 02:30 do not exist that night.
    expect(ticks.map(iso)).toEqual([
      "2030-03-31T00:30:00.000Z",
      "2030-03-31T01:00:00.000Z",
      "2030-03-31T01:30:00.000Z",
    ]);
  });

  it("follows croner in a repeated hour: a fixed time once, an interval on both passes", () => {
    // Paris falls back on 2030-10-27 at 03:00 CEST (01:00Z) to 02:00 CET.
    const dayBefore = Date.UTC(2030, 9, 26, 12);
    const fixed = new CronSchedule("30 2 * * *", "Europe/Paris");
    expect(fixed.ticksBetween(dayBefore, dayBefore + 24 * 60 * MINUTE, 10).map(iso)).toEqual([
      "2030-10-27T00:30:00.000Z",
    ]);
    const interval = new CronSchedule("30 * * * *", "Europe/Paris");
    const night = interval.ticksBetween(
      Date.UTC(2030, 9, 26, 23, 45),
      Date.UTC(2030, 9, 27, 1, 45),
      10,
    );
    // 02:30 CEST, then 02:30 CET: the same wall-clock time, an hour apart.
    expect(night.map(iso)).toEqual(["2030-10-27T00:30:00.000Z", "2030-10-27T01:30:00.000Z"]);
    expect(night.map(parisTime)).toEqual(["02:30", "02:30"]);
  });

  it("throws croner's reason for an expression that does not parse or an unknown zone", () => {
    expect(() => new CronSchedule("61 * * * *", undefined)).toThrow(/minute: 61/);
    expect(() => new CronSchedule("0 2 * * *", "Mars/Olympus")).toThrow(/Mars\/Olympus/);
  });
});

function parisTime(epochMs: number): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris",
    hour: "2-digit",
    minute: "2-digit",
  }).format(epochMs);
}
