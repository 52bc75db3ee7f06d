import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { gcPauseMs } from "./gc-time.js";

/**
 * One run: every call's latency (µs, in call order; as many as were made), its wall times and
 * this process's CPU time.
 */
export interface RunResult {
  latenciesUs: Float64Array;
  /** Until the last call returned: what a caller waiting on all of them feels. */
  callsMs: number;
  /** Until its deferred work (buffered ledger rows) was done: what the run cost. */
  wallMs: number;
  /**
   * User plus system CPU of this process (every thread: GC helpers included), µs. Unlike wall
   * time it does not grow when other processes take the cores.
   */
  cpuUs: number;
  /** Main-thread garbage-collection pauses during the run, ms. */
  gcMs: number;
}

/**
 * Makes `total` calls with `concurrency` of them in flight at all times, or fewer when `maxMs`
 * is given: no call starts after `maxMs`, so a slow side takes a bounded time (the calls in
 * flight still finish and count). The run ends after `settle` (ledger rows written on a later
 * turn). No collection is forced inside the run: the benchmarks collect garbage before a
 * measured run, outside it, so each run starts from a collected heap and pays for its own
 * garbage only. The first failure stops the benchmark: a figure over failed calls would mean
 * nothing.
 */
export async function runCalls(
  call: () => Promise<unknown>,
  total: number,
  concurrency: number,
  settle: () => Promise<void> = async () => {},
  maxMs: number = Number.POSITIVE_INFINITY,
): Promise<RunResult> {
  const latenciesUs = new Float64Array(total);
  let next = 0;
  let startedAt = 0;
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() - startedAt < maxMs) {
      const index = next++;
      const callStartedAt = performance.now();
      await call();
      latenciesUs[index] = (performance.now() - callStartedAt) * 1000;
    }
  };
  const cpuAtStart = process.cpuUsage();
  const gcAtStart = gcPauseMs();
  startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const callsMs = performance.now() - startedAt;
  await settle();
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    latenciesUs: latenciesUs.subarray(0, next),
    callsMs,
    wallMs,
    cpuUs: cpu.user + cpu.system,
    gcMs: gcPauseMs() - gcAtStart,
  };
}

/**
 * Full collections when Node runs with --expose-gc, each followed by two turns of the event
 * loop so finalization callbacks run. Without the flag: the turns only.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: what a FinalizationRegistry held for objects of the first pass goes in the second.
  for (let pass = 0; pass < 2; pass += 1) {
    gc?.();
    await nextTurn();
    await nextTurn();
  }
}
