import type { Transaction } from "kysely";
import type { ScheduleInput } from "../../config/schedules-schema.js";
import { createLogger, type Logger } from "../../observability/index.js";
import type { Database, Store } from "../../store/index.js";
import { type DueTick, dueTicks, firstMissedTick } from "./due-ticks.js";
import { type ScheduleEntry, scheduleEntry } from "./schedule-entry.js";
import { scheduleTransaction } from "./schedule-tables.js";
import type { ScheduleTarget } from "./schedule-target.js";
import { claimTick, latestFiredTicks, recordTickTarget } from "./schedule-ticks.js";

/** One tick being fired: what `fire` enqueues. */
export interface ScheduleTick {
  /** The schedule's name. */
  schedule: string;
  /** The tick's time, epoch ms. */
  tickAt: number;
  target: ScheduleTarget;
  /** True when the tick was missed and fires because of the schedule's `catchUp`. */
  catchUp: boolean;
}

/**
 * Enqueues a tick's target inside `trx`, the transaction that records the tick as fired: what it
 * writes commits with the tick or not at all. It may return the id of what it enqueued (kept in
 * `schedule_ticks.target_id`). If it throws, the tick is not recorded and is tried again later.
 */
export type FireTick = (tick: ScheduleTick, trx: Transaction<Database>) => FireResult;

/** The id of what was enqueued, or nothing. */
// biome-ignore lint/suspicious/noConfusingVoidType: an async callback that returns nothing is a FireTick too.
export type FireResult = Promise<string | undefined | void>;

/** A tick this scheduler fired. */
export interface FiredTick {
  schedule: string;
  tickAt: number;
  catchUp: boolean;
  targetId: string | undefined;
}

export interface SchedulerOptions {
  store: Store;
  /** By name, as under `schedules:` in orkestra.yaml. */
  schedules: Readonly<Record<string, ScheduleInput>>;
  fire: FireTick;
  /** The clock, epoch ms. @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /** A tick not fired within this long of its time is missed and left to `catchUp`. @defaultValue 60000 */
  missedAfterMs?: number;
  /** First wait before a schedule whose fire failed is tried again; doubles up to a minute. @defaultValue 1000 */
  retryDelayMs?: number;
}

const DEFAULT_MISSED_AFTER_MS = 60_000;
const DEFAULT_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 60_000;
// Wakes at least this often: timers run on a monotonic clock, ticks on the wall clock, which a
// correction (NTP) or a sleeping laptop moves.
const MAX_SLEEP_MS = 60_000;

/**
 * Fires the ticks of cron schedules, each exactly once across every scheduler on the same store:
 * one runs in every worker process. A tick is fired by inserting its `schedule_ticks` row and
 * enqueueing its target in one transaction; a scheduler whose insert finds the row does nothing.
 * See docs/schedules.md for the catch-up policy.
 */
export class Scheduler {
  /** When this scheduler was created, epoch ms: ticks before it are missed ones. */
  readonly startedAt: number;
  private readonly store: Store;
  private readonly entries: readonly ScheduleEntry[];
  private readonly fire: FireTick;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly missedAfterMs: number;
  private readonly retryDelayMs: number;
  /** Schedules whose last fire failed: not tried again before `at`. */
  private readonly retries = new Map<string, { at: number; delayMs: number }>();
  /** The first missed tick already logged, per schedule, so a wait is logged once. */
  private readonly reportedMissed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<FiredTick[]> = Promise.resolve([]);
  private started = false;
  private stopped = false;

