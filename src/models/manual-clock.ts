import type { Clock, ClockTimer } from "./clock.js";

interface PendingTimer {
  dueAt: number;
  /** Order of scheduling, so timers due at the same moment run first-in first-out. */
  sequence: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to, for deterministic tests of anything that takes a
 * {@link Clock}. `advance` runs every timer that falls due, in order, at its due time.
 */
export class ManualClock implements Clock {
  private current: number;
  private sequence = 0;
  private readonly timers = new Set<PendingTimer>();

  /** @param start The initial `now()`. @defaultValue 0 */
  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): ClockTimer {
    const timer: PendingTimer = {
      dueAt: this.current + Math.max(0, delayMs),
      sequence: this.sequence++,
      callback,
    };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** How many timers are scheduled and not yet run or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due at its own due time (timers
   * scheduled by those callbacks run too when they fall inside the window).
   */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue();
      if (next === undefined || next.dueAt > target) break;
      this.timers.delete(next);
      this.current = Math.max(this.current, next.dueAt);
      next.callback();
    }
    this.current = target;
  }

  private nextDue(): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (
        next === undefined ||
        timer.dueAt < next.dueAt ||
        (timer.dueAt === next.dueAt && timer.sequence < next.sequence)
      ) {
        next = timer;
      }
    }
    return next;
  }
}
