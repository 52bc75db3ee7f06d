import type { z } from "zod";
import type { breakerSchema } from "../../config/model-settings-schema.js";
import { type Clock, systemClock } from "../clock.js";
import type { ModelErrorKind } from "../errors/model-error.js";

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Kinds that say the provider or the model is unhealthy for everyone, so they count towards
 * opening the breaker. `auth` and `not_found` are here too: a revoked key or a withdrawn model
 * fails every call the same way, and skipping the model for a cool-down saves the fallback chain
 * a doomed attempt each time.
 *
 * The other kinds are about this one request (`invalid_request`, `context_length`,
 * `content_filter`), about this response (`parse`), or about the caller (`cancelled`,
 * `budget_exceeded`): they neither count as failures nor reset the count, because they say
 * nothing about the model's health either way.
 */
export const BREAKER_FAILURE_KINDS: ReadonlySet<ModelErrorKind> = new Set<ModelErrorKind>([
  "network",
  "timeout",
  "server",
  "overloaded",
  "rate_limit",
  "quota_exhausted",
  "auth",
  "not_found",
]);

/** Whether a failure of this kind counts towards opening the breaker. */
export function countsAsBreakerFailure(kind: ModelErrorKind): boolean {
  return BREAKER_FAILURE_KINDS.has(kind);
}

/** `breaker` settings from the configuration, after defaults. */
export type BreakerSettings = z.output<typeof breakerSchema>;

export interface CircuitBreakerOptions {
  /** The model alias, carried in events for logs and audit. */
  name: string;
  /** Consecutive failures that open the breaker. @defaultValue 5 */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before letting one probe through. @defaultValue 30000 */
  cooldownMs?: number;
  /**
   * A probe whose outcome is never recorded (a caller that lost track of it) stops blocking
   * other probes after this long, so a breaker can never stay stuck half-open.
   * @defaultValue 300000
   */
  probeTimeoutMs?: number;
  /** @defaultValue systemClock */
  clock?: Pick<Clock, "now">;
  /** Called on every state change; see {@link CircuitBreaker.onEvent}. */
  onEvent?: BreakerListener;
}

/** A breaker's state, for logs and metrics. */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  /** When the breaker last opened (epoch ms), while it is open or half-open. */
  readonly openedAt: number | undefined;
  /** When an open breaker lets a probe through (epoch ms), while it is open. */
  readonly retryAt: number | undefined;
}

/** What the breaker decided for one call, with its state at that moment. */
export interface BreakerDecision extends BreakerSnapshot {
  /** Whether the call may go to the provider. */
  readonly allowed: boolean;
  /** This call is the one half-open probe: its outcome closes or re-opens the breaker. */
  readonly probe: boolean;
  /** Ties a probe's outcome to the probe, so a straggler's answer cannot be mistaken for it. */
  readonly probeId: number | undefined;
}

export type BreakerEventType = "breaker:open" | "breaker:half-open" | "breaker:close";

const EVENT_TYPE: Readonly<Record<BreakerState, BreakerEventType>> = {
  open: "breaker:open",
  "half-open": "breaker:half-open",
  closed: "breaker:close",
};

export interface BreakerEvent {
  readonly type: BreakerEventType;
  /** The model alias. */
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly at: number;
  readonly consecutiveFailures: number;
  /** Set on `breaker:open`: when a probe will be let through. */
  readonly retryAt: number | undefined;
  /** Set on `breaker:open`: the kind of the failure that opened it. */
  readonly failureKind: ModelErrorKind | undefined;
}

export type BreakerListener = (event: BreakerEvent) => void;

