/** setTimeout's limit: longer delays fire after 1 ms with a warning instead. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as the signal
 * aborts (at once if it already has). The timer is cleared on abort, so a cancelled wait does
 * not keep the process alive; while waiting it does, as any pending retry should.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (Number.isNaN(ms) || ms > MAX_TIMER_MS) {
    return Promise.reject(new RangeError(`sleep: ${ms} ms is not a delay setTimeout can keep`));
  }
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
