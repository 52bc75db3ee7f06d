import { setTimeout as sleep } from "node:timers/promises";
import { clockNow } from "./queue-clock.js";
import { busyShare, machineCpu } from "./queue-machine-cpu.js";
import { type ServerCpuProbe, serverCpuSpent } from "./queue-server-cpu.js";
import type { QueueProducer, QueueTarget } from "./queue-side.js";
import type { LoadedQueueSide, QueueSideName } from "./queue-sides.js";
import type { QueueWorkerPool } from "./queue-worker-pool.js";

/** One side on one fresh target, with the pool's worker processes. */
export interface QueueMeasurement {
  pool: QueueWorkerPool;
  name: QueueSideName;
  side: LoadedQueueSide;
  target: QueueTarget;
  workers: number;
  /** PostgreSQL connections each worker process may open. */
  maxConnections: number;
  /** Times the server processes of the workers' connections (PostgreSQL on this machine). */
  serverCpu?: ServerCpuProbe;
}

/** A drain of pre-enqueued jobs by `workers` processes. */
export interface DrainResult {
  workers: number;
  jobs: number;
  /** Completed by the end: `jobs`, unless the drain was cut at `maxMs`. */
  done: number;
  /** From the first pickup (any worker) to the first poll that found no job left, ms. */
  wallMs: number;
  /** The one enqueue transaction of `jobs` jobs, ms (not in `wallMs`). */
  enqueueMs: number;
  /** Handler starts counted by the workers (above `done` when a job ran twice). */
  handled: number;
  /** The worker processes' CPU, µs, over the whole drain. */
  workerCpuUs: number;
  /** Share of the machine's cores busy during the drain (any process), 0–1. */
  machineBusy: number;
  /** CPU of the PostgreSQL backends serving the workers, ms, over the drain; NaN when unknown. */
  serverCpuMs: number;
}

export interface DrainPlan {
  jobs: number;
  /** No more polling this long after the enqueue commit: the drain is cut (slow defaults). */
  maxMs: number;
  /** Between two polls for "any job left". */
  pollMs: number;
}

/** jobs/s of a drain; NaN when nothing was picked up. */
export function drainRate(drain: DrainResult): number {
  return drain.wallMs > 0 && drain.done > 0 ? (drain.done / drain.wallMs) * 1000 : Number.NaN;
}

/** `promise`'s value, or NaN when it takes longer than `ms`. */
async function within(promise: Promise<number>, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.NaN), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function withProducer<Result>(
  measurement: QueueMeasurement,
  work: (producer: QueueProducer) => Promise<Result>,
): Promise<Result> {
  const producer = await measurement.side.setup(measurement.target);
  try {
    return await work(producer);
  } finally {
    await producer.close();
  }
}

/**
 * Throughput: the workers start and wait, idle, on an empty queue; then `jobs` no-op jobs are
 * enqueued in one transaction, so all of them appear at once to workers that are all ready
 * (no worker's start-up counts); the clock runs from the first pickup to the first poll that
 * finds every job completed (`pollMs` resolution).
 */
