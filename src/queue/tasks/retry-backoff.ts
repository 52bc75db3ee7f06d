/** The first retry waits about this long; each further one twice as long. */
export const RETRY_BASE_MS = 1_000;
/** No retry waits longer than this. */
export const RETRY_CAP_MS = 300_000;

/**
 * How long to wait before the next attempt, after `attempts` counted attempts failed:
 * exponential (1 s, 2 s, 4 s, … capped at 5 minutes) with "equal jitter" (a uniform draw
 * from the upper half), so tasks that failed together do not all come back together.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** exponent);
  return Math.round(delay / 2 + random() * (delay / 2));
}
