import type { TallyRound, TallyStatus, VotingMethod } from "./ballot.js";

export type VoteStatus = "decided" | "no_consensus" | "no_quorum";

/** What a round of voting was for. */
export type RoundStage = "vote" | "deliberation" | "compromise";

/** One member's ballot in one round, as recorded and shown. */
export interface RecordedBallot {
  /** `Member 1`, …: the label the other members saw. */
  member: string;
  /** The model that answered (a chain's member), or the member's alias when none did. */
  model: string;
  round: number;
  choice?: string;
  ranking?: readonly string[];
  approvals?: readonly string[];
  /** `--free`: the member's own words, before grouping. */
  answer?: string;
  confidence: number | null;
  rationale: string | null;
  valid: boolean;
  /** Why the ballot does not count. */
  reason?: string;
  /** The option order this member was shown. */
  shownOrder: readonly string[];
}

export interface VoteRound {
  round: number;
  stage: RoundStage;
  /** The last count's points per option. */
  tallies: Readonly<Record<string, number>>;
  /** Options eliminated by run-off counts, in order. */
  eliminated: readonly string[];
  /** Every count of the round (instant run-off keeps each elimination). */
  counts: readonly TallyRound[];
  status: TallyStatus;
  winner?: string;
  tied?: readonly string[];
  validBallots: number;
  abstentions: number;
  explanation: string;
}

export interface VoteAbstention {
  member: string;
  model: string;
  round: number;
  reason: string;
}

/** `--free`: how the answers were grouped, and by which judge. */
export interface AnswerGrouping {
  groups: readonly AnswerGroup[];
  /** Null without a judge (a committee of one); `not_needed` when normalising left one group. */
  judge: { model: string; outcome: "grouped" | "not_needed" | "failed"; reason?: string } | null;
}

/** `--free`: the groups of equivalent answers, and who is in each. */
export interface AnswerGroup {
  /** The option the group stands for: the first member's answer in it. */
  label: string;
  members: readonly string[];
  answers: readonly string[];
}

/** The result of a vote; its JSON is the `orkestra vote --json` document. */
export interface VoteResult {
  success: boolean;
  voteId: string;
  status: VoteStatus;
  winner: string | null;
  method: VotingMethod;
  question: string;
  options: readonly string[];
  /** `Member 1` → alias: who was who, for the record (members never see it). */
  members: readonly { member: string; alias: string; weight: number }[];
  rounds: readonly VoteRound[];
  ballots: readonly RecordedBallot[];
  abstentions: readonly VoteAbstention[];
  /** How the result came about, in words. */
  explanation: string;
  quorum: number;
  threshold: number;
  seed: number;
  /** The chair's compromise, when one was put to the vote. */
  compromise?: { text: string; rationale: string; adopted: boolean };
  grouping?: AnswerGrouping;
  costUsd: number;
  /** Tokens of every call of the vote, from its ledger rows (0 without a store). */
  usage: { inputTokens: number; outputTokens: number };
  durationMs: number;
  /** Whether a `budgetUsd` cap stopped the vote before a round, and why. */
  budgetStop?: string;
  /** Ledger rows (model_calls ids) of every call the vote made. */
  callIds: readonly string[];
}
