import type { Ballot, BallotShape, Tally, TallyOptions, VotingMethod } from "./ballot.js";
import type { Seat } from "./collect-round.js";
import type { RecordedBallot, RoundStage, VoteRound } from "./vote-result.js";

/** A recorded ballot as counting sees it: the preference of its shape, or an abstention. */
export function countedBallot(ballot: RecordedBallot, seat: Seat, shape: BallotShape): Ballot {
  const counted: Ballot = { member: ballot.member, weight: seat.weight };
  if (!ballot.valid) return { ...counted, abstention: { reason: ballot.reason ?? "abstained" } };
  if (shape === "choice" && ballot.choice !== undefined)
    return { ...counted, choice: ballot.choice };
  if (shape === "ranking" && ballot.ranking !== undefined)
    return { ...counted, ranking: ballot.ranking };
  if (shape === "approvals" && ballot.approvals !== undefined) {
    return { ...counted, approvals: ballot.approvals };
  }
  return { ...counted, abstention: { reason: "the ballot has no vote of the method's shape" } };
}

/** Counts one round's ballots and describes the round. */
export function countRound(input: {
  tally: Tally;
  method: VotingMethod;
  shape: BallotShape;
  stage: RoundStage;
  round: number;
  ballots: readonly RecordedBallot[];
  seats: readonly Seat[];
  options: readonly string[];
  tallyOptions: TallyOptions;
}): VoteRound {
  const counted = input.ballots.map((ballot, index) =>
    countedBallot(ballot, input.seats[index] as Seat, input.shape),
  );
  const result = input.tally(input.method, counted, input.options, input.tallyOptions);
  const last = result.rounds.at(-1);
  return {
    round: input.round,
    stage: input.stage,
    tallies: last?.tallies ?? {},
    eliminated: result.rounds.flatMap((count) => count.eliminated),
    counts: result.rounds,
    status: result.status,
    ...(result.winner === undefined ? {} : { winner: result.winner }),
    ...(result.tied === undefined ? {} : { tied: result.tied }),
    validBallots: result.validBallots,
    abstentions: result.abstentions,
    explanation: result.explanation,
  };
}
