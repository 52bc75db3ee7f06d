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
export { tally, VOTING_METHODS } from "./tally/index.js";
