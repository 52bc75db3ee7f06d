import { countChoices } from "./count-choices.js";
import type { MethodOutcome } from "./method-outcome.js";
import { countOf, describeCounts, leaders, talliesOf } from "./option-counts.js";
import type { ChoiceBallot } from "./read-ballots.js";

/**
 * The option chosen by at least `needed` of the valid ballots wins; otherwise nothing is
 * decided (`no_majority`), even when the leaders are tied: a tie-break would pick an option
 * that does not have the share the method asks for. `needed` is more than half, so at most
 * one option reaches it.
 */
export function shareNeeded(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
  rule: (needed: number) => string,
  needed: number,
): MethodOutcome {
  const counts = countChoices(ballots, options);
  const rounds = [{ tallies: talliesOf(counts), eliminated: [] }];
  const [leader] = leaders(counts);
  const best = leader === undefined ? 0 : (counts.get(leader) ?? 0);
  const valid = ballots.length;
  if (leader !== undefined && best >= needed) {
    const others = describeCounts(counts, [leader]);
    return {
      status: "decided",
      winner: leader,
      rounds,
      explanation: `${rule(needed)} ${leader} wins with ${best} of ${countOf(valid, "vote")}${others === "" ? "" : ` (${others})`}.`,
    };
  }
  const described = describeCounts(counts);
  return {
    status: "no_majority",
    rounds,
    explanation: `${rule(needed)} No option reached ${needed}${described === "" ? "" : `: ${described}`}.`,
  };
}
