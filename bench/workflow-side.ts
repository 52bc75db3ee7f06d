/** One way of doing a unit of workflow work (a run, or a step), measured side by side with others. */
export interface WorkflowSide {
  /** Does one unit; resolves to how many units that was (a run of N steps counts N steps). */
  runOnce(): Promise<number>;
  close(): Promise<void>;
  /** Statements and write batches the side's store has run so far (Orkestra's sides). */
  readonly queries?: StoreQueries;
}

/** Running counts of a store's statements (BEGIN and COMMIT not included) and the engine's write batches. */
export interface StoreQueries {
  readonly statements: number;
  /** Batches of the store's group committer: one transaction (SQLite) or one statement (PostgreSQL) each. */
  readonly batches: number;
  /** Writes of runs in those batches. */
  readonly writes: number;
}
