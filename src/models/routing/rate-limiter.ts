import type { z } from "zod";
import type { limitsSchema } from "../../config/model-settings-schema.js";
import { type Clock, type ClockTimer, systemClock } from "../clock.js";
import { TokenBucket } from "./token-bucket.js";

/** `models.<alias>.limits` from the configuration. */
export type RateLimits = z.output<typeof limitsSchema>;

export interface RateLimitRequest {
  /**
   * Tokens the call is expected to use, input plus output (for example the prompt's token
   * bound plus `maxTokens`). Corrected afterwards by {@link RateLimitPermit.settle}.
   * @defaultValue 0
   */
  tokens?: number;
}

/** The right to make one call. Settle it (or release it) exactly once. */
export interface RateLimitPermit {
  /** Tokens taken for this call on acquire: the estimate. */
  readonly tokens: number;
  /** Milliseconds the call waited for its turn, for logs and metrics. */
  readonly waitedMs: number;
  /**
   * Corrects the token bucket to what the call really used: takes the difference when the
   * estimate was too low, gives it back when it was too high. Only the first `settle` or
   * `release` counts. A non-finite or negative count keeps the estimate.
   */
  settle(actualTokens: number): void;
  /** The call was never sent (a breaker refused it, the caller gave up): give everything back. */
  release(): void;
}

export interface RateLimiterOptions {
  /** @defaultValue systemClock */
  clock?: Clock;
}

interface Waiter {
  readonly tokens: number;
  readonly enqueuedAt: number;
  readonly resolve: (permit: RateLimitPermit) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

const UNLIMITED_PERMIT: RateLimitPermit = Object.freeze({
  tokens: 0,
  waitedMs: 0,
  settle() {},
  release() {},
});
const UNLIMITED_GRANT: Promise<RateLimitPermit> = Promise.resolve(UNLIMITED_PERMIT);

/**
 * Requests-per-minute and tokens-per-minute buckets for one model, shared by every concurrent
 * call in the process. Callers are served first-in first-out: a small request never overtakes a
 * large one that is waiting, so a large request cannot starve. One timer, for the head of the
 * queue, is all that is ever scheduled: no polling.
 *
 * Buckets are debited when a call is let through, never while it waits, so an aborted wait
 * gives nothing back because it took nothing.
 */
export class RateLimiter {
  readonly limits: Readonly<RateLimits>;
  private readonly clock: Clock;
  private readonly requests: TokenBucket | undefined;
  private readonly tokenBucket: TokenBucket | undefined;
  private readonly queue: Waiter[] = [];
  private timer: ClockTimer | undefined;

  constructor(limits: RateLimits = {}, options: RateLimiterOptions = {}) {
    this.limits = Object.freeze({ ...limits });
    this.clock = options.clock ?? systemClock;
    this.requests =
      limits.requestsPerMinute === undefined
        ? undefined
        : new TokenBucket({ capacity: limits.requestsPerMinute, clock: this.clock });
    this.tokenBucket =
      limits.tokensPerMinute === undefined
        ? undefined
        : new TokenBucket({ capacity: limits.tokensPerMinute, clock: this.clock });
  }

  /** Whether any limit is configured; without one, {@link acquire} resolves at once. */
  get limited(): boolean {
    return this.requests !== undefined || this.tokenBucket !== undefined;
  }

