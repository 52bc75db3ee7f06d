import type { WorkflowSideName, WorkflowTarget } from "./workflow-sides.js";

/** Orders from a workflow benchmark to a side process. */
export type WorkflowOrder =
  /** Makes `name` against `target` the process's side (closing the one before), unless it is already. */
  | { type: "open"; name: WorkflowSideName; target: WorkflowTarget }
  /** `concurrency` at once until `calls` of the side's `runOnce` are done, or none started after `maxMs`. */
  | { type: "run"; calls: number; concurrency: number; maxMs: number };

/** One measured stretch, inside the side's process. */
export interface WorkflowRun {
  /** What the calls did: workflow runs, or steps for the per-step sides. */
  units: number;
  wallMs: number;
  cpuUs: number;
  /** Statements and write batches the side's store ran in the stretch (Orkestra's sides only). */
  statements?: number;
  batches?: number;
  writes?: number;
}

export type WorkflowReply =
  | { type: "opened" }
  | { type: "ran"; run: WorkflowRun }
  | { type: "failed"; message: string };