export function measureDrain(measurement: QueueMeasurement, plan: DrainPlan): Promise<DrainResult> {
  return withProducer(measurement, async (producer) => {
    let firstAt = Number.POSITIVE_INFINITY;
    await measurement.pool.start(measurement.workers, measurement.name, measurement.target, {
      maxConnections: measurement.maxConnections,
      reports: "first",
      onPickup(_seq, at) {
        firstAt = Math.min(firstAt, at);
      },
    });
    const serverBefore = await measurement.serverCpu?.read();
    const enqueueStartedAt = clockNow();
    await producer.enqueueMany(plan.jobs);
    const committedAt = clockNow();
    const cpuBefore = machineCpu();
    let doneAt: number | undefined;
    for (;;) {
      const askedAt = clockNow();
      if (!(await producer.anyLeft())) {
        doneAt = askedAt;
        break;
      }
      if (askedAt - committedAt > plan.maxMs) break;
      await sleep(plan.pollMs);
    }
    const endAt = doneAt ?? clockNow();
    const machineBusy = busyShare(cpuBefore, machineCpu());
    const serverAfter = await measurement.serverCpu?.read();
    const serverCpuMs =
      serverBefore && serverAfter ? serverCpuSpent(serverBefore, serverAfter) : Number.NaN;
    const left = doneAt === undefined ? await producer.remaining() : 0;
    const totals = await measurement.pool.stop();
    return {
      workers: measurement.workers,
      jobs: plan.jobs,
      done: plan.jobs - left,
      wallMs: Number.isFinite(firstAt) ? endAt - firstAt : Number.NaN,
      enqueueMs: committedAt - enqueueStartedAt,
      handled: totals.reduce((sum, total) => sum + total.handled, 0),
      workerCpuUs: totals.reduce((sum, total) => sum + total.cpuUs, 0),
      machineBusy,
      serverCpuMs,
    };
  });
}

/** Idle pickup latency: one job at a time, each enqueued only once the one before was taken. */
export interface IdleResult {
  /** Per sample: from just before the enqueue call to the handler's start, ms. */
  latenciesMs: number[];
  /** Per sample: the enqueue call alone (insert, commit, round trip), ms. */
  enqueueMs: number[];
  /** Samples not picked up within `timeoutMs` (left out of `latenciesMs`). */
  timeouts: number;
}

export interface IdlePlan {
  samples: number;
  /** Taken first and thrown away (connections, JIT, the first fetch after LISTEN). */
  warmup: number;
  /** After a pickup, before the next enqueue: the workers go back to waiting. */
  spacingMs: number;
  /** Wait this long for a pickup, at most. */
  timeoutMs: number;
  /** No sample starts later than this after the first (slow, polling defaults). */
  maxMs: number;
}

/**
 * The workers start, then wait with nothing to do (LISTENing, or polling where a side does
 * not listen). Each sample: note the time, enqueue one job, wait for its handler to start in
 * whichever worker takes it; the latency is the handler's start (the worker's clock, its
 * offset to this process's taken off: see queue-clock.ts) minus the noted time. The next job
 * goes in `spacingMs` after the pickup, so every job meets idle workers.
 */
export function measureIdle(measurement: QueueMeasurement, plan: IdlePlan): Promise<IdleResult> {
  return withProducer(measurement, async (producer) => {
    const waiting = new Map<number, (at: number) => void>();
    await measurement.pool.start(measurement.workers, measurement.name, measurement.target, {
      maxConnections: measurement.maxConnections,
      reports: "each",
      onPickup(seq, at) {
        waiting.get(seq)?.(at);
      },
    });
    const result: IdleResult = { latenciesMs: [], enqueueMs: [], timeouts: 0 };
    const startedAt = clockNow();
    // Warm-up samples count towards maxMs too, so a polling side spends at most a fifth on them.
    const warmupUntil = startedAt + plan.maxMs / 5;
    for (let seq = 0; seq < plan.warmup + plan.samples; seq += 1) {
      const warming = seq < plan.warmup;
      if (warming && clockNow() > warmupUntil) {
        seq = plan.warmup - 1;
        continue;
      }
      if (!warming && clockNow() - startedAt > plan.maxMs && result.latenciesMs.length > 0) break;
      const picked = new Promise<number>((resolve) => waiting.set(seq, resolve));
      const sentAt = clockNow();
      await producer.enqueueOne(seq);
      const enqueuedAt = clockNow();
      const at = await within(picked, plan.timeoutMs);
      waiting.delete(seq);
      if (!warming) {
        if (Number.isNaN(at)) result.timeouts += 1;
        else result.latenciesMs.push(at - sentAt);
        result.enqueueMs.push(enqueuedAt - sentAt);
      }
      await sleep(plan.spacingMs);
    }
    await measurement.pool.stop();
    return result;
  });
}
