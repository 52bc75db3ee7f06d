import { zeroCounts } from "./option-counts.js";
import type { ChoiceBallot } from "./read-ballots.js";

/** One vote per ballot for its choice; every option appears, in option order. */
export function countChoices(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): Map<string, number> {
  const counts = zeroCounts(options);
  for (const ballot of ballots) counts.set(ballot.choice, (counts.get(ballot.choice) ?? 0) + 1);
  return counts;
}
