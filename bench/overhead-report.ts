import { formatDifference, formatMicroseconds, formatRatio, formatTable } from "./format-table.js";
import type { SideRun } from "./side-messages.js";
import { median, percentile, summarize } from "./stats.js";

/** One side's figures for one round. */
export interface RoundFigures {
  p50: number;
  p99: number;
  /** Wall time per call, µs: the run's wall time (ledger flush included) over its calls. */
  wallPerCall: number;
  /** CPU of the side's process per call, µs: the work a call costs, whatever else the machine runs. */
  cpuPerCall: number;
  /** Garbage-collection pauses per call, µs: part of the CPU figure, shown apart. */
  gcPerCall: number;
  callsPerSecond: number;
}

type Figure = keyof RoundFigures;

export function figuresOf(run: SideRun): RoundFigures {
  const summary = summarize(run.latenciesUs);
  const calls = run.latenciesUs.length;
  return {
    p50: summary.p50,
    p99: summary.p99,
    wallPerCall: (run.wallMs * 1000) / calls,
    cpuPerCall: run.cpuUs / calls,
    gcPerCall: (run.gcMs * 1000) / calls,
    callsPerSecond: calls / (run.wallMs / 1000),
  };
}

/** Every side's figures, round by round; rounds line up across sides. */
export type RoundsBySide = ReadonlyMap<string, readonly RoundFigures[]>;

const medianOf = (rounds: readonly RoundFigures[], figure: Figure): number =>
  median(rounds.map((round) => round[figure]));

/** Each figure is the median over rounds on its own, so one noisy round moves none of them. */
export function latencyTable(rounds: RoundsBySide): string {
  return formatTable(
    ["side", "p50 µs", "p99 µs", "calls/s", "wall µs/call", "CPU µs/call", "GC µs/call"],
    [...rounds].map(([name, figures]) => [
      name,
      formatMicroseconds(medianOf(figures, "p50")),
      formatMicroseconds(medianOf(figures, "p99")),
      Math.round(medianOf(figures, "callsPerSecond")).toLocaleString("en-US"),
      formatMicroseconds(medianOf(figures, "wallPerCall")),
      formatMicroseconds(medianOf(figures, "cpuPerCall")),
      formatMicroseconds(medianOf(figures, "gcPerCall")),
    ]),
  );
}

/** A paired difference: per round, side minus baseline; the median and quartiles over rounds. */
export interface PairedDifference {
  median: number;
  lowerQuartile: number;
  upperQuartile: number;
}

export function pairedDifference(
  side: readonly RoundFigures[],
  baseline: readonly RoundFigures[],
  figure: Figure,
): PairedDifference {
  const differences = side
    .map((round, index) => round[figure] - (baseline[index]?.[figure] ?? Number.NaN))
    .sort((left, right) => left - right);
  return {
    median: median(differences),
    lowerQuartile: percentile(differences, 0.25),
    upperQuartile: percentile(differences, 0.75),
  };
}

/** `+32.1 [+20.4, +41.0]`: the median and the middle half of the rounds. */
export function formatPaired(difference: PairedDifference): string {
  return `${formatDifference(difference.median)} [${formatDifference(difference.lowerQuartile)}, ${formatDifference(difference.upperQuartile)}]`;
}

/**
 * Differences of every side against one baseline, paired by round (both ran back to back, so
 * the machine's state changes cancel out), as medians with the middle half of the rounds.
 */
export function differenceTable(rounds: RoundsBySide, baseline: string): string {
  const base = rounds.get(baseline);
  const rows: string[][] = [];
  for (const [name, figures] of rounds) {
    if (name === baseline || !base) continue;
    const ratios = figures.map(
      (round, index) => round.callsPerSecond / (base[index]?.callsPerSecond ?? Number.NaN),
    );
    rows.push([
      name,
      formatDifference(pairedDifference(figures, base, "p50").median),
      formatDifference(pairedDifference(figures, base, "p99").median),
      formatDifference(pairedDifference(figures, base, "wallPerCall").median),
      formatPaired(pairedDifference(figures, base, "cpuPerCall")),
      formatRatio(median(ratios)),
    ]);
  }
  return formatTable(
    [
      `vs ${baseline}`,
      "Δp50 µs",
      "Δp99 µs",
      "Δwall µs/call",
      "ΔCPU µs/call [quartiles]",
      "throughput",
    ],
    rows,
  );
}

/** Heap growth of each side over its calls, after a full collection at both ends. */
export function heapTable(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  calls: number,
): string {
  return formatTable(
    ["side", "heap MB before", "heap MB after", "kept alive, bytes per call"],
    [...after].map(([name, bytes]) => {
      const start = before.get(name) ?? Number.NaN;
      return [
        name,
        (start / 1e6).toFixed(1),
        (bytes / 1e6).toFixed(1),
        Math.round((bytes - start) / calls).toLocaleString("en-US"),
      ];
    }),
  );
}
