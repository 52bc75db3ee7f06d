import type { SideName, SideTarget } from "./bench-sides.js";

/** Orders from a benchmark to a side process. */
export type SideOrder =
  /** Makes `name` against `target` the process's side (closing the one before), unless it is already. */
  | { type: "open"; name: SideName; target: SideTarget }
  /** Calls until `calls` are done, or no new one after `maxMs`. */
  | { type: "run"; calls: number; concurrency: number; maxMs?: number }
  /** Collect garbage, then report the heap still in use. */
  | { type: "heap" };

/** One run, measured inside the side's process. */
export interface SideRun {
  latenciesUs: number[];
  /** Until the last call returned, ms. */
  callsMs: number;
  /** Until deferred work (buffered ledger rows) was done, ms. */
  wallMs: number;
  cpuUs: number;
  gcMs: number;
}

export type SideReply =
  | { type: "opened" }
  | { type: "ran"; run: SideRun }
  /** Bytes in use after a full collection: what the side keeps alive. */
  | { type: "heap"; heapUsedBytes: number }
  | { type: "failed"; message: string };
