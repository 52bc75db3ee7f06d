import { formatMicroseconds, formatRatio, formatTable } from "./format-table.js";
import { median } from "./stats.js";

/** One fan-out run of one side. */
export interface FanOutRun {
  phase: "cold" | "warm";
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

export interface FanOutFigures {
  cold: FanOutRun;
  warm: FanOutRun;
}

function medianRun(runs: readonly FanOutRun[], phase: FanOutRun["phase"]): FanOutRun {
  const of = (pick: (run: FanOutRun) => number): number => median(runs.map(pick));
  return {
    phase,
    ratio: of((run) => run.ratio),
    wallMs: of((run) => run.wallMs),
    cpuPerCall: of((run) => run.cpuPerCall),
    arrivalSpreadMs: of((run) => run.arrivalSpreadMs),
    peakInFlight: of((run) => run.peakInFlight),
    peakConnections: of((run) => run.peakConnections),
  };
}

/** Each figure is the median over rounds on its own. */
export function medianFanOut(rounds: readonly FanOutFigures[]): FanOutFigures {
  return {
    cold: medianRun(
      rounds.map((round) => round.cold),
      "cold",
    ),
    warm: medianRun(
      rounds.map((round) => round.warm),
      "warm",
    ),
  };
}

export function fanOutTable(figures: ReadonlyMap<string, FanOutFigures>, delayMs: number): string {
  const fetchFigures = figures.get("fetch");
  const rows: string[][] = [];
  for (const [name, figure] of figures) {
    for (const run of [figure.cold, figure.warm]) {
      const base = fetchFigures?.[run.phase];
      rows.push([
        `${name} (${run.phase})`,
        Math.round(run.wallMs).toLocaleString("en-US"),
        formatRatio(run.ratio),
        base ? formatRatio(run.wallMs / base.wallMs) : "n/a",
        Math.round(run.arrivalSpreadMs).toLocaleString("en-US"),
        String(run.peakInFlight),
        String(run.peakConnections),
        formatMicroseconds(run.cpuPerCall),
      ]);
    }
  }
  return formatTable(
    [
      "side (connections)",
      "wall ms",
      `wall / ${delayMs} ms`,
      "vs fetch",
      "arrival spread ms",
      "peak in flight",
      "peak sockets",
      "CPU µs/call",
    ],
    rows,
  );
}
