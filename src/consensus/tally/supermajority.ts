import type { MethodOutcome } from "./method-outcome.js";
import type { ChoiceBallot } from "./read-ballots.js";
import { shareNeeded } from "./share-needed.js";
import { ballotsNeeded, type Threshold } from "./tally-settings.js";

/** At least `threshold` of the valid ballots, computed exactly (0.67 of 100 is 67). */
export function countSupermajority(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
  threshold: Threshold,
): MethodOutcome {
  const valid = ballots.length;
  return shareNeeded(
    ballots,
    options,
    (needed) =>
      `Supermajority: an option needs at least ${threshold.text} of the valid ballots, ${needed} of ${valid}.`,
    ballotsNeeded(threshold, valid),
  );
}
