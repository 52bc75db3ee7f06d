/** One way of making a call, measured side by side with the others. */
export interface BenchSide {
  call: () => Promise<unknown>;
  /** Work the side owes after its calls returned (ledger rows still buffered). */
  settle: () => Promise<void>;
  close: () => Promise<void>;
}
