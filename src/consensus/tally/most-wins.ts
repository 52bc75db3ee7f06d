import type { MethodOutcome } from "./method-outcome.js";
import { countOf, describeCounts, leaders, listNames, talliesOf } from "./option-counts.js";

export interface MostWinsInput {
  /** The method's rule, one sentence. */
  rule: string;
  /** What is counted, singular: `vote`, `point`, `approval`. */
  unit: string;
  /** Counts to show, in option order. */
  counts: ReadonlyMap<string, number>;
  /** Exact counts to compare, when `counts` are rounded for display (weighted votes). */
  exact?: ReadonlyMap<string, number | bigint>;
}

/** The option with the highest count wins; several with the highest count tie. */
export function mostWins({ rule, unit, counts, exact = counts }: MostWinsInput): MethodOutcome {
  const top = leaders(exact);
  const rounds = [{ tallies: talliesOf(counts), eliminated: [] }];
  const best = counts.get(top[0] ?? "") ?? 0;
  const others = describeCounts(counts, top);
  const rest = others === "" ? "" : ` (${others})`;
  if (top.length === 1) {
    return {
      status: "decided",
      winner: top[0],
      rounds,
      explanation: `${rule} ${top[0]} wins with ${countOf(best, unit)}${rest}.`,
    };
  }
  return {
    status: "tie",
    tied: top,
    rounds,
    explanation: `${rule} Tie: ${listNames(top)} have ${countOf(best, unit)} each${rest}.`,
  };
}
