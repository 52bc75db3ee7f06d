import type { Kysely } from "kysely";
import type { Database } from "../../store/index.js";

/** One vote of a committee, with its whole result document. */
export interface VoteTable {
  /** Vote id (UUID). */
  id: string;
  question: string;
  /** plurality | majority | … */
  method: string;
  /** decided | no_consensus | no_quorum */
  status: string;
  winner: string | null;
  /** The options, JSON array (the grouped answers of a free vote). */
  options_json: string;
  /** `[{ member, alias, weight }]`, JSON. */
  members_json: string;
  /** The VoteResult document (`orkestra vote --json`), JSON. */
  result_json: string;
  /** Ledger ids (model_calls.id) of the vote's calls, JSON array. */
  call_ids_json: string;
  cost_usd: number;
  duration_ms: number;
  /** The workflow run and step that held the vote, if any. */
  run_id: string | null;
  step_id: string | null;
  /** Epoch ms. */
  created_at: number;
}

/** One ballot of one member in one round (abstentions included). */
export interface VoteBallotTable {
  vote_id: string;
  round: number;
  /** `Member N`. */
  member: string;
  /** The model that answered, or the member's alias. */
  model: string;
  /** 1 when it counted, 0 for an abstention. */
  valid: number;
  /** Why it did not count. */
  reason: string | null;
  /** The RecordedBallot, JSON. */
  ballot_json: string;
}

export type VoteTables = {
  votes: VoteTable;
  vote_ballots: VoteBallotTable;
};

export type VoteDb = Kysely<Database & VoteTables>;
