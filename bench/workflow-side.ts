/** One way of doing a unit of workflow work (a run, or a step), measured side by side with others. */
export interface WorkflowSide {
  /** Does one unit; resolves to how many units that was (a run of N steps counts N steps). */
  runOnce(): Promise<number>;
  close(): Promise<void>;
  /** Statements and transactions the side's store has run so far (Orkestra's sides). */
  readonly queries?: StoreQueries;
}

/** Running counts of a store's statements (BEGIN and COMMIT not included) and transactions. */
export interface StoreQueries {
  statements: number;
  transactions: number;
}
