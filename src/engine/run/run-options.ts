import type { Gateway } from "../../models/index.js";
import type { Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import type { RunEmitter } from "./run-events.js";

/** How a run is driven (started or resumed). */
export interface DriveOptions {
  store: Store;
  /** Every model call goes through it; model steps fail without one. */
  gateway?: Gateway;
  /** @defaultValue silent */
  logger?: Logger;
  /** Subscribe before the run starts so no event is missed. @defaultValue a new emitter */
  events?: RunEmitter;
  /** Ready steps at once. @defaultValue the definition's, else 4 */
  concurrency?: number;
  /**
   * Keep driving while approvals are pending (`orkestra run --wait`). When false the call
   * returns with status `waiting` once nothing else can run; `resumeRun` goes on after the decision.
   * @defaultValue false
   */
  waitForApprovals?: boolean;
  /** How often the run row (cancel) and pending approvals are read. @defaultValue 250 */
  pollIntervalMs?: number;
  /** First retry delay; doubles per retry, at most 30 s. @defaultValue 200 */
  retryBackoffMs?: number;
  /** Aborting it cancels the run (a parent run's cancel reaches its sub-workflows this way). */
  signal?: AbortSignal;
  /** Who the audit trail and the lease name. @defaultValue `<host>:<pid>:<random>` */
  owner?: string;
  /**
   * Take the run's lease even while another process holds it (`orkestra resume --force`). That
   * process stops its steps at its next heartbeat and commits nothing more. @defaultValue false
   */
  takeOver?: boolean;
  /** How long the lease holds without a heartbeat. @defaultValue RUN_LEASE_TTL_MS (10 s) */
  leaseTtlMs?: number;
  /** How often the lease is renewed. @defaultValue RUN_LEASE_HEARTBEAT_MS (2 s) */
  leaseHeartbeatMs?: number;
  /**
   * Called with true when the run can only go on after a person's decision (every step it
   * runs waits for an approval), and with false when it can again. Set by a sub-workflow step.
   * @internal
   */
  onWaitingChange?: (waiting: boolean) => void;
}

export interface StartRunOptions extends DriveOptions {
  inputs?: Readonly<Record<string, unknown>>;
  /** Set by a sub-workflow step. @internal */
  parent?: { runId: string; step: string };
}
