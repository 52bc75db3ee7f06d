import {
  formatCount,
  formatMicroseconds,
  formatRatio,
  formatSpread,
  formatTable,
} from "./format-table.js";
import { type RotationSamples, samplesOf } from "./harness/measure-sides.js";
import { figureOf, ratioOf, type Spread } from "./harness/spread.js";

/** One fan-out run of one side: cold (new connections) or warm (pooled ones). */
export interface FanOutRun {
  /** Wall time over the provider's delay: 1.0 is ideal. */
  ratio: number;
  /** From the first call to the last answer, ms. */
  wallMs: number;
  cpuPerCall: number;
  /** From the first request's arrival at the server to the last one's, ms. */
  arrivalSpreadMs: number;
  peakInFlight: number;
  peakConnections: number;
}

export interface FanOutSample {
  cold: FanOutRun;
  warm: FanOutRun;
}

export type FanOutSamples = RotationSamples<FanOutSample>;
type Phase = keyof FanOutSample;

export function fanOutFigure(
  measured: FanOutSamples,
  side: string,
  phase: Phase,
  figure: keyof FanOutRun,
): Spread {
  return figureOf(samplesOf(measured, side), (sample) => sample[phase][figure]);
}

export function fanOutTable(measured: FanOutSamples, delayMs: number): string {
  const rows: string[][] = [];
  for (const side of measured.sides) {
    for (const phase of ["cold", "warm"] as const) {
      const cell = (figure: keyof FanOutRun, format: (value: number) => string) =>
        formatSpread(fanOutFigure(measured, side, phase, figure), format);
      const versusFetch = measured.samples.has("fetch")
        ? formatSpread(
            ratioOf(
              samplesOf(measured, side),
              samplesOf(measured, "fetch"),
              (sample) => sample[phase].wallMs,
            ),
            formatRatio,
          )
        : "n/a";
      rows.push([
        `${side} (${phase})`,
        cell("wallMs", formatCount),
        cell("ratio", formatRatio),
        versusFetch,
        cell("arrivalSpreadMs", formatCount),
        formatCount(fanOutFigure(measured, side, phase, "peakInFlight").median),
        formatCount(fanOutFigure(measured, side, phase, "peakConnections").median),
        cell("cpuPerCall", formatMicroseconds),
      ]);
    }
  }
  return formatTable(
    [
      "side (connections)",
      "wall ms",
      `wall / ${delayMs} ms`,
      "wall vs fetch",
      "arrival spread ms",
      "peak in flight",
      "peak sockets",
      "CPU µs/call",
    ],
    rows,
  );
}
