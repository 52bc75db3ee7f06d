import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ScheduleInput } from "../config/schedules-schema.js";
import type { Logger } from "../observability/index.js";
import { type FireTick, type Scheduler, startScheduler } from "../queue/index.js";
import { Worker, type WorkerStats } from "../queue/worker/worker.js";
import type { TaskHandler, WorkerOptions } from "../queue/worker/worker-options.js";
import type { Store } from "../store/index.js";
import { onStopSignals, signalExitCode } from "./worker-signals.js";

/** After the grace period, how long handlers that were let go may take to wind down. */
const SETTLE_MS = 5_000;
/** How often the event loop's delay is sampled, ms; each sample is this plus the delay. */
const LOOP_SAMPLE_MS = 10;

export interface ServeQueueOptions {
  store: Store;
  logger: Logger;
  /** The Worker's options but its store and logger. */
  worker: Omit<WorkerOptions, "store" | "logger">;
  /** The config's `schedules:`; the scheduler runs when there is one, with `fire`. */
  schedules?: Readonly<Record<string, ScheduleInput>>;
  fire?: FireTick;
  /** How long in-flight tasks may finish after a stop request before they are released, ms. */
  graceMs: number;
  /** Stop once a claim finds nothing and nothing runs. @defaultValue false */
  once?: boolean;
  /**
   * Stop on SIGTERM/SIGINT (a second one, later than a moment after, exits at once) and when
   * the supervisor's IPC channel closes. @defaultValue true
   */
  signals?: boolean;
}

/** How a served worker ended. */
export interface ServedQueue {
  workerId: string;
  stats: WorkerStats;
  /** What stopped it. */
  stoppedBy: "signal" | "idle" | "supervisor";
  /**
   * How late the event loop ran timers over the worker's life (perf_hooks.monitorEventLoopDelay,
   * sampled every 10 ms), ms: how long it was blocked at worst, at the 99th percentile, on average.
   */
  eventLoopDelayMs: { max: number; p99: number; mean: number };
}

/**
 * Runs one Worker (and the scheduler) until a stop request, then stops it gracefully: no new
 * claims, in-flight tasks get `graceMs` to finish, the rest are released to other workers, the
 * scheduler stops, and handlers that were let go get a few seconds to wind down (a workflow
 * task gives its run's lease up) before this resolves. What `orkestra worker` runs.
 */
export async function serveQueue(options: ServeQueueOptions): Promise<ServedQueue> {
  const { store, logger } = options;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loopDelay.enable();
  const inFlight = new Set<Promise<unknown>>();
  const worker = new Worker({
    ...options.worker,
    handlers: tracked(options.worker.handlers, inFlight),
    store,
    logger,
  });
  let requestStop: (by: ServedQueue["stoppedBy"]) => void = () => {};
  const stopRequested = new Promise<ServedQueue["stoppedBy"]>((resolve) => {
    requestStop = resolve;
  });
  const cleanups: (() => void)[] = [];
  const onRejection = (reason: unknown): void =>
    logger.error(
      { err: reason },
      "worker:unhandled_rejection in a task's code; the worker goes on",
    );
  process.on("unhandledRejection", onRejection);
  cleanups.push(() => process.removeListener("unhandledRejection", onRejection));
  if (options.signals ?? true) {
    cleanups.push(
      onStopSignals({
        first: (signal) => {
          logger.info({ signal, graceMs: options.graceMs }, "worker:shutdown requested");
          requestStop("signal");
        },
        again: (signal) => {
          logger.warn({ signal }, "worker:shutdown forced; in-flight tasks run again elsewhere");
          process.exit(signalExitCode(signal));
        },
      }),
    );
    if (process.send !== undefined) {
      const onDisconnect = (): void => requestStop("supervisor");
      process.once("disconnect", onDisconnect);
      cleanups.push(() => process.removeListener("disconnect", onDisconnect));
    }
  }

  let scheduler: Scheduler | undefined;
  try {
    await worker.start();
    if (options.schedules && options.fire && Object.keys(options.schedules).length > 0) {
      scheduler = startScheduler({
        store,
        schedules: options.schedules,
        fire: options.fire,
        logger,
      });
    }
    if (options.once) cleanups.push(whenIdle(worker, options.worker.pollMs ?? 1_000, requestStop));
    const stoppedBy = await stopRequested;
    await scheduler?.stop();
    scheduler = undefined;
    await worker.stop({ graceMs: options.graceMs });
    await settle(inFlight, SETTLE_MS);
    loopDelay.disable();
    const served: ServedQueue = {
      workerId: worker.id,
      stats: worker.stats,
      stoppedBy,
      eventLoopDelayMs: {
        max: delayMs(loopDelay.max),
        p99: delayMs(loopDelay.percentile(99)),
        mean: delayMs(loopDelay.mean),
      },
    };
    logger.info(
      { workerId: worker.id, stoppedBy, eventLoopDelayMs: served.eventLoopDelayMs },
      "worker:exit",
    );
    return served;
  } finally {
    await scheduler?.stop();
    await worker.stop({ graceMs: 0 });
    loopDelay.disable();
    for (const cleanup of cleanups) cleanup();
  }
}

/** The handlers, each call kept in `inFlight` until it settles. */
function tracked(
  handlers: Readonly<Record<string, TaskHandler>>,
  inFlight: Set<Promise<unknown>>,
): Record<string, TaskHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]) => [
      kind,
      (task, context) => {
        const call = Promise.resolve().then(() => handler(task, context));
        inFlight.add(call);
        const forget = (): void => {
          inFlight.delete(call);
        };
        call.then(forget, forget);
        return call;
      },
    ]),
  ) as Record<string, TaskHandler>;
}

/** Waits for the calls to settle, at most `timeoutMs`. */
async function settle(inFlight: ReadonlySet<Promise<unknown>>, timeoutMs: number): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Calls `stop("idle")` once, between two looks a poll interval apart, the worker claimed
 * nothing though it tried, and nothing ran: an idle worker claims at least once per poll.
 */
function whenIdle(
  worker: Worker,
  pollMs: number,
  stop: (by: ServedQueue["stoppedBy"]) => void,
): () => void {
  let last = worker.stats;
  const timer = setInterval(() => {
    const now = worker.stats;
    const idle =
      now.inFlight === 0 &&
      last.inFlight === 0 &&
      now.claimed === last.claimed &&
      now.claimBatches > last.claimBatches;
    last = now;
    if (idle) stop("idle");
  }, pollMs + 50);
  return () => clearInterval(timer);
}

/** A sample of the delay histogram (ns, the sampling interval included) as the delay in ms. */
function delayMs(sampleNs: number): number {
  const ms = sampleNs / 1e6 - LOOP_SAMPLE_MS;
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms * 10) / 10) : 0;
}
