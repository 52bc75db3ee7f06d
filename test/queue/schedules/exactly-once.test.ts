import { expect, it } from "vitest";
import {
  listFiredTicks,
  Scheduler,
  type ScheduleTick,
} from "../../../src/queue/schedules/index.js";
import type { Store } from "../../../src/store/index.js";
import { describeEachStore, type StoreFixture } from "../../helpers/stores.js";
import {
  countEach,
  enqueuedTicks,
  ManualClock,
  recordingFire,
  SECOND,
  T0,
  tickRange,
} from "./schedule-harness.js";

const SCHEDULERS = 3;
const SCHEDULES = { heartbeat: { cron: "* * * * * *", task: { title: "ping" } } };

/**
 * One store per scheduler, as three worker processes would have. In one process, SQLite's busy
 * wait blocks the event loop, so the lock holder cannot finish while another connection waits:
 * a short busy timeout makes the waiter give up (and retry later) instead of stalling both.
 */
async function openStores(fixture: StoreFixture): Promise<Store[]> {
  const stores: Store[] = [];
  for (let index = 0; index < SCHEDULERS; index += 1) {
    stores.push(await fixture.open({ sqliteBusyTimeoutMs: 20 }));
  }
  return stores;
}

/** Every tick in `ticks` fired exactly once: by the callbacks, the table and the side effect. */
async function expectEachOnce(store: Store, calls: readonly ScheduleTick[], ticks: number[]) {
  const fromCallbacks = countEach(calls.map((tick) => tick.tickAt));
  expect([...fromCallbacks.keys()].sort((left, right) => left - right)).toEqual(ticks);
  expect([...fromCallbacks.values()].every((count) => count === 1)).toBe(true);
  const rows = await listFiredTicks(store, { schedule: "heartbeat" });
  expect(rows.map((row) => row.tickAt)).toEqual(ticks);
  expect(await enqueuedTicks(store, "heartbeat")).toEqual(ticks);
}

describeEachStore("schedules: each tick exactly once across schedulers", (fixture) => {
  it("three schedulers racing on one store over 30 ticks (injected clock)", async () => {
    const stores = await openStores(fixture);
    const clock = new ManualClock(T0 + 100);
    const { fire, calls } = recordingFire();
    const schedulers = stores.map(
      (store) =>
        new Scheduler({
          store,
          schedules: SCHEDULES,
          fire,
          now: clock.now,
          retryDelayMs: 1,
        }),
    );
    for (let second = 1; second <= 30; second += 1) {
      clock.set(T0 + second * SECOND + 5);
      await Promise.all(schedulers.map((scheduler) => scheduler.runDue()));
    }
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    await expectEachOnce(fixture.store, calls, tickRange(T0 + SECOND, 30, SECOND));
  });
});
