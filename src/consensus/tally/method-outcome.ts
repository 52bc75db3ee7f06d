import type { PairwiseTable, TallyRound } from "../ballot.js";

/** What one method decides from the ballots it counts, before quorum and abstentions. */
export interface MethodOutcome {
  status: "decided" | "tie" | "no_majority";
  winner?: string;
  tied?: readonly string[];
  rounds: TallyRound[];
  /** The method's rule and what it gave, in words. */
  explanation: string;
  pairwise?: PairwiseTable;
  strongestPaths?: PairwiseTable;
}
