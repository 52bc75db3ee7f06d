/** One way of doing a unit of workflow work (a run, or a step), measured side by side with others. */
export interface WorkflowSide {
  /** Does one unit; resolves to how many units that was (a run of N steps counts N steps). */
  runOnce(): Promise<number>;
  close(): Promise<void>;
}
