import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  listFiredTicks,
  type ScheduleTick,
  scheduleDb,
  startScheduler,
} from "../../../src/queue/schedules/index.js";
import type { Store } from "../../../src/store/index.js";
import { openOrkestraStore } from "../../../src/store-schema.js";
import { createTestDatabase, describeEachStore, type TestDatabase } from "../../helpers/stores.js";
import { ManualClock, recordingFire, SECOND, T0 } from "./schedule-harness.js";

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

describe("Scheduler timer", () => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase("sqlite");
    store = await openOrkestraStore(database.url);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await database.drop();
  });

  it("sleeps until the next tick of the clock it is given, and stop() clears its timer", async () => {
    const clock = new ManualClock(T0 + 200);
    const { fire, calls } = recordingFire();
    const scheduler = startScheduler({
      store,
      schedules: { heartbeat: { cron: "* * * * * *", task: { title: "ping" } } },
      fire,
      now: clock.now,
    });
    await scheduler.runDue(); // after the first round, which armed the timer
    expect(vi.getTimerCount()).toBe(1);

    clock.set(T0 + 999);
    await vi.advanceTimersByTimeAsync(799);
    expect(calls).toHaveLength(0);
    clock.set(T0 + SECOND);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(calls.map((tick) => tick.tickAt)).toEqual([T0 + SECOND]));
    await scheduler.runDue();
    expect(vi.getTimerCount()).toBe(1);

    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
