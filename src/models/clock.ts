/** A scheduled callback that has not run yet. */
export interface ClockTimer {
  /** Stops the callback from running. Safe to call after it ran or twice. */
  cancel(): void;
}

/**
 * Time as the limiter and the breaker see it. Injected so tests run on a {@link ManualClock}:
 * deterministic and without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter to the limiter). */
  now(): number;
  /** Runs `callback` once after `delayMs` milliseconds. */
  setTimer(callback: () => void, delayMs: number): ClockTimer;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};
