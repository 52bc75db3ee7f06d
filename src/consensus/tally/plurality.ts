import { countChoices } from "./count-choices.js";
import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import type { ChoiceBallot } from "./read-ballots.js";

/** The option chosen by the most ballots wins, however few that is. */
export function countPlurality(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): MethodOutcome {
  return mostWins({
    rule: "Plurality: the option chosen by the most valid ballots wins.",
    unit: "vote",
    counts: countChoices(ballots, options),
  });
}
