import type { BallotShape, VotingMethod } from "./ballot.js";

const SHAPES: Readonly<Record<VotingMethod, BallotShape>> = {
  plurality: "choice",
  majority: "choice",
  supermajority: "choice",
  unanimous: "choice",
  weighted: "choice",
  ranked: "ranking",
  borda: "ranking",
  condorcet: "ranking",
  approval: "approvals",
};

/** What a member's ballot must hold for `method`. */
export function ballotShapeOf(method: VotingMethod): BallotShape {
  return SHAPES[method];
}
