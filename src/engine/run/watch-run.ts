import type { Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import type { RunTable } from "../store/engine-tables.js";
import { type RunClaim, readRunStatus } from "../store/run-records.js";
import { RUN_LEASE_HEARTBEAT_MS, RUN_LEASE_TTL_MS, RunLeaseHeartbeat } from "./run-lease.js";
import type { DriveOptions } from "./run-options.js";
import { RunStop } from "./run-stop.js";

/** What watching a driven run needs from its driver. */
export interface RunWatch {
  store: Store;
  claim: RunClaim;
  run: RunTable;
  options: DriveOptions;
  pollMs: number;
  logger: () => Logger;
  /** Stops the run's steps (called at most once per reason that applies). */
  stop: (reason: RunStop["reason"]) => void;
  /** The run's end gave the lease up: a renewal that lands after it finds it gone, and is no loss. */
  ended: () => boolean;
}

/**
 * Polls the run row for a cancel; renews the lease (its loss stops every step); arms the
 * deadline; follows the caller's signal (a parent's detach or lost lease is this run's too).
 * Returns what stops watching.
 */
export function watchRun(watch: RunWatch): () => void {
  const { store, claim, run, options, stop } = watch;
  const heartbeat = new RunLeaseHeartbeat(
    store,
    claim,
    {
      ttlMs: options.leaseTtlMs ?? RUN_LEASE_TTL_MS,
      heartbeatMs: options.leaseHeartbeatMs ?? RUN_LEASE_HEARTBEAT_MS,
    },
    () => {
      if (watch.ended()) return;
      watch.logger().warn("another process took the run's lease over; stopping its steps");
      stop("lease_lost");
    },
  );
  heartbeat.start();
  const poll = setInterval(() => {
    readRunStatus(store, run.id).then(
      (status) => {
        if (status === "cancelled") stop("cancelled");
      },
      () => {},
    );
  }, watch.pollMs);
  const deadline =
    run.deadline_at === null
      ? undefined
      : setTimeout(() => stop("deadline"), Math.max(0, Number(run.deadline_at) - Date.now()));
  const onSignal = (): void => {
    const reason = options.signal?.reason;
    stop(
      reason instanceof RunStop && (reason.reason === "detach" || reason.reason === "lease_lost")
        ? reason.reason
        : "cancelled",
    );
  };
  options.signal?.addEventListener("abort", onSignal, { once: true });
  if (options.signal?.aborted) stop("cancelled");
  return () => {
    heartbeat.stop();
    clearInterval(poll);
    if (deadline) clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onSignal);
  };
}
