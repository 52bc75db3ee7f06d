/**
 * Fan-out: N calls at once to a fake provider that answers after a fixed delay; the ideal wall
 * time is that delay. Every side (fetch, bare AI SDK, gateway without and with a store) runs in
 * a process of its own and gets, per round, a fresh server process (a new origin), so its first
 * run has to open every connection ("cold");
 * a second run right after reuses the pooled keep-alive connections ("warm"). Before the
 * rounds, every side warms up its JIT on a zero-latency server. Figures are medians over rounds.
 *
 * FANOUT_CALLS (1000), FANOUT_DELAY_MS (200), FANOUT_ROUNDS (3), FANOUT_WARMUP (1000) calls,
 * BENCH_SIDES (all but ai-sdk+signals).
 *
 *   node --import tsx bench/fan-out.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type SideName, sideNamesFrom } from "./bench-sides.js";
import { envNumber } from "./env-number.js";
import { type FanOutFigures, type FanOutRun, fanOutTable, medianFanOut } from "./fan-out-report.js";
import { startServerProcess } from "./server-process.js";
import { type SideProcess, startSideProcess } from "./side-processes.js";

const TARGET_RATIO = 1.2;

const calls = envNumber("FANOUT_CALLS", 1_000);
const delayMs = envNumber("FANOUT_DELAY_MS", 200);
const rounds = envNumber("FANOUT_ROUNDS", 3);
const warmup = envNumber("FANOUT_WARMUP", 1_000);
const names = process.env.BENCH_SIDES
  ? sideNamesFrom(process.env.BENCH_SIDES)
  : sideNamesFrom(undefined).filter((name) => name !== "ai-sdk+signals");

async function fanOutOnce(side: SideProcess): Promise<FanOutFigures> {
  const server = await startServerProcess({ delayMs });
  try {
    await side.open(server.baseURL);
    const runs: FanOutRun[] = [];
    for (const phase of ["cold", "warm"] as const) {
      await server.resetStats();
      const run = await side.run(calls, calls);
      const stats = await server.stats();
      runs.push({
        phase,
        ratio: run.callsMs / delayMs,
        wallMs: run.callsMs,
        cpuPerCall: run.cpuUs / calls,
        arrivalSpreadMs: stats.lastArrivalMs - stats.firstArrivalMs,
        peakInFlight: stats.peakInFlight,
        peakConnections: stats.peakConnections,
      });
    }
    const [cold, warm] = runs;
    if (!cold || !warm) throw new Error("a fan-out run is missing");
    return { cold, warm };
  } finally {
    await server.close();
  }
}

const directory = await mkdtemp(join(tmpdir(), "orkestra-fan-out-"));
const sides = names.map((name) => startSideProcess(name, directory));
try {
  console.log(
    `fan-out: ${calls} concurrent calls, fake provider delay ${delayMs} ms (the ideal wall time), ` +
      `${rounds} rounds (median) after ${warmup} warm-up calls per side; Node ${process.version}; ` +
      `load average at the start ${loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")} on ${availableParallelism()} cores`,
  );
  const warmServer = await startServerProcess();
  for (const side of sides) {
    await side.open(warmServer.baseURL);
    await side.run(warmup, 256);
  }
  await warmServer.close();
  const perSide = new Map<SideName, FanOutFigures[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let offset = 0; offset < sides.length; offset += 1) {
      const side = sides[(round + offset) % sides.length];
      if (!side) continue;
      perSide.get(side.name)?.push(await fanOutOnce(side));
    }
  }
  const medians = new Map([...perSide].map(([name, runs]) => [name, medianFanOut(runs)]));
  console.log("");
  console.log(fanOutTable(medians, delayMs));
  const gateway = medians.get("gateway");
  const fetchFigures = medians.get("fetch");
  if ([...medians.values()].some((figures) => figures.cold.arrivalSpreadMs >= 900)) {
    console.log(
      "cold: requests arriving over ~1 s is TCP retransmitting SYNs (initial RTO 1 s) that the server's " +
        "full accept queue dropped; `nstat -az TcpExtListenOverflows` counts them",
    );
  }
  if (gateway) {
    const judge = (phase: "cold" | "warm"): string => {
      const ratio = gateway[phase].ratio;
      const outcome =
        ratio <= TARGET_RATIO
          ? `MET (${ratio.toFixed(2)})`
          : `MISSED (${ratio.toFixed(2)}, ${((ratio / TARGET_RATIO - 1) * 100).toFixed(0)}% over)`;
      const base = fetchFigures?.[phase];
      return base ? `${outcome}, fetch alone ${base.ratio.toFixed(2)}` : outcome;
    };
    console.log(
      `verdict: gateway (no store) wall / ${delayMs} ms, target ≤ ${TARGET_RATIO}: ` +
        `warm connections ${judge("warm")}; cold connections ${judge("cold")}`,
    );
  }
} finally {
  for (const side of sides) await side.close();
  await rm(directory, { recursive: true, force: true });
}
