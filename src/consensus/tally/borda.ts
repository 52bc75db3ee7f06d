import type { MethodOutcome } from "./method-outcome.js";
import { mostWins } from "./most-wins.js";
import { zeroCounts } from "./option-counts.js";
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
  const points = zeroCounts(options);
  const places = options.length;
  // Every option gets each ballot's share for the unranked; ranked options then trade it for
  // their place's points: one pass over the ranking instead of over every option.
  let sharedToAll = 0;
  for (const ballot of ballots) {
    const share = Math.max(0, (places - ballot.ranking.length - 1) / 2);
    sharedToAll += share;
    ballot.ranking.forEach((option, place) => {
      points.set(option, (points.get(option) ?? 0) + places - 1 - place - share);
    });
  }
  for (const [option, total] of points) points.set(option, total + sharedToAll);
  return mostWins({
    rule: `Borda: with ${places} options a valid ballot gives ${places - 1} points to its first choice, one fewer to each next, 0 to its last; options a partial ranking leaves out share the points of the places left equally. The most points win.`,
    unit: "point",
    counts: points,
  });
}
