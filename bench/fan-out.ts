/**
 * Fan-out: N calls at once to a fake provider that answers after a fixed delay; the ideal wall
 * time is that delay. Each sample gets a fresh server process (a new origin), so its first run
 * opens every connection ("cold") and a second run right after reuses the pooled keep-alive
 * connections ("warm"). Before that, the side warms up its JIT on the run's zero-latency
 * server. The fake server listens with a backlog of 4,096 (since 6bde81c): with Node's default
 * of 511 the kernel dropped the SYNs that did not fit and "cold" was mostly the 1 s SYN
 * retransmission.
 *
 * Sides rotate over as many side processes as there are sides; BENCH_RUNS independent runs.
 * FANOUT_CALLS (1000), FANOUT_DELAY_MS (200), FANOUT_ROUNDS (1) per run, FANOUT_WARMUP (300)
 * calls, BENCH_SIDES (fetch, do-generate, gateway).
 *
 *   node --expose-gc --import tsx bench/fan-out.ts
 */

import type { SideTarget } from "./bench-sides.js";
import { type SideName, sideNamesFrom } from "./bench-sides.js";
import { sideLegend } from "./call-report.js";
import { envNumber } from "./env-number.js";
import { type FanOutRun, type FanOutSample, fanOutFigure, fanOutTable } from "./fan-out-report.js";
import { formatRatio, formatSpread } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides, type SideHost } from "./harness/measure-sides.js";
import { verdict } from "./harness/verdict.js";
import { startRunTarget } from "./run-target.js";
import { startServerProcess } from "./server-process.js";
import { type SideProcess, startSideProcesses } from "./side-processes.js";

const TARGET_RATIO = 1.2;
const DEFAULT_SIDES: readonly SideName[] = ["fetch", "do-generate", "gateway"];

const sides = sideNamesFrom(process.env.BENCH_SIDES, DEFAULT_SIDES);
const runs = envNumber("BENCH_RUNS", 3);
const rounds = envNumber("FANOUT_ROUNDS", 1);
const calls = envNumber("FANOUT_CALLS", 1_000);
const delayMs = envNumber("FANOUT_DELAY_MS", 200);
const warmup = envNumber("FANOUT_WARMUP", 300);

function fanOutHost(sideProcess: SideProcess, warmTarget: SideTarget): SideHost<FanOutSample> {
  return {
    async measure(side) {
      await sideProcess.open(side as SideName, warmTarget);
      await sideProcess.run(warmup, 256);
      const server = await startServerProcess({ delayMs });
      try {
        await sideProcess.open(side as SideName, { ...warmTarget, baseURL: server.baseURL });
        const phases: FanOutRun[] = [];
        for (let phase = 0; phase < 2; phase += 1) {
          await sideProcess.heapUsed();
          await server.resetStats();
          const run = await sideProcess.run(calls, calls);
          const stats = await server.stats();
          phases.push({
            ratio: run.callsMs / delayMs,
            wallMs: run.callsMs,
            cpuPerCall: run.cpuUs / calls,
            arrivalSpreadMs: stats.lastArrivalMs - stats.firstArrivalMs,
            peakInFlight: stats.peakInFlight,
            peakConnections: stats.peakConnections,
          });
        }
        const [cold, warm] = phases;
        if (!cold || !warm) throw new Error("a fan-out phase is missing");
        return { cold, warm };
      } finally {
        await server.close();
      }
    },
  };
}

console.log(
  benchHeader(
    `fan-out: ${calls} concurrent calls, fake provider delay ${delayMs} ms (the ideal wall time)`,
    "node --expose-gc --import tsx bench/fan-out.ts",
  ),
);
console.log(sideLegend(sides));
const measured = await measureSides({
  sides,
  runs,
  rounds,
  async startRun(run) {
    const shared = await startRunTarget(run);
    const processes = startSideProcesses(sides.length, run);
    return {
      hosts: processes.map((sideProcess) => fanOutHost(sideProcess, shared.target)),
      async close() {
        await Promise.all(processes.map((sideProcess) => sideProcess.close()));
        await shared.close();
      },
    };
  },
});

console.log(
  `\n${runs} runs × ${rounds} rounds, ${measured.hostsPerRun} side processes per run, a fresh server per sample; ` +
    "cells: median of the runs [lowest run, highest run]",
);
console.log(fanOutTable(measured, delayMs));
if (sides.some((side) => fanOutFigure(measured, side, "cold", "arrivalSpreadMs").median >= 900)) {
  console.log(
    "cold: requests arriving over ~1 s can be TCP retransmitting SYNs (initial RTO 1 s) that the server's " +
      "full accept queue dropped, or a loaded machine; `nstat -az TcpExtListenOverflows` tells which",
  );
}
if (sides.includes("gateway")) {
  for (const phase of ["warm", "cold"] as const) {
    const ratio = fanOutFigure(measured, "gateway", phase, "ratio");
    const fetchRatio = sides.includes("fetch")
      ? `; fetch alone ${formatSpread(fanOutFigure(measured, "fetch", phase, "ratio"), formatRatio)}`
      : "";
    console.log(
      `gateway (no store), ${phase} connections: wall / ${delayMs} ms ${formatSpread(ratio, formatRatio)}; ` +
        `earlier target ≤ ${TARGET_RATIO}: ${verdict(ratio, (value) => value <= TARGET_RATIO)}${fetchRatio}`,
    );
  }
}
console.log(`load average at the end ${loadAverage()}`);
