import { decimalToNumber, unitsAtScale } from "./exact-decimal.js";
import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import type { ChoiceBallot } from "./read-ballots.js";

/**
 * Plurality where each ballot counts its member's weight. Weights are summed as exact
 * decimals, so the result never hangs on binary rounding (0.1 + 0.2 ties 0.3).
 */
export function countWeighted(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): MethodOutcome {
  const scale = Math.max(0, ...ballots.map((ballot) => ballot.weight.scale));
  const exact = new Map<string, bigint>(options.map((option) => [option, 0n]));
  for (const ballot of ballots) {
    exact.set(ballot.choice, (exact.get(ballot.choice) ?? 0n) + unitsAtScale(ballot.weight, scale));
  }
  const counts = new Map(
    [...exact].map(([option, units]) => [option, decimalToNumber(units, scale)]),
  );
  return mostWins({
    rule: "Weighted: each valid ballot counts its member's weight (1 unless given); the option with the highest total weight wins.",
    unit: "vote",
    counts,
    exact,
  });
}
