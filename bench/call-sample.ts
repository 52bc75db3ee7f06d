import type { SideName, SideTarget } from "./bench-sides.js";
import type { SideHost, SlotPlace } from "./harness/measure-sides.js";
import type { SideProcess } from "./side-processes.js";
import { summarize } from "./stats.js";

/** One side's figures for one measured run at one concurrency. */
export interface CallFigures {
  calls: number;
  p50: number;
  p99: number;
  /** Wall time per call, µs: the run's wall time (ledger flush included) over its calls. */
  wallPerCall: number;
  /** CPU of the side's process per call, µs: what a call costs, whatever else the machine runs. */
  cpuPerCall: number;
  /** Garbage-collection pauses per call, µs: part of the CPU figure, shown apart. */
  gcPerCall: number;
  callsPerSecond: number;
  /** Heap still in use after the run and a full collection, over the calls, bytes. */
  keptBytesPerCall: number;
}

/** One slot's sample: the side's figures at each concurrency, measured back to back. */
export type CallSample = ReadonlyMap<number, CallFigures>;

export interface CallSlotOptions {
  concurrencies: readonly number[];
  /** Calls before the side's first measured run in a slot (the side was just opened). */
  warmupCalls: number;
  /** Calls before each later concurrency (new connections, pool growth). */
  warmupPerConcurrency: number;
  calls: number;
  /** No call starts later than this into a measured run. */
  maxMs?: number;
}

/**
 * A host that measures call sides in one side process: open the side against the run's
 * target, warm it up, then per concurrency a short warm-up, a full collection (outside the
 * measurement), the measured run, and another collection for the heap the run left behind.
 */
export function callHost(
  process: SideProcess,
  target: SideTarget,
  options: CallSlotOptions,
): SideHost<CallSample> {
  return {
    async measure(side: string, _place: SlotPlace): Promise<CallSample> {
      await process.open(side as SideName, target);
      const sample = new Map<number, CallFigures>();
      for (const [index, concurrency] of options.concurrencies.entries()) {
        const warmup = index === 0 ? options.warmupCalls : options.warmupPerConcurrency;
        if (warmup > 0) await process.run(warmup, concurrency, options.maxMs);
        const heapBefore = await process.heapUsed();
        const run = await process.run(options.calls, concurrency, options.maxMs);
        const heapAfter = await process.heapUsed();
        const summary = summarize(run.latenciesUs);
        const calls = run.latenciesUs.length;
        sample.set(concurrency, {
          calls,
          p50: summary.p50,
          p99: summary.p99,
          wallPerCall: (run.wallMs * 1000) / calls,
          cpuPerCall: run.cpuUs / calls,
          gcPerCall: (run.gcMs * 1000) / calls,
          callsPerSecond: calls / (run.wallMs / 1000),
          keptBytesPerCall: (heapAfter - heapBefore) / calls,
        });
      }
      return sample;
    },
  };
}

/** A figure of a sample at one concurrency; NaN when that concurrency was not measured. */
export function at(concurrency: number, figure: keyof CallFigures): (sample: CallSample) => number {
  return (sample) => sample.get(concurrency)?.[figure] ?? Number.NaN;
}
