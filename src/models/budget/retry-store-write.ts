import { sleep } from "../routing/abortable-sleep.js";

/**
 * Waits before each further try of a store write that records money already spent (a budget
 * settle, ledger rows). Only the write is repeated, never the model call: its answer is paid
 * for. Short, because a caller waits for the settle.
 */
export const STORE_WRITE_RETRY_DELAYS_MS: readonly number[] = [25, 100];

/** Tries a write of money already spent: 1 + STORE_WRITE_RETRY_DELAYS_MS.length. */
export const STORE_WRITE_TRIES = STORE_WRITE_RETRY_DELAYS_MS.length + 1;

/**
 * Runs `write` until it succeeds or every try failed; `onFailedTry` hears each failure. Returns
 * undefined on success, else the last error. Never throws. A caller that made the first try
 * itself (a budget settle's first try is a different write) starts at `firstAttempt` 2: the
 * first delay, then the remaining tries.
 */
export async function retryStoreWrite(
  write: () => Promise<void>,
  onFailedTry: (error: unknown, attempt: number) => void,
  firstAttempt = 1,
): Promise<{ error: unknown } | undefined> {
  let lastError: unknown;
  for (let attempt = firstAttempt; attempt <= STORE_WRITE_TRIES; attempt += 1) {
    if (attempt > 1) await sleep(STORE_WRITE_RETRY_DELAYS_MS[attempt - 2] ?? 0);
    try {
      await write();
      return undefined;
    } catch (error) {
      lastError = error;
      onFailedTry(error, attempt);
    }
  }
  return { error: lastError };
}
