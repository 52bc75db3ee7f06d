import type { MethodOutcome } from "./method-outcome.js";
import type { ChoiceBallot } from "./read-ballots.js";
import { shareNeeded } from "./share-needed.js";

/** More than half of the valid ballots (abstentions are not in the count). */
export function countMajority(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): MethodOutcome {
  const valid = ballots.length;
  return shareNeeded(
    ballots,
    options,
    (needed) =>
      `Majority: an option needs more than half of the valid ballots, ${needed} of ${valid}.`,
    Math.floor(valid / 2) + 1,
  );
}
