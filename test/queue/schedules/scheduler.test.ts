import { describe, expect, it } from "vitest";
import type { CatchUpPolicy } from "../../../src/config/schedules-schema.js";
import {
  listFiredTicks,
  ScheduleError,
  Scheduler,
  type SchedulerOptions,
  scheduleTransaction,
} from "../../../src/queue/schedules/index.js";
import { describeEachStore } from "../../helpers/stores.js";
import {
  enqueuedTicks,
  ManualClock,
  MINUTE,
  recordingFire,
  SECOND,
  T0,
  tickRange,
} from "./schedule-harness.js";

const HEARTBEAT = { cron: "* * * * * *", task: { title: "ping", instructions: "say ok" } };

describeEachStore("Scheduler", (fixture) => {
  function scheduler(
    clock: ManualClock,
    options: Partial<SchedulerOptions> & Pick<SchedulerOptions, "fire">,
  ): Scheduler {
    return new Scheduler({
      store: fixture.store,
      schedules: { heartbeat: HEARTBEAT },
      now: clock.now,
      ...options,
    });
  }

  it("fires each tick once, records it and its target, and hands fire the target", async () => {
    const clock = new ManualClock(T0 + 200);
    const { fire, calls } = recordingFire();
    const subject = scheduler(clock, { fire });
    expect(await subject.runDue()).toEqual([]);
    clock.set(T0 + 3 * SECOND + 100);
    const fired = await subject.runDue();
    expect(fired.map((tick) => tick.tickAt)).toEqual(tickRange(T0 + SECOND, 3, SECOND));
    expect(await subject.runDue()).toEqual([]);
    expect(calls[0]).toEqual({
      schedule: "heartbeat",
      tickAt: T0 + SECOND,
      catchUp: false,
      target: { kind: "task", task: HEARTBEAT.task },
    });
    const rows = await listFiredTicks(fixture.store, { schedule: "heartbeat" });
    expect(rows).toEqual(
      tickRange(T0 + SECOND, 3, SECOND).map((tickAt) => ({
        schedule: "heartbeat",
        tickAt,
        firedAt: T0 + 3 * SECOND + 100,
        targetId: `target-heartbeat-${tickAt}`,
      })),
    );
    expect(await enqueuedTicks(fixture.store, "heartbeat")).toEqual(
      tickRange(T0 + SECOND, 3, SECOND),
    );
  });

  it("hands fire a workflow target with its inputs", async () => {
    const clock = new ManualClock(T0);
    const { fire, calls } = recordingFire();
    const subject = scheduler(clock, {
      fire,
      schedules: {
        review: { cron: "* * * * * *", workflow: "review.yaml", inputs: { manuscript: "m.md" } },
      },
    });
    clock.set(T0 + SECOND);
    await subject.runDue();
    expect(calls.map((tick) => tick.target)).toEqual([
      { kind: "workflow", workflow: "review.yaml", inputs: { manuscript: "m.md" } },
    ]);
  });

  describe("catchUp after a downtime", () => {
    // A first worker fires the minute ticks up to T0 + 1 min and stops; nothing runs for ten
    // minutes; a new worker starts at T0 + 11 min + 0.5 s.
    async function afterDowntime(catchUp: CatchUpPolicy): Promise<number[]> {
      const schedules = { report: { cron: "0 * * * * *", task: { title: "report" }, catchUp } };
      const clock = new ManualClock(T0);
      const first = recordingFire();
      const before = scheduler(clock, { fire: first.fire, schedules });
      clock.set(T0 + MINUTE);
      await before.runDue();
      await before.stop();
      clock.set(T0 + 11 * MINUTE + 500);
      const after = scheduler(clock, { fire: recordingFire().fire, schedules });
      const caughtUp = await after.runDue();
      expect(caughtUp.every((tick) => tick.catchUp)).toBe(true);
      clock.set(T0 + 12 * MINUTE);
      const next = await after.runDue();
      expect(next).toMatchObject([{ tickAt: T0 + 12 * MINUTE, catchUp: false }]);
      return enqueuedTicks(fixture.store, "report");
    }

    it("none: the missed ticks are skipped", async () => {
      expect(await afterDowntime("none")).toEqual([T0 + MINUTE, T0 + 12 * MINUTE]);
    });

    it("last: only the latest missed tick fires", async () => {
      expect(await afterDowntime("last")).toEqual([
        T0 + MINUTE,
        T0 + 11 * MINUTE,
        T0 + 12 * MINUTE,
      ]);
    });

    it("all: every missed tick fires, in order", async () => {
      expect(await afterDowntime("all")).toEqual([
        ...tickRange(T0 + MINUTE, 11, MINUTE),
        T0 + 12 * MINUTE,
      ]);
    });

    it("a schedule that never fired starts from now: nothing to catch up", async () => {
      const clock = new ManualClock(T0 + 11 * MINUTE + 500);
      const subject = scheduler(clock, {
        fire: recordingFire().fire,
        schedules: { report: { cron: "0 * * * * *", task: { title: "report" }, catchUp: "all" } },
      });
      expect(await subject.runDue()).toEqual([]);
    });
  });

  it("rolls a tick back when fire throws, and fires it on the next round, before later ticks", async () => {
    const clock = new ManualClock(T0);
    let failing = true;
    const { fire, calls } = recordingFire({ failWhen: () => failing });
    const subject = scheduler(clock, { fire, retryDelayMs: 10 });
    clock.set(T0 + SECOND + 50);
    expect(await subject.runDue()).toEqual([]);
    expect(await listFiredTicks(fixture.store)).toEqual([]);
    // The audit event written before the throw went with the tick's transaction.
    expect(await enqueuedTicks(fixture.store, "heartbeat")).toEqual([]);

    failing = false;
    clock.set(T0 + 2 * SECOND + 50);
    const fired = await subject.runDue();
    expect(fired.map((tick) => tick.tickAt)).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
    expect(calls.map((tick) => tick.tickAt)).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
    expect(await enqueuedTicks(fixture.store, "heartbeat")).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
  });

  it("waits before trying a failing schedule again, and keeps firing the others", async () => {
    const clock = new ManualClock(T0);
    const attempts: number[] = [];
    const { fire } = recordingFire({
      failWhen: (tick) => {
        if (tick.schedule !== "broken") return false;
        attempts.push(tick.tickAt);
        return true;
      },
    });
    const subject = scheduler(clock, {
      fire,
      retryDelayMs: 5 * SECOND,
      schedules: { heartbeat: HEARTBEAT, broken: { ...HEARTBEAT } },
    });
    clock.set(T0 + SECOND);
    await subject.runDue();
    expect(subject.nextWakeAt()).toBe(T0 + 2 * SECOND);
    clock.set(T0 + 2 * SECOND);
    await subject.runDue();
    expect(await enqueuedTicks(fixture.store, "heartbeat")).toEqual([T0 + SECOND, T0 + 2 * SECOND]);
    expect(await enqueuedTicks(fixture.store, "broken")).toEqual([]);
    expect(attempts).toEqual([T0 + SECOND]);
    clock.set(T0 + 6 * SECOND);
    await subject.runDue();
    // Tried again from its first tick on: a schedule's ticks fire in order or not at all.
    expect(attempts).toEqual([T0 + SECOND, T0 + SECOND]);
  });

  it("does not fire a tick that another worker fired after this round read the table", async () => {
    const clock = new ManualClock(T0);
    const { fire, calls } = recordingFire();
    const subject = scheduler(clock, {
      schedules: { first: HEARTBEAT, second: HEARTBEAT },
      // While the round fires `first`, "another worker" fires `second`'s tick.
      fire: async (tick, trx) => {
        if (tick.schedule === "first") {
          await scheduleTransaction(trx)
            .insertInto("schedule_ticks")
            .values({
              schedule: "second",
              tick_at: tick.tickAt,
              fired_at: clock.now(),
              target_id: "other",
            })
            .execute();
        }
        return fire(tick, trx);
      },
    });
    clock.set(T0 + SECOND);
    const fired = await subject.runDue();
    expect(fired.map((tick) => tick.schedule)).toEqual(["first"]);
    expect(calls.map((tick) => tick.schedule)).toEqual(["first"]);
    expect(await listFiredTicks(fixture.store, { schedule: "second" })).toMatchObject([
      { tickAt: T0 + SECOND, targetId: "other" },
    ]);
  });

  it("fires nothing while the store cannot be read, and catches up on the late ticks after", async () => {
    const clock = new ManualClock(T0);
    const { fire } = recordingFire();
    let down = true;
    const flaky = new Proxy(fixture.store, {
      get(target, property) {
        if (property === "db" && down) throw new Error("connection refused");
        // The store keeps private fields: call its methods on the store itself.
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const subject = scheduler(clock, { store: flaky, fire, retryDelayMs: 10 });
    clock.set(T0 + SECOND);
    expect(await subject.runDue()).toEqual([]);
    down = false;
    clock.set(T0 + 3 * SECOND);
    const fired = await subject.runDue();
    expect(fired.map((tick) => [tick.tickAt, tick.catchUp])).toEqual([
      [T0 + SECOND, false],
      [T0 + 2 * SECOND, false],
      [T0 + 3 * SECOND, false],
    ]);
  });

  it("survives a round that throws: the next round runs as usual", async () => {
    let broken = false;
    const clock = new ManualClock(T0);
    const { fire } = recordingFire();
    const subject = scheduler(clock, {
      fire,
      now: () => {
        if (broken) throw new Error("clock failure");
        return clock.now();
      },
    });
    broken = true;
    expect(await subject.runDue()).toEqual([]);
    broken = false;
    clock.set(T0 + SECOND);
    expect((await subject.runDue()).map((tick) => tick.tickAt)).toEqual([T0 + SECOND]);
  });

  it("refuses an invalid schedule with a ScheduleError naming it", () => {
    const build = (schedules: SchedulerOptions["schedules"]) =>
      new Scheduler({ store: fixture.store, schedules, fire: recordingFire().fire });
    const error = (() => {
      try {
        build({ nightly: { cron: "61 * * * *", task: { title: "t" } } });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(ScheduleError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "schedule.invalid", schedule: "nightly" });
    expect((error as Error).message).toMatch(/^schedules\.nightly\.cron: .*minute: 61/);
    expect(() =>
      build({ zone: { cron: "* * * * *", timezone: "Mars/Olympus", task: { title: "t" } } }),
    ).toThrow(/schedules\.zone\.timezone/);
    expect(() => build({ none: { cron: "* * * * *" } })).toThrow(/schedules\.none: .*workflow/);
  });
});