/**
 * A per-model circuit breaker. Closed: every call goes; `failureThreshold` consecutive failures
 * (of the {@link BREAKER_FAILURE_KINDS}) open it. Open: calls are refused until `cooldownMs` has
 * passed. Half-open: exactly one probe call goes, concurrent callers are still refused; the
 * probe's success closes the breaker, its failure re-opens it with a fresh cool-down.
 *
 * The half-open state is entered on the first look after the cool-down, not by a timer, so an
 * idle breaker costs nothing.
 *
 * Outcomes of calls that were let through before the breaker opened (stragglers) are ignored
 * while it is open or half-open: only the probe decides.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly probeTimeoutMs: number;
  private readonly clock: Pick<Clock, "now">;
  private readonly listeners = new Set<BreakerListener>();
  private currentState: BreakerState = "closed";
  private failures = 0;
  private openedAt: number | undefined;
  private retryAt: number | undefined;
  private probeId: number | undefined;
  private probeStartedAt = 0;
  private probeSequence = 0;

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name;
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 300_000;
    this.clock = options.clock ?? systemClock;
    if (options.onEvent) this.listeners.add(options.onEvent);
  }

  /** The state now (an open breaker past its cool-down reads as half-open). */
  get state(): BreakerState {
    this.advance();
    return this.currentState;
  }

  /** Whether a call would be let through now, without claiming the probe. */
  canAttempt(): boolean {
    this.advance();
    if (this.currentState === "closed") return true;
    if (this.currentState === "open") return false;
    return this.probeId === undefined || this.probeExpired();
  }

  /**
   * Decides whether a call may go now. In the half-open state the first caller gets the probe
   * (`probe: true`) and everyone after it is refused until the probe's outcome is recorded.
   * Pass the decision to {@link recordSuccess} or {@link recordFailure} when the call ends.
   */
  tryAcquire(): BreakerDecision {
    this.advance();
    if (this.currentState === "closed") return this.decision(true, undefined);
    if (this.currentState === "open") return this.decision(false, undefined);
    if (this.probeId !== undefined && !this.probeExpired()) return this.decision(false, undefined);
    this.probeId = ++this.probeSequence;
    this.probeStartedAt = this.clock.now();
    return this.decision(true, this.probeId);
  }

  /** A call let through by `decision` succeeded. */
  recordSuccess(decision?: BreakerDecision): void {
    this.advance();
    if (this.currentState === "closed") {
      this.failures = 0;
      return;
    }
    if (this.isCurrentProbe(decision)) this.transition("closed", undefined);
  }

  /**
   * A call let through by `decision` failed with `kind`. Returns whether the failure counted
   * towards opening the breaker.
   */
  recordFailure(kind: ModelErrorKind, decision?: BreakerDecision): boolean {
    this.advance();
    const counts = countsAsBreakerFailure(kind);
    if (this.currentState === "closed") {
      if (!counts) return false;
      this.failures += 1;
      if (this.failures >= this.failureThreshold) this.transition("open", kind);
      return true;
    }
    if (!this.isCurrentProbe(decision)) return false;
    if (counts) {
      this.failures += 1;
      this.transition("open", kind);
      return true;
    }
    // The probe ended in a way that says nothing about health: free the slot for another probe.
    this.probeId = undefined;
    return false;
  }

  /** Adds a listener for state changes; returns a function that removes it. */
  onEvent(listener: BreakerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state for logs and metrics, without claiming anything. */
  snapshot(): BreakerSnapshot {
    this.advance();
    return {
      state: this.currentState,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt,
      retryAt: this.currentState === "open" ? this.retryAt : undefined,
    };
  }

  private advance(): void {
    if (
      this.currentState === "open" &&
      this.retryAt !== undefined &&
      this.clock.now() >= this.retryAt
    ) {
      this.transition("half-open", undefined);
    }
  }

  private probeExpired(): boolean {
    return this.clock.now() - this.probeStartedAt >= this.probeTimeoutMs;
  }

  private isCurrentProbe(decision: BreakerDecision | undefined): boolean {
    return (
      this.currentState === "half-open" &&
      decision?.probeId !== undefined &&
      decision.probeId === this.probeId
    );
  }

  private decision(allowed: boolean, probeId: number | undefined): BreakerDecision {
    return {
      allowed,
      probe: probeId !== undefined,
      state: this.currentState,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt,
      retryAt: this.currentState === "open" ? this.retryAt : undefined,
      probeId,
    };
  }

  private transition(to: BreakerState, failureKind: ModelErrorKind | undefined): void {
    const from = this.currentState;
    const at = this.clock.now();
    this.currentState = to;
    this.probeId = undefined;
    if (to === "open") {
      this.openedAt = at;
      this.retryAt = at + this.cooldownMs;
    } else if (to === "closed") {
      this.failures = 0;
      this.openedAt = undefined;
      this.retryAt = undefined;
    }
    const event: BreakerEvent = {
      type: EVENT_TYPE[to],
      name: this.name,
      from,
      to,
      at,
      consecutiveFailures: this.failures,
      retryAt: to === "open" ? this.retryAt : undefined,
      failureKind,
    };
    for (const listener of this.listeners) {
      // A listener (a logger, an audit writer) must never break the model call that tripped it.
      try {
        listener(event);
      } catch {}
    }
  }
}

/**
 * One {@link CircuitBreaker} per model alias, shared by every call in the process. Listeners
 * added here hear every breaker's events.
 */
export class CircuitBreakerRegistry {
  private readonly clock: Pick<Clock, "now">;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<BreakerListener>();

  constructor(options: { clock?: Pick<Clock, "now"> } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The breaker for `alias`, built on first use from `settings` (the model's `breaker` merged
   * over `gateway.breaker`). Settings passed later are ignored while the breaker exists: its
   * state must survive; {@link delete} it to rebuild.
   */
  get(alias: string, settings: Partial<BreakerSettings> = {}): CircuitBreaker {
    let breaker = this.breakers.get(alias);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({
        name: alias,
        failureThreshold: settings.failureThreshold,
        cooldownMs: settings.cooldownMs,
        clock: this.clock,
        onEvent: (event) => {
          for (const listener of this.listeners) {
            try {
              listener(event);
            } catch {}
          }
        },
      });
      this.breakers.set(alias, breaker);
    }
    return breaker;
  }

  /** Adds a listener for every breaker's state changes; returns a function that removes it. */
  onEvent(listener: BreakerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every breaker's state, for a status page or `/metrics`. */
  snapshot(): Record<string, BreakerSnapshot> {
    const states: Record<string, BreakerSnapshot> = {};
    for (const [alias, breaker] of this.breakers) states[alias] = breaker.snapshot();
    return states;
  }

  delete(alias: string): void {
    this.breakers.delete(alias);
  }

  clear(): void {
    this.breakers.clear();
  }
}

/** A process-wide registry, for gateways that should share their state: pass it as their option. */
export const processCircuitBreakers = new CircuitBreakerRegistry();
