import { expect, it } from "vitest";
import {
  listFiredTicks,
  type ScheduleTick,
  scheduleDb,
  startScheduler,
} from "../../../src/queue/schedules/index.js";
import { describeEachStore } from "../../helpers/stores.js";
import { recordingFire } from "./schedule-harness.js";

const HOUR = 3_600_000;

describeEachStore("Scheduler start and stop", (fixture) => {
  it("catches up as soon as it starts, without waiting for the next tick", async () => {
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR;
    // Fired three hours ago, then nothing ran: `last` fires the latest hourly tick at start.
    await scheduleDb(fixture.store)
      .insertInto("schedule_ticks")
      .values({ schedule: "hourly", tick_at: lastHour - 3 * HOUR, fired_at: 0, target_id: null })
      .execute();
    const { fire } = recordingFire();
    let caughtUp: (tick: ScheduleTick) => void = () => {};
    const fired = new Promise<ScheduleTick>((resolve) => {
      caughtUp = resolve;
    });
    const scheduler = startScheduler({
      store: fixture.store,
      schedules: { hourly: { cron: "0 * * * *", task: { title: "report" }, catchUp: "last" } },
      fire: async (tick, trx) => {
        const id = await fire(tick, trx);
        caughtUp(tick);
        return id;
      },
    });
    expect(await fired).toMatchObject({ schedule: "hourly", tickAt: lastHour, catchUp: true });
    await scheduler.stop();
    expect((await listFiredTicks(fixture.store)).map((row) => row.tickAt)).toEqual([
      lastHour - 3 * HOUR,
      lastHour,
    ]);
  });

  it("stop() waits for the tick in progress and fires nothing afterwards", async () => {
    const { fire, calls } = recordingFire();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inFire = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const scheduler = startScheduler({
      store: fixture.store,
      schedules: { heartbeat: { cron: "* * * * * *", task: { title: "ping" } } },
      fire: async (tick, trx) => {
        entered();
        await released;
        return fire(tick, trx);
      },
    });
    await inFire;
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    // The tick in progress commits; nothing after it.
    expect(calls).toHaveLength(1);
    expect(await listFiredTicks(fixture.store)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(calls).toHaveLength(1);
    expect(await scheduler.runDue()).toEqual([]);
  });
});
