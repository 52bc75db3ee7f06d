import { UsageError } from "../../errors/index.js";
import type { TallyOptions } from "../ballot.js";
import { exactDecimal } from "./exact-decimal.js";

/** A supermajority threshold as an exact fraction, and how to say it. */
export interface Threshold {
  numerator: bigint;
  denominator: bigint;
  text: string;
}

export interface TallySettings {
  quorum: number;
  threshold: Threshold;
}

const TWO_THIRDS: Threshold = { numerator: 2n, denominator: 3n, text: "2/3" };

/** Checks `tallyOptions` and fills in the defaults; a bad value is a usage error naming it. */
export function resolveTallySettings(tallyOptions: TallyOptions = {}): TallySettings {
  const { quorum = 1, threshold } = tallyOptions;
  if (typeof quorum !== "number" || !Number.isInteger(quorum) || quorum < 1) {
    throw new UsageError(`quorum ${String(quorum)} is not a whole number of at least 1`, {
      hint: "pass the number of valid ballots a decision needs, e.g. 3 (the default is 1)",
    });
  }
  return { quorum, threshold: threshold === undefined ? TWO_THIRDS : exactThreshold(threshold) };
}

function exactThreshold(threshold: number): Threshold {
  if (
    typeof threshold !== "number" ||
    !Number.isFinite(threshold) ||
    threshold <= 0.5 ||
    threshold > 1
  ) {
    throw new UsageError(`threshold ${String(threshold)} is outside (0.5, 1]`, {
      hint: "pass the fraction of valid ballots a supermajority needs, above one half and at most 1, e.g. 0.67 (the default is 2/3)",
    });
  }
  const decimal = exactDecimal(threshold);
  return {
    numerator: decimal.units,
    denominator: 10n ** BigInt(decimal.scale),
    text: String(threshold),
  };
}

/** The fewest ballots out of `valid` that reach `threshold` (at least one). */
export function ballotsNeeded(threshold: Threshold, valid: number): number {
  const { numerator, denominator } = threshold;
  const needed = (BigInt(valid) * numerator + denominator - 1n) / denominator;
  return Math.max(1, Number(needed));
}
