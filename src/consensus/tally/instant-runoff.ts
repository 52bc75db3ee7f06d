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
  const index = new Map(options.map((option, position) => [option, position]));
  const rankings = ballots.map(({ ranking }) =>
    ranking.map((option) => index.get(option) as number),
  );
  const out = new Uint8Array(options.length);
  // Eliminated options never come back, so each ballot's place in its ranking only moves on:
  // every round is one pass over the ballots, not over their rankings.
  const places = new Uint32Array(rankings.length);
  const history: Map<string, number>[] = [];
  const rounds: TallyRound[] = [];
  const lines: string[] = [];
  for (;;) {
    const votes = new Float64Array(options.length);
    let exhausted = 0;
    rankings.forEach((ranking, ballot) => {
      let place = places[ballot] as number;
      while (place < ranking.length && out[ranking[place] as number] === 1) place += 1;
      places[ballot] = place;
      if (place === ranking.length) exhausted += 1;
      else votes[ranking[place] as number] = (votes[ranking[place] as number] as number) + 1;
    });
    const counts = new Map(
      [...continuing].map((option) => [option, votes[index.get(option) as number] as number]),
    );
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
    for (const option of elimination.eliminated) {
      continuing.delete(option);
      out[index.get(option) as number] = 1;
    }
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
