import type { TallyRound } from "../ballot.js";
import type { MethodOutcome } from "./method-outcome.js";
import { countOf, describeCounts, leaders, listNames, talliesOf } from "./option-counts.js";
import type { RankingBallot } from "./read-ballots.js";

const RULE =
  "Ranked (instant run-off): each valid ballot counts for its highest-ranked option still in the count; an option with more than half of the ballots still counting wins; otherwise the option with the fewest votes is eliminated and its ballots move to their next choice. A tie for the fewest is broken by the fewest votes in the round before, then the one before that, back to round 1; options still tied are eliminated together; when every option left has the same count, they tie.";

/** Instant run-off, every round kept: its counts, what it eliminated, the ballots exhausted. */
export function countInstantRunoff(
  ballots: readonly RankingBallot[],
  options: readonly string[],
): MethodOutcome {
  const continuing = new Set(options);
  const history: Map<string, number>[] = [];
  const rounds: TallyRound[] = [];
  const lines: string[] = [];
  for (;;) {
    const counts = new Map([...continuing].map((option) => [option, 0]));
    let exhausted = 0;
    for (const ballot of ballots) {
      const next = ballot.ranking.find((option) => continuing.has(option));
      if (next === undefined) exhausted += 1;
      else counts.set(next, (counts.get(next) ?? 0) + 1);
    }
    history.push(counts);
    const counting = ballots.length - exhausted;
    const heading = `Round ${history.length}: ${describeCounts(counts)}${exhausted > 0 ? ` (${countOf(exhausted, "ballot")} exhausted)` : ""}`;
    const round = (eliminated: string[]): TallyRound => ({
      tallies: talliesOf(counts),
      eliminated,
      exhausted,
    });
    const [leader] = leaders(counts);
    const best = leader === undefined ? 0 : (counts.get(leader) ?? 0);
    if (leader !== undefined && best * 2 > counting) {
      rounds.push(round([]));
      lines.push(
        `${heading}: ${leader} has more than half of the ${countOf(counting, "ballot")} still counting and wins.`,
      );
      return { status: "decided", winner: leader, rounds, explanation: explain(lines) };
    }
    const values = [...counts.values()];
    if (values.every((count) => count === values[0])) {
      const tied = [...continuing];
      rounds.push(round([]));
      lines.push(`${heading}: every option left has ${countOf(best, "vote")}: a tie.`);
      return { status: "tie", tied, rounds, explanation: explain(lines) };
    }
    const elimination = fewest(history);
    rounds.push(round(elimination.eliminated));
    lines.push(`${heading}: ${elimination.description}`);
    for (const option of elimination.eliminated) continuing.delete(option);
  }
}

/**
 * The options with the fewest votes in the last round of `history`; a tie goes to the fewest
 * in each earlier round in turn, latest first. Only counts decide, never the ballots' order.
 */
function fewest(history: readonly ReadonlyMap<string, number>[]): {
  eliminated: string[];
  description: string;
} {
  const last = history[history.length - 1] as ReadonlyMap<string, number>;
  const lowest = Math.min(...last.values());
  const tiedLowest = [...last.keys()].filter((option) => last.get(option) === lowest);
  let candidates = tiedLowest;
  const decidingRounds: number[] = [];
  for (let earlier = history.length - 2; earlier >= 0 && candidates.length > 1; earlier -= 1) {
    const counts = history[earlier] as ReadonlyMap<string, number>;
    const least = Math.min(...candidates.map((option) => counts.get(option) ?? 0));
    const remaining = candidates.filter((option) => counts.get(option) === least);
    if (remaining.length < candidates.length) decidingRounds.push(earlier + 1);
    candidates = remaining;
  }
  const names = listNames(candidates);
  if (tiedLowest.length === 1) {
    return { eliminated: candidates, description: `${names}, with the fewest, is eliminated.` };
  }
  const tie = `${listNames(tiedLowest)} tie for the fewest (${lowest})`;
  if (decidingRounds.length === 0) {
    return {
      eliminated: candidates,
      description: `${tie}${history.length > 1 ? " in every round so far" : ""}; they are eliminated together.`,
    };
  }
  const together = candidates.length === 1 ? "is eliminated" : "are eliminated together";
  return {
    eliminated: candidates,
    description: `${tie}; ${names} had fewer in round ${decidingRounds.join(", then round ")} and ${together}.`,
  };
}

function explain(lines: readonly string[]): string {
  return `${RULE} ${lines.join(" ")}`;
}
