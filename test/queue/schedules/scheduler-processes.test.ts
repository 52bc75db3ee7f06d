import { expect, it } from "vitest";
import { listFiredTicks } from "../../../src/queue/schedules/index.js";
import { describeEachStore } from "../../helpers/stores.js";
import { runTogether } from "../../store/fixtures/run-together.js";
import { countEach, enqueuedTicks, SECOND, tickRange } from "./schedule-harness.js";

const PROCESSES = 3;
const DURATION_MS = 5_000;

describeEachStore("schedules: three scheduler processes on one store", (fixture) => {
  it("a one-second cron over 5 s: each tick enqueued exactly once", async () => {
    const started = Date.now();
    const outcomes = await runTogether(
      "test/queue/schedules/fixtures/scheduler-child.ts",
      Array.from({ length: PROCESSES }, () => [fixture.url, String(DURATION_MS)]),
    );
    for (const outcome of outcomes) expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0 });

    const fired = outcomes.flatMap((outcome) => outcome.result as number[]);
    const counts = countEach(fired);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const ticks = [...counts.keys()].sort((left, right) => left - right);
    const first = ticks[0] ?? 0;
    const last = ticks.at(-1) ?? 0;
    expect(first).toBeGreaterThan(started);
    // No tick left out between the first and the last, and about five of them.
    expect(ticks).toEqual(tickRange(first, (last - first) / SECOND + 1, SECOND));
    expect(ticks.length).toBeGreaterThanOrEqual(4);

    const rows = await listFiredTicks(fixture.store, { schedule: "heartbeat" });
    expect(rows.map((row) => row.tickAt)).toEqual(ticks);
    expect(await enqueuedTicks(fixture.store, "heartbeat")).toEqual(ticks);
  }, 30_000);
});
