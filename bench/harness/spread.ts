import { median } from "../stats.js";

/**
 * A figure over independent runs: each run gives one value (the median over its rounds), and
 * the figure is the median of those, with the lowest and the highest run beside it.
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** One value per run, in run order. */
  perRun: readonly number[];
}

export function spreadOf(perRun: readonly number[]): Spread {
  const finite = perRun.filter((value) => Number.isFinite(value));
  return {
    median: median(finite),
    min: finite.length === 0 ? Number.NaN : Math.min(...finite),
    max: finite.length === 0 ? Number.NaN : Math.max(...finite),
    perRun,
  };
}

/** Samples of one side: `[run][round]`. */
export type SideSamples<Sample> = readonly (readonly Sample[])[];

/** The median of `pick` over each run's rounds, then the spread over runs. */
export function figureOf<Sample>(
  samples: SideSamples<Sample>,
  pick: (sample: Sample) => number,
): Spread {
  return spreadOf(samples.map((rounds) => median(rounds.map(pick))));
}

/**
 * `combine(side, baseline)` of the two samples of the same round (they ran back to back), the
 * median over each run's rounds, then the spread over runs.
 */
export function pairedOf<Sample>(
  side: SideSamples<Sample>,
  baseline: SideSamples<Sample>,
  combine: (side: Sample, baseline: Sample) => number,
): Spread {
  return spreadOf(
    side.map((rounds, run) =>
      median(
        rounds.map((sample, round) => {
          const other = baseline[run]?.[round];
          return other === undefined ? Number.NaN : combine(sample, other);
        }),
      ),
    ),
  );
}

/** Side minus baseline, paired by round. */
export function differenceOf<Sample>(
  side: SideSamples<Sample>,
  baseline: SideSamples<Sample>,
  pick: (sample: Sample) => number,
): Spread {
  return pairedOf(side, baseline, (left, right) => pick(left) - pick(right));
}

/** Side over baseline, paired by round. */
export function ratioOf<Sample>(
  side: SideSamples<Sample>,
  baseline: SideSamples<Sample>,
  pick: (sample: Sample) => number,
): Spread {
  return pairedOf(side, baseline, (left, right) => pick(left) / pick(right));
}
