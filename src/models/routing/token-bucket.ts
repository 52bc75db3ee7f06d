import { type Clock, systemClock } from "../clock.js";

const MS_PER_MINUTE = 60_000;
/** Refill arithmetic is in floating point; a shortfall this small counts as none. */
const TOLERANCE = 1e-9;

export interface TokenBucketOptions {
  /** Most the bucket holds; it starts full. For a per-minute limit, the limit itself. */
  capacity: number;
  /** Units added per minute, continuously (not in one step each minute). @defaultValue capacity */
  refillPerMinute?: number;
  /** @defaultValue systemClock */
  clock?: Pick<Clock, "now">;
}

/**
 * A continuously refilling token bucket. The level may go below zero: a call that used more
 * than it reserved leaves a debt the next callers wait out, so the long-run rate holds.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly refillPerMinute: number;
  private readonly clock: Pick<Clock, "now">;
  private level: number;
  private updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity > 0)) throw new RangeError("a token bucket needs a positive capacity");
    this.capacity = options.capacity;
    this.refillPerMinute = options.refillPerMinute ?? options.capacity;
    if (!(this.refillPerMinute > 0)) throw new RangeError("a token bucket needs a positive refill");
    this.clock = options.clock ?? systemClock;
    this.level = this.capacity;
    this.updatedAt = this.clock.now();
  }

  /** Units in the bucket now; negative while a debt is being paid off. */
  available(): number {
    this.refill();
    return this.level;
  }

  /**
   * Milliseconds until `amount` can be taken; 0 when it can be taken now. An amount larger
   * than the capacity could never fit, so it only waits for a full bucket.
   */
  msUntilAvailable(amount: number): number {
    this.refill();
    const missing = Math.min(amount, this.capacity) - this.level;
    if (missing <= TOLERANCE * this.capacity) return 0;
    return Math.max(1, Math.ceil((missing * MS_PER_MINUTE) / this.refillPerMinute));
  }

  /** Takes `amount` when {@link msUntilAvailable} says it may; reports whether it did. */
  tryTake(amount: number): boolean {
    if (this.msUntilAvailable(amount) > 0) return false;
    this.level -= amount;
    return true;
  }

  /** Takes `amount` unconditionally, going into debt if need be. */
  take(amount: number): void {
    this.refill();
    this.level -= amount;
  }

  /** Gives back `amount`; the bucket never holds more than its capacity. */
  refund(amount: number): void {
    this.refill();
    this.level = Math.min(this.capacity, this.level + amount);
  }

  private refill(): void {
    const now = this.clock.now();
    // A clock that steps backwards (NTP) adds nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    if (elapsed === 0 || this.level >= this.capacity) return;
    this.level = Math.min(
      this.capacity,
      this.level + (elapsed * this.refillPerMinute) / MS_PER_MINUTE,
    );
  }
}
