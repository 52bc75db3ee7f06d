import type { PairwiseTable } from "../ballot.js";
import type { MethodOutcome } from "./method-outcome.js";
import { listNames } from "./option-counts.js";
import type { RankingBallot } from "./read-ballots.js";

const RULE =
  "Condorcet (Schulze): for each pair of options, count the valid ballots that rank one above the other (a ranked option is above every option a ballot leaves out; two left-out options are not compared); a defeat is as strong as the ballots on its winning side, and a path of defeats as strong as its weakest one; an option wins when its strongest path to every other option is at least as strong as the strongest path back.";

/** Ballots ranking option i above option j, at `i * n + j`. */
export function pairwisePreferences(
  ballots: readonly RankingBallot[],
  options: readonly string[],
): Float64Array {
  const size = options.length;
  const index = new Map(options.map((option, position) => [option, position]));
  const preferences = new Float64Array(size * size);
  const ranked = new Uint8Array(size);
  for (const ballot of ballots) {
    const positions = ballot.ranking.map((option) => index.get(option) as number);
    ranked.fill(0);
    for (let place = 0; place < positions.length; place += 1) {
      const above = positions[place] as number;
      ranked[above] = 1;
      for (let next = place + 1; next < positions.length; next += 1) {
        const cell = above * size + (positions[next] as number);
        preferences[cell] = (preferences[cell] as number) + 1;
      }
    }
    for (const above of positions) {
      for (let below = 0; below < size; below += 1) {
        const cell = above * size + below;
        if (ranked[below] === 0) preferences[cell] = (preferences[cell] as number) + 1;
      }
    }
  }
  return preferences;
}

/** Widest paths (Floyd–Warshall) over the defeats, each as strong as its winning side. */
export function strongestPaths(preferences: Float64Array, size: number): Float64Array {
  const paths = new Float64Array(size * size);
  for (let from = 0; from < size; from += 1) {
    for (let to = 0; to < size; to += 1) {
      const forward = preferences[from * size + to] as number;
      const back = preferences[to * size + from] as number;
      if (from !== to && forward > back) paths[from * size + to] = forward;
    }
  }
  for (let via = 0; via < size; via += 1) {
    for (let from = 0; from < size; from += 1) {
      if (from === via) continue;
      const toVia = paths[from * size + via] as number;
      if (toVia === 0) continue;
      for (let to = 0; to < size; to += 1) {
        if (to === from || to === via) continue;
        const through = Math.min(toVia, paths[via * size + to] as number);
        if (through > (paths[from * size + to] as number)) paths[from * size + to] = through;
      }
    }
  }
  return paths;
}

/**
 * The Schulze method. The winners are the options no other option beats on strongest paths;
 * several winners are a tie. The round's tallies are each option's strongest-path wins.
 */
export function countSchulze(
  ballots: readonly RankingBallot[],
  options: readonly string[],
): MethodOutcome {
  const size = options.length;
  const preferences = pairwisePreferences(ballots, options);
  const paths = strongestPaths(preferences, size);
  const at = (table: Float64Array, from: number, to: number) => table[from * size + to] as number;
  const others = (option: number) => options.map((_, other) => other).filter((o) => o !== option);
  const wins = options.map(
    (_, option) =>
      others(option).filter((other) => at(paths, option, other) > at(paths, other, option)).length,
  );
  const winners = options.filter((_, option) =>
    others(option).every((other) => at(paths, option, other) >= at(paths, other, option)),
  );
  const condorcetWinner = options.find((_, option) =>
    others(option).every(
      (other) => at(preferences, option, other) > at(preferences, other, option),
    ),
  );
  const rounds = [
    {
      tallies: Object.fromEntries(options.map((option, position) => [option, wins[position] ?? 0])),
      eliminated: [],
    },
  ];
  const tables = {
    pairwise: tableOf(preferences, options),
    strongestPaths: tableOf(paths, options),
  };
  if (winners.length === 1) {
    const winner = winners[0] as string;
    const headToHead =
      condorcetWinner === undefined
        ? " There is no Condorcet winner: no option beats every other head to head."
        : ` ${winner} is also the Condorcet winner: ${headToHeadOf(condorcetWinner)}.`;
    return {
      status: "decided",
      winner,
      rounds,
      ...tables,
      explanation: `${RULE} ${winner} wins: it is the only option that no other option beats on strongest paths.${headToHead}`,
    };
  }
  return {
    status: "tie",
    tied: winners,
    rounds,
    ...tables,
    explanation: `${RULE} Tie: ${listNames(winners)} are each unbeaten on strongest paths.`,
  };

  function headToHeadOf(winner: string): string {
    const option = options.indexOf(winner);
    const results = others(option).map(
      (other) =>
        `${at(preferences, option, other)} to ${at(preferences, other, option)} against ${options[other]}`,
    );
    return `more ballots rank it above each other option than the other way (${results.join(", ")})`;
  }
}

function tableOf(values: Float64Array, options: readonly string[]): PairwiseTable {
  const size = options.length;
  return Object.fromEntries(
    options.map((from, row) => [
      from,
      Object.fromEntries(
        options
          .map((to, column) => [to, values[row * size + column] as number] as const)
          .filter(([to]) => to !== from),
      ),
    ]),
  );
}
