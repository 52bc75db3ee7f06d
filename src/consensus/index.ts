export type {
  Ballot,
  BallotShape,
  PairwiseTable,
  Tally,
  TallyAbstention,
  TallyOptions,
  TallyResult,
  TallyRound,
  TallyStatus,
  VotingMethod,
} from "./ballot.js";
export { ballotShapeOf } from "./ballot-shape.js";
export { normaliseAnswer } from "./group-free-answers.js";
export { vote } from "./run-vote.js";
export { derivedSeed, seededShuffle } from "./seeded-shuffle.js";
export { CONSENSUS_MIGRATIONS } from "./store/0005-votes.js";
export { findVote, listVotes, type VoteSummary, voteBallotRows } from "./store/vote-records.js";
export { tally, VOTING_METHODS } from "./tally/index.js";
export type { TieBreak, VoteDependencies, VoteRequest } from "./vote-request.js";
export type {
  AnswerGroup,
  AnswerGrouping,
  RecordedBallot,
  RoundStage,
  VoteAbstention,
  VoteResult,
  VoteRound,
  VoteStatus,
} from "./vote-result.js";
