import type { FireTick, ScheduleTick } from "../../../src/queue/schedules/index.js";
import { auditEventRow, type Store } from "../../../src/store/index.js";

/** A clock the test moves by hand, epoch ms. */
export class ManualClock {
  time: number;
  constructor(time: number) {
    this.time = time;
  }
  readonly now = (): number => this.time;
  /** Moves to `time`. */
  set(time: number): void {
    this.time = time;
  }
  advance(byMs: number): void {
    this.time += byMs;
  }
}

/** 2030-01-01T00:00:00Z: a round start, so second and minute ticks fall on round numbers. */
export const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
export const SECOND = 1_000;
export const MINUTE = 60_000;

/**
 * A fire callback that enqueues for real: an audit event written in the tick's transaction,
 * so a rolled-back tick leaves no event. Records every call it committed to, in call order.
 */
export function recordingFire(options: { failWhen?: (tick: ScheduleTick) => boolean } = {}): {
  fire: FireTick;
  calls: ScheduleTick[];
} {
  const calls: ScheduleTick[] = [];
  const fire: FireTick = async (tick, trx) => {
    await trx
      .insertInto("audit_events")
      .values(
        auditEventRow({
          actor: "test:scheduler",
          action: "schedule:enqueue",
          resource: `schedule:${tick.schedule}`,
          outcome: "success",
          data: { tickAt: tick.tickAt },
        }),
      )
      .execute();
    if (options.failWhen?.(tick)) throw new Error(`enqueue of ${tick.tickAt} failed`);
    calls.push(tick);
    return `target-${tick.schedule}-${tick.tickAt}`;
  };
  return { fire, calls };
}

/** The tick times of the enqueue events in the store: what was enqueued, committed. */
export async function enqueuedTicks(store: Store, schedule: string): Promise<number[]> {
  const events = await store.audit.query({ action: "schedule:enqueue" });
  return events
    .filter((event) => event.resource === `schedule:${schedule}`)
    .map((event) => Number(event.data.tickAt))
    .sort((left, right) => left - right);
}

/** How many times each value occurs. */
export function countEach(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** `count` ticks `stepMs` apart from `first`. */
export function tickRange(first: number, count: number, stepMs: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index * stepMs);
}
