import type { FakeProviderBaseURLs } from "../src/testing/index.js";
import type { SideName } from "./bench-sides.js";

/** Orders from a benchmark to one side's process. */
export type SideOrder =
  | { type: "open"; name: SideName; baseURL: FakeProviderBaseURLs; directory: string }
  | { type: "run"; calls: number; concurrency: number }
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
