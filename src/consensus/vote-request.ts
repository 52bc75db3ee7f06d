import type { Tally, VotingMethod } from "./ballot.js";

/** How a tie left after deliberation is broken when no compromise is wanted. */
export type TieBreak = "chair" | "first-ranked" | "none";

/** What a committee is asked. */
export interface VoteRequest {
  question: string;
  /** The choices; leave out with `free`. */
  options?: readonly string[];
  /** Model aliases or fallback-chain names; each is one member, asked concurrently. */
  members: readonly string[];
  /** @defaultValue "plurality" */
  method?: VotingMethod;
  /** Weight per member alias (`weighted`). @defaultValue 1 each */
  weights?: Readonly<Record<string, number>>;
  /** Valid ballots needed for any decision. @defaultValue 1 */
  quorum?: number;
  /** Share of valid ballots `supermajority` needs, in (0.5, 1]. @defaultValue 2/3 */
  threshold?: number;
  /** Deliberation rounds after the first vote when it deadlocks. @defaultValue 1 */
  rounds?: number;
  /** Proposes a compromise after the last round; breaks ties with `tieBreak: chair`. */
  chair?: string;
  /**
   * A tie left after deliberation: `first-ranked` takes the tied option listed first in
   * `options`; `chair` lets the chair pick among the tied options; `none` leaves it a tie (a
   * compromise, when there is a chair, else `no_consensus`). @defaultValue "none"
   */
  tieBreak?: TieBreak;
  /** Seed of the option orders each member sees. @defaultValue a random seed, recorded */
  seed?: number;
  /** Cap on this vote's model spend, USD (checked before each round against its worst case). */
  budgetUsd?: number;
  /** Open question: members answer freely; equivalent answers are grouped. */
  free?: boolean;
  /** Output token cap per ballot. @defaultValue the model's maxTokens */
  maxTokens?: number;
  signal?: AbortSignal;
  /** Recorded with the vote and on its ledger rows (a workflow's vote step). */
  runId?: string;
  stepId?: string;
}

/** What the committee uses besides the gateway and store; tests inject these. */
export interface VoteDependencies {
  /** @defaultValue the package's `tally` */
  tally?: Tally;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue random UUIDs */
  newId?: () => string;
  /** Who the audit trail names for the decision. @defaultValue "committee" */
  actor?: string;
}
