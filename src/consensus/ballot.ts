/**
 * The contract between counting (pure functions over ballots) and the committee that collects
 * ballots from models. Counting never sees a model; a committee never counts by itself.
 */

export type VotingMethod =
  | "plurality"
  | "majority"
  | "supermajority"
  | "unanimous"
  | "weighted"
  | "ranked"
  | "borda"
  | "approval"
  | "condorcet";

/** What a method reads from a ballot. */
export type BallotShape = "choice" | "ranking" | "approvals";

/** One member's vote in one round, as counted. An abstention carries no preference. */
export interface Ballot {
  /** Anonymous member label, stable within one vote: `Member 1`, … */
  member: string;
  /** For plurality, majority, supermajority, unanimous, weighted. */
  choice?: string;
  /** Most preferred first; may be partial (borda states how unranked options score). */
  ranking?: readonly string[];
  /** For approval voting. */
  approvals?: readonly string[];
  /** @defaultValue 1 (weighted voting) */
  weight?: number;
  /** Set when the ballot does not count: invalid after its repair turn, refused by a budget, … */
  abstention?: { reason: string };
}

export interface TallyOptions {
  /** Fraction of valid ballots needed by `supermajority` (0.5, 1]. @defaultValue 2/3 */
  threshold?: number;
  /** Valid ballots needed for any decision. @defaultValue 1 */
  quorum?: number;
}

/** A counting round: points per option, and what the round eliminated (instant run-off). */
export interface TallyRound {
  tallies: Readonly<Record<string, number>>;
  eliminated: readonly string[];
  /** Ballots no longer counted in this round: every option they rank is eliminated (`ranked`). */
  exhausted?: number;
}

/** A ballot that did not count, and why (its own `abstention`, or what counting found wrong). */
export interface TallyAbstention {
  member: string;
  reason: string;
}

/** `table[x][y]`: a number for the ordered pair of options x, y (`condorcet`). */
export type PairwiseTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

export type TallyStatus = "decided" | "tie" | "no_majority" | "no_quorum";

export interface TallyResult {
  method: VotingMethod;
  status: TallyStatus;
  /** Set when `status` is `decided`. */
  winner?: string;
  /** The options tied for first, when `status` is `tie`. */
  tied?: readonly string[];
  rounds: readonly TallyRound[];
  validBallots: number;
  abstentions: number;
  /** Every ballot that did not count, with its reason, ordered by member. */
  abstained?: readonly TallyAbstention[];
  /** `condorcet`: ballots ranking x above y. */
  pairwise?: PairwiseTable;
  /** `condorcet`: the strength of the strongest path of defeats from x to y (Schulze). */
  strongestPaths?: PairwiseTable;
  /** The rule that decided, or why nothing was decided, in words (shown to users). */
  explanation: string;
}

/**
 * Counts `ballots` over `options` by `method`. Pure and deterministic: the result does not
 * depend on the order of `ballots`.
 */
export type Tally = (
  method: VotingMethod,
  ballots: readonly Ballot[],
  options: readonly string[],
  tallyOptions?: TallyOptions,
) => TallyResult;
