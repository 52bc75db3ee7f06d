import { decimalToNumber, type ExactDecimal, exactDecimal, unitsAtScale } from "./exact-decimal.js";
import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import type { ChoiceBallot } from "./read-ballots.js";

/**
 * Plurality where each ballot counts its member's weight. Weights are summed as exact
 * decimals, so the result never hangs on binary rounding (0.1 + 0.2 ties 0.3). Ballots are
 * first counted per option and distinct weight, so the exact arithmetic runs once per
 * weight, not once per ballot.
 */
export function countWeighted(
  ballots: readonly ChoiceBallot[],
  options: readonly string[],
): MethodOutcome {
  const byWeight = new Map<string, Map<number, number>>(
    options.map((option) => [option, new Map()]),
  );
  for (const { choice, weight } of ballots) {
    const counts = byWeight.get(choice) as Map<number, number>;
    counts.set(weight, (counts.get(weight) ?? 0) + 1);
  }
  const decimals = new Map<number, ExactDecimal>();
  for (const counts of byWeight.values()) {
    for (const weight of counts.keys()) decimals.set(weight, exactDecimal(weight));
  }
  const scale = Math.max(0, ...[...decimals.values()].map((decimal) => decimal.scale));
  const exact = new Map<string, bigint>();
  for (const [option, counts] of byWeight) {
    let total = 0n;
    for (const [weight, count] of counts) {
      total += BigInt(count) * unitsAtScale(decimals.get(weight) as ExactDecimal, scale);
    }
    exact.set(option, total);
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
