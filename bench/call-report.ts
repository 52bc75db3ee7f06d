import { SIDE_LABELS, type SideName } from "./bench-sides.js";
import { at, type CallSample } from "./call-sample.js";
import {
  formatCount,
  formatDifference,
  formatMicroseconds,
  formatRatio,
  formatSpread,
  formatTable,
} from "./format-table.js";
import { type RotationSamples, samplesOf } from "./harness/measure-sides.js";
import { differenceOf, figureOf, ratioOf, type Spread } from "./harness/spread.js";

export type CallSamples = RotationSamples<CallSample>;

/** What each side name in the tables stands for. */
export function sideLegend(sides: readonly string[]): string {
  const width = Math.max(...sides.map((side) => side.length));
  return sides
    .map((side) => `  ${side.padEnd(width)}  ${SIDE_LABELS[side as SideName] ?? side}`)
    .join("\n");
}

/** How the samples were taken, in one line. */
export function planLine(measured: CallSamples, calls: string): string {
  return (
    `${measured.runs} runs × ${measured.rounds} rounds, ${measured.hostsPerRun} side processes per run ` +
    `(each side on a different process every round), ${calls}; ` +
    "cells: median of the runs [lowest run, highest run], each run the median of its rounds"
  );
}

export function figure(
  measured: CallSamples,
  side: string,
  concurrency: number,
  name: Parameters<typeof at>[1],
): Spread {
  return figureOf(samplesOf(measured, side), at(concurrency, name));
}

export function difference(
  measured: CallSamples,
  side: string,
  baseline: string,
  concurrency: number,
  name: Parameters<typeof at>[1],
): Spread {
  return differenceOf(
    samplesOf(measured, side),
    samplesOf(measured, baseline),
    at(concurrency, name),
  );
}

export function ratio(
  measured: CallSamples,
  side: string,
  baseline: string,
  concurrency: number,
  name: Parameters<typeof at>[1],
): Spread {
  return ratioOf(samplesOf(measured, side), samplesOf(measured, baseline), at(concurrency, name));
}

/** Latency, throughput, CPU and memory of every side at one concurrency. */
export function callTable(measured: CallSamples, concurrency: number): string {
  return formatTable(
    ["side", "p50 µs", "p99 µs", "calls/s", "CPU µs/call", "GC µs/call", "kept B/call"],
    measured.sides.map((side) => {
      const cell = (name: Parameters<typeof at>[1], format: (value: number) => string) =>
        formatSpread(figure(measured, side, concurrency, name), format);
      return [
        side,
        cell("p50", formatMicroseconds),
        cell("p99", formatMicroseconds),
        cell("callsPerSecond", formatCount),
        cell("cpuPerCall", formatMicroseconds),
        formatMicroseconds(figure(measured, side, concurrency, "gcPerCall").median),
        cell("keptBytesPerCall", formatCount),
      ];
    }),
  );
}

/** Every listed side against `baseline`, paired by round. */
export function differenceTable(
  measured: CallSamples,
  concurrency: number,
  baseline: string,
  sides: readonly string[],
): string {
  return formatTable(
    [`vs ${baseline}`, "Δp50 µs", "Δwall µs/call", "ΔCPU µs/call", "calls/s ratio"],
    sides.map((side) => [
      side,
      formatSpread(difference(measured, side, baseline, concurrency, "p50"), formatDifference),
      formatSpread(
        difference(measured, side, baseline, concurrency, "wallPerCall"),
        formatDifference,
      ),
      formatSpread(
        difference(measured, side, baseline, concurrency, "cpuPerCall"),
        formatDifference,
      ),
      formatSpread(ratio(measured, side, baseline, concurrency, "callsPerSecond"), formatRatio),
    ]),
  );
}