  /** Throws a ScheduleError naming the schedule when one is invalid. */
  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.fire = options.fire;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? createLogger({ level: "silent" });
    this.missedAfterMs = options.missedAfterMs ?? DEFAULT_MISSED_AFTER_MS;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.entries = Object.entries(options.schedules).map(([name, schedule]) =>
      scheduleEntry(name, schedule),
    );
    this.startedAt = this.now();
  }

  /**
   * Fires what is due now (the catch-up after a downtime), then keeps firing at each tick until
   * `stop()`. Returns itself; a stopped scheduler does not start again.
   */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    void this.runDue().finally(() => this.arm());
    return this;
  }

  /**
   * Fires every tick due now (rounds never overlap: a call waits for the one in progress).
   * Resolves with the ticks this scheduler fired; failures are logged, never thrown.
   */
  runDue(): Promise<FiredTick[]> {
    // This chain MUST NOT reject: a worker's timer runs on it, and one rejection would skip
    // every later round.
    this.round = this.round
      .then(() => (this.stopped ? [] : this.fireDue()))
      .catch((error: unknown) => {
        this.logger.error({ error: messageOf(error) }, "schedules: a round failed");
        return [];
      });
    return this.round;
  }

  /** When the next tick of any schedule is due (or a failed one is tried again), epoch ms. */
  nextWakeAt(now: number = this.now()): number | undefined {
    const times = this.entries.flatMap((entry) => {
      const retry = this.retries.get(entry.name);
      const next = entry.cron.nextTickAfter(now);
      return [...(next === undefined ? [] : [next]), ...(retry === undefined ? [] : [retry.at])];
    });
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Stops the timer and waits for a round in progress; no tick is fired afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.now();
    const wakeAt = this.nextWakeAt(now) ?? now + MAX_SLEEP_MS;
    const delay = Math.min(Math.max(wakeAt - now, 0), MAX_SLEEP_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runDue().finally(() => this.arm());
    }, delay);
  }

  private async fireDue(): Promise<FiredTick[]> {
    const now = this.now();
    let latest: Map<string, number>;
    try {
      latest = await latestFiredTicks(
        this.store,
        this.entries.map((entry) => entry.name),
      );
    } catch (error) {
      this.logger.warn(
        { error: messageOf(error) },
        "could not read the fired ticks of the schedules; trying again later",
      );
      for (const entry of this.entries) this.retryLater(entry.name, now);
      return [];
    }
    const fired: FiredTick[] = [];
    for (const entry of this.entries) {
      if ((this.retries.get(entry.name)?.at ?? 0) > now) continue;
      const input = {
        cron: entry.cron,
        catchUp: entry.catchUp,
        lastFired: latest.get(entry.name),
        startedAt: this.startedAt,
        now,
        missedAfterMs: this.missedAfterMs,
      };
      this.reportMissed(entry, firstMissedTick(input));
      const failed = await this.fireTicks(entry, dueTicks(input), fired);
      if (failed) this.retryLater(entry.name, now);
      else this.retries.delete(entry.name);
      if (this.stopped) break;
    }
    return fired;
  }

  /** Fires `due` in order; stops at the first failure, so a schedule's ticks never skip one. */
  private async fireTicks(
    entry: ScheduleEntry,
    due: readonly DueTick[],
    fired: FiredTick[],
  ): Promise<boolean> {
    for (const { tickAt, catchUp } of due) {
      if (this.stopped) return false;
      const tick: ScheduleTick = { schedule: entry.name, tickAt, target: entry.target, catchUp };
      try {
        const outcome = await this.fireTick(tick);
        if (outcome.claimed) {
          fired.push({ schedule: entry.name, tickAt, catchUp, targetId: outcome.targetId });
          this.logger.info(
            { schedule: entry.name, tickAt: isoTime(tickAt), catchUp, targetId: outcome.targetId },
            "schedule fired",
          );
        }
      } catch (error) {
        this.logger.warn(
          { schedule: entry.name, tickAt: isoTime(tickAt), error: messageOf(error) },
          "schedule tick failed; trying again later",
        );
        return true;
      }
    }
    return false;
  }

  private fireTick(tick: ScheduleTick): Promise<{ claimed: boolean; targetId?: string }> {
    return this.store.transaction(async (trx) => {
      const claimed = await claimTick(scheduleTransaction(trx), {
        schedule: tick.schedule,
        tickAt: tick.tickAt,
        firedAt: this.now(),
      });
      if (!claimed) return { claimed: false };
      const targetId = await this.fire(tick, trx);
      if (typeof targetId !== "string") return { claimed: true };
      await recordTickTarget(scheduleTransaction(trx), tick, targetId);
      return { claimed: true, targetId };
    });
  }

  private retryLater(name: string, now: number): void {
    const previous = this.retries.get(name);
    const delayMs =
      previous === undefined
        ? Math.max(this.retryDelayMs, 1)
        : Math.min(previous.delayMs * 2, Math.max(MAX_RETRY_DELAY_MS, this.retryDelayMs));
    this.retries.set(name, { at: now + delayMs, delayMs });
  }

  private reportMissed(entry: ScheduleEntry, firstMissed: number | undefined): void {
    if (firstMissed === undefined || this.reportedMissed.get(entry.name) === firstMissed) return;
    this.reportedMissed.set(entry.name, firstMissed);
    this.logger.info(
      { schedule: entry.name, since: isoTime(firstMissed), catchUp: entry.catchUp },
      entry.catchUp === "none"
        ? "schedule missed ticks; catchUp none skips them"
        : `schedule missed ticks; catchUp ${entry.catchUp} fires ${entry.catchUp === "last" ? "the latest" : "them"}`,
    );
  }
}

export type StartSchedulerOptions = SchedulerOptions;

/**
 * Creates a Scheduler and starts it: what a worker process calls. Stop it with `stop()` before
 * closing the store.
 */
export function startScheduler(options: StartSchedulerOptions): Scheduler {
  return new Scheduler(options).start();
}

function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
