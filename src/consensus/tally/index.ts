/**
 * STAND-IN: replaced by the counting helper's implementation at merge. It counts `plurality`,
 * `weighted` and `majority` only (what the committee's own tests and the compromise vote use)
 * and refuses every other method, so nothing can silently count by the wrong rule.
 */
import type { Ballot, TallyOptions, TallyResult, VotingMethod } from "../ballot.js";

export function tally(
  method: VotingMethod,
  ballots: readonly Ballot[],
  options: readonly string[],
  tallyOptions: TallyOptions = {},
): TallyResult {
  if (method !== "plurality" && method !== "weighted" && method !== "majority") {
    throw new Error(`the stand-in tally does not count "${method}"`);
  }
  const valid = ballots.filter((ballot) => !ballot.abstention && ballot.choice !== undefined);
  const tallies: Record<string, number> = Object.fromEntries(options.map((option) => [option, 0]));
  let total = 0;
  for (const ballot of valid) {
    const points = method === "weighted" ? (ballot.weight ?? 1) : 1;
    tallies[ballot.choice as string] = (tallies[ballot.choice as string] ?? 0) + points;
    total += points;
  }
  const base = {
    method,
    rounds: [{ tallies, eliminated: [] }],
    validBallots: valid.length,
    abstentions: ballots.length - valid.length,
  };
  if (valid.length < (tallyOptions.quorum ?? 1)) {
    return { ...base, status: "no_quorum", explanation: "quorum not met" };
  }
  const best = Math.max(...Object.values(tallies));
  const leaders = options.filter((option) => tallies[option] === best);
  if (method === "majority") {
    const [leader] = leaders;
    if (leaders.length === 1 && leader !== undefined && best * 2 > total) {
      return { ...base, status: "decided", winner: leader, explanation: "more than half" };
    }
    return { ...base, status: "no_majority", explanation: "no option has more than half" };
  }
  const [winner] = leaders;
  if (leaders.length > 1 || winner === undefined) {
    return { ...base, status: "tie", tied: leaders, explanation: `tie: ${leaders.join(", ")}` };
  }
  return { ...base, status: "decided", winner, explanation: "most votes" };
}