  /** Callers waiting for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Waits until both buckets allow the call, then debits them. A request for more tokens than
   * the bucket holds per minute could never fit: it goes when the bucket is full and leaves it
   * in debt, which the following callers wait out.
   *
   * Rejects with `signal.reason` (as `signal.throwIfAborted()` would) as soon as the signal
   * aborts, taking nothing from the buckets.
   */
  acquire(request: RateLimitRequest = {}, signal?: AbortSignal): Promise<RateLimitPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.requests === undefined && this.tokenBucket === undefined) return UNLIMITED_GRANT;
    const tokens = request.tokens ?? 0;
    if (!Number.isFinite(tokens) || tokens < 0) {
      return Promise.reject(new RangeError(`tokens must be a finite number >= 0, got ${tokens}`));
    }
    const now = this.clock.now();
    if (this.queue.length === 0 && this.waitFor(tokens) === 0) {
      return Promise.resolve(this.grant(tokens, now));
    }
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const waiter: Waiter = {
        tokens,
        enqueuedAt: now,
        resolve,
        reject,
        signal,
        onAbort: () => this.abandon(waiter),
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
      if (this.queue.length === 1) this.drain();
    });
  }

  /** Lets through every waiter at the head of the queue that fits now; arms one timer for the rest. */
  private drain(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const waitMs = this.waitFor(head.tokens);
      if (waitMs > 0) {
        this.timer = this.clock.setTimer(() => {
          this.timer = undefined;
          this.drain();
        }, waitMs);
        return;
      }
      this.queue.shift();
      head.signal?.removeEventListener("abort", head.onAbort);
      head.resolve(this.grant(head.tokens, head.enqueuedAt));
    }
  }

  private abandon(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index === -1) return;
    this.queue.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
    // The head left: the next caller may fit now, or needs a different timer.
    if (index === 0) this.drain();
  }

  private waitFor(tokens: number): number {
    const forRequest = this.requests?.msUntilAvailable(1) ?? 0;
    const forTokens = this.tokenBucket?.msUntilAvailable(tokens) ?? 0;
    return Math.max(forRequest, forTokens);
  }

  private grant(tokens: number, enqueuedAt: number): RateLimitPermit {
    this.requests?.take(1);
    this.tokenBucket?.take(tokens);
    return new LimitedPermit(this.clock.now() - enqueuedAt, tokens, (correction, request) =>
      this.correct(correction, request),
    );
  }

  /** Applies a permit's correction: positive takes more, negative gives back. */
  private correct(tokenCorrection: number, requestCorrection: number): void {
    if (tokenCorrection > 0) this.tokenBucket?.take(tokenCorrection);
    else if (tokenCorrection < 0) this.tokenBucket?.refund(-tokenCorrection);
    if (requestCorrection < 0) this.requests?.refund(-requestCorrection);
    // A refund may let the head of the queue through now; a debit only makes its timer early,
    // and an early timer re-checks and re-arms.
    if ((tokenCorrection < 0 || requestCorrection < 0) && this.queue.length > 0) this.drain();
  }
}

type ApplyCorrection = (tokenCorrection: number, requestCorrection: number) => void;

class LimitedPermit implements RateLimitPermit {
  readonly waitedMs: number;
  readonly tokens: number;
  private readonly apply: ApplyCorrection;
  private done = false;

  constructor(waitedMs: number, tokens: number, apply: ApplyCorrection) {
    this.waitedMs = waitedMs;
    this.tokens = tokens;
    this.apply = apply;
  }

  settle(actualTokens: number): void {
    if (this.done) return;
    this.done = true;
    if (!Number.isFinite(actualTokens) || actualTokens < 0) return;
    this.apply(actualTokens - this.tokens, 0);
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.apply(-this.tokens, -1);
  }
}

const UNLIMITED = new RateLimiter();

/**
 * One {@link RateLimiter} per model alias, so every call to a model in this process draws from
 * the same buckets. A model without limits gets a shared limiter that never waits.
 */
export class RateLimiterRegistry {
  private readonly clock: Clock;
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The limiter for `alias`. When the limits differ from the ones the limiter was built with
   * (a configuration reload), a fresh limiter with full buckets replaces it; callers already
   * waiting on the old one are still served by it.
   */
  get(alias: string, limits: RateLimits | undefined): RateLimiter {
    if (limits?.requestsPerMinute === undefined && limits?.tokensPerMinute === undefined) {
      return UNLIMITED;
    }
    const existing = this.limiters.get(alias);
    if (
      existing !== undefined &&
      existing.limits.requestsPerMinute === limits.requestsPerMinute &&
      existing.limits.tokensPerMinute === limits.tokensPerMinute
    ) {
      return existing;
    }
    const limiter = new RateLimiter(limits, { clock: this.clock });
    this.limiters.set(alias, limiter);
    return limiter;
  }

  delete(alias: string): void {
    this.limiters.delete(alias);
  }

  clear(): void {
    this.limiters.clear();
  }
}

/** A process-wide registry, for gateways that should share their state: pass it as their option. */
export const processRateLimiters = new RateLimiterRegistry();
