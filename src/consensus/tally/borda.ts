import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import type { RankingBallot } from "./read-ballots.js";

/**
 * Borda count over n options: n-1 points for a first place, down to 0 for the last. The
 * options a partial ranking leaves out share the points of the places left equally, so they
 * count as tied below the ranked ones and truncating a ballot neither helps nor hurts them.
 * Shares are multiples of one half, exact in floating point.
 */
export function countBorda(
  ballots: readonly RankingBallot[],
  options: readonly string[],
): MethodOutcome {
  const places = options.length;
  const index = new Map(options.map((option, position) => [option, position]));
  const totals = new Float64Array(places);
  // Every option gets each ballot's share for the unranked; ranked options then trade it for
  // their place's points: one pass over the ranking instead of over every option.
  let sharedToAll = 0;
  for (const { ranking } of ballots) {
    const share = Math.max(0, (places - ranking.length - 1) / 2);
    sharedToAll += share;
    for (let place = 0; place < ranking.length; place += 1) {
      const option = index.get(ranking[place] as string) as number;
      totals[option] = (totals[option] as number) + places - 1 - place - share;
    }
  }
  const points = new Map(
    options.map((option, position) => [option, (totals[position] as number) + sharedToAll]),
  );
  return mostWins({
    rule: `Borda: with ${places} options a valid ballot gives ${places - 1} points to its first choice, one fewer to each next, 0 to its last; options a partial ranking leaves out share the points of the places left equally. The most points win.`,
    unit: "point",
    counts: points,
  });
}
