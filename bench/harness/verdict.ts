import type { Spread } from "./spread.js";

/**
 * `MET`/`MISSED` on the median of the runs, and whether every run agrees: a verdict whose runs
 * fall on both sides of the target is too close to call on this machine.
 */
export function verdict(spread: Spread, meets: (value: number) => boolean): string {
  const outcome = meets(spread.median) ? "MET" : "MISSED";
  const runs = spread.perRun.length;
  const against = spread.perRun.filter((value) => meets(value) !== meets(spread.median)).length;
  return against === 0
    ? `${outcome} (all ${runs} runs)`
    : `${outcome} on the median, but ${against} of ${runs} runs say otherwise: too close to call`;
}
