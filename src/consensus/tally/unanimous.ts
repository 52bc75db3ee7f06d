import type { MethodOutcome } from "./method-outcome.js";
import type { ChoiceBallot } from "./read-ballots.js";
import { shareNeeded } from "./share-needed.js";

/**
 * Every valid ballot chooses the same option. Abstentions do not block unanimity: they are
 * not valid ballots. How many valid ballots a decision needs is the quorum's business.
 */
export function countUnanimous(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): MethodOutcome {
  const valid = ballots.length;
  return shareNeeded(
    ballots,
    options,
    (needed) =>
      `Unanimous: every valid ballot must choose the same option, ${needed} of ${valid}; abstentions do not count against unanimity (the quorum sets how many valid ballots are needed).`,
    Math.max(1, valid),
  );
}
