import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import { zeroCounts } from "./option-counts.js";
import type { ApprovalBallot } from "./read-ballots.js";

/** Each ballot approves any number of options; the most approved wins. */
export function countApproval(
  ballots: readonly ApprovalBallot[],
  options: readonly string[],
): MethodOutcome {
  const counts = zeroCounts(options);
  for (const ballot of ballots) {
    for (const option of ballot.approvals) counts.set(option, (counts.get(option) ?? 0) + 1);
  }
  return mostWins({
    rule: "Approval: each valid ballot approves any number of options, none included; the option approved by the most ballots wins.",
    unit: "approval",
    counts,
  });
}
