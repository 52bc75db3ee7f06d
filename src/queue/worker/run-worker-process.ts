import { Worker, type WorkerStats } from "./worker.js";
import type { WorkerOptions } from "./worker-options.js";

export interface RunWorkerProcessOptions extends WorkerOptions {
  /** How long in-flight tasks may finish after the first stop signal, ms. @defaultValue 30000 */
  graceMs?: number;
  /** @defaultValue ["SIGTERM", "SIGINT"] */
  signals?: readonly NodeJS.Signals[];
  /** Called once the worker is registered and claiming (a supervisor's readiness hook). */
  onStarted?(worker: Worker): void;
  /** Resolving it stops the worker too, as a signal would (a test's or an embedder's stop). */
  until?: Promise<unknown>;
}

/**
 * Runs one Worker as the body of a process (`orkestra worker`, a child in a test): starts it,
 * and on the first SIGTERM or SIGINT stops claiming and lets in-flight tasks finish for
 * `graceMs` before releasing the rest; a second signal releases them at once. Resolves with the
 * worker's totals once it has stopped. The caller opens and closes the store and sets the exit
 * code (0 after a graceful stop).
 */
export async function runWorkerProcess(options: RunWorkerProcessOptions): Promise<WorkerStats> {
  const {
    graceMs = 30_000,
    signals = ["SIGTERM", "SIGINT"],
    onStarted,
    until,
    ...workerOptions
  } = options;
  const worker = new Worker(workerOptions);
  let stopped: Promise<void> | undefined;
  let resolveStopped: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let signalsSeen = 0;
  const onSignal = () => {
    signalsSeen += 1;
    // The first signal stops gracefully; another one ends the grace period.
    if (signalsSeen === 1) stopped = worker.stop({ graceMs });
    else worker.endGrace();
    resolveStopped();
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    await worker.start();
    onStarted?.(worker);
    await (until ? Promise.race([stopRequested, until]) : stopRequested);
    stopped ??= worker.stop({ graceMs });
    await stopped;
    return worker.stats;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}
