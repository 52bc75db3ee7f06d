/**
 * The reason an attempt or a call is aborted when its timer fires: classified as a timeout.
 * `message` names the timer, so a caller can tell which of several fired.
 */
export function timeoutReason(message: string): DOMException {
  return new DOMException(message, "TimeoutError");
}

/**
 * What the per-attempt timer says: `no answer within 4000 ms (attempt timeout)`. When the
 * call's deadline left less than the attempt timeout, it was the deadline that ran out.
 */
export function attemptTimeoutMessage(ms: number, cutByDeadline = false): string {
  return `no answer within ${ms} ms (${cutByDeadline ? "what was left of the call's deadline" : "attempt timeout"})`;
}

/** What a stream's idle timer says: `no data for 1500 ms (gateway.streamIdleTimeoutMs)`. */
export function streamIdleTimeoutMessage(ms: number): string {
  return `no data for ${ms} ms (gateway.streamIdleTimeoutMs)`;
}

/**
 * An abort signal that follows a parent signal and can also fire on its own timer. Unlike
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])` it lets go of everything when
 * disposed: Node keeps every signal given to `AbortSignal.any` (and its timer) alive until
 * that timer fires, which held ~2 KB per call for the whole 5-minute deadline
 * (6.2 µs and 1 KB kept per call, against 1.5 µs and none, measured by the abort-signal bench
 * since removed: `182f696:bench/abort-signals.ts`; the `kept B/call` column of bench/ watches it now).
 */
export class TimedSignal {
  private readonly controller = new AbortController();
  private readonly parent: AbortSignal | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly followParent = (): void => this.controller.abort(this.parent?.reason);
  /** What the timer that fired said (not the parent's reason); undefined until one fires. */
  firedMessage: string | undefined;
  readonly signal: AbortSignal = this.controller.signal;

  /** With `timer`, armed at once: one call where a call or an attempt starts its clock. */
  constructor(parent?: AbortSignal, timer?: { ms: number; message?: string }) {
    this.parent = parent;
    if (parent?.aborted) this.controller.abort(parent.reason);
    else parent?.addEventListener("abort", this.followParent, { once: true });
    if (timer) this.arm(timer.ms, undefined, timer.message);
  }

  /** True once this signal's own timer fired (not the parent). */
  get timedOut(): boolean {
    return this.firedMessage !== undefined;
  }

  /**
   * (Re)starts the timer: `ms` from now the signal aborts with a TimeoutError that says
   * `message`. A re-armed timer replaces the one before, message and all.
   */
  arm(ms: number, onFire?: () => void, message = `no response within ${ms} ms`): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.firedMessage = message;
      this.controller.abort(timeoutReason(message));
      onFire?.();
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops the timer and stops following the parent. Call it when the work is over. */
  dispose(): void {
    this.disarm();
    this.parent?.removeEventListener("abort", this.followParent);
  }
}
