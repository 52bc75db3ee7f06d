/**
 * What the gateway adds to a model call: the same calls through `fetch`, the bare AI SDK model
 * and the gateway (without a store, with SQLite ledger rows, with ledger rows and a budget), to
 * one fake provider in a child process that answers at once. Each side runs in a process of its
 * own (heap and collector included); one side runs at a time, sides alternate within each round
 * (the starting side rotates), latency and throughput are medians over rounds, and differences
 * are paired by round.
 *
 * BENCH_CALLS (400) calls per run, BENCH_ROUNDS (13), BENCH_WARMUP (600) calls per side and
 * concurrency before measuring, BENCH_CONCURRENCY ("1,256"), BENCH_SIDES (a comma list of
 * fetch, ai-sdk, ai-sdk+signals, gateway, gateway+ledger, gateway+ledger+budget; all but
 * ai-sdk+signals by default).
 *
 *   node --import tsx bench/gateway-overhead.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type SideName, sideNamesFrom } from "./bench-sides.js";
import { envNumber, envNumbers } from "./env-number.js";
import { formatMicroseconds } from "./format-table.js";
import {
  differenceTable,
  figuresOf,
  formatPaired,
  heapTable,
  latencyTable,
  pairedDifference,
  type RoundFigures,
  type RoundsBySide,
} from "./overhead-report.js";
import { startServerProcess } from "./server-process.js";
import { type SideProcess, startSideProcess } from "./side-processes.js";

const TARGET_US = 100;
const TARGET_CONCURRENCY = 256;
const DEFAULT_SIDES: readonly SideName[] = [
  "fetch",
  "ai-sdk",
  "gateway",
  "gateway+ledger",
  "gateway+ledger+budget",
];

const calls = envNumber("BENCH_CALLS", 400);
const rounds = envNumber("BENCH_ROUNDS", 13);
const warmup = envNumber("BENCH_WARMUP", 600);
const concurrencies = envNumbers("BENCH_CONCURRENCY", [1, TARGET_CONCURRENCY]);
const names = process.env.BENCH_SIDES ? sideNamesFrom(process.env.BENCH_SIDES) : DEFAULT_SIDES;

/** Heap of each side after its first warm-up, when one-time growth (code, caches) is done. */
const heapsBefore = new Map<string, number>();
let callsSinceHeapsBefore = 0;

async function measure(sides: readonly SideProcess[], concurrency: number): Promise<RoundsBySide> {
  for (const side of sides) {
    await side.run(warmup, concurrency);
    if (!heapsBefore.has(side.name)) heapsBefore.set(side.name, await side.heapUsed());
  }
  if (callsSinceHeapsBefore > 0) callsSinceHeapsBefore += warmup;
  callsSinceHeapsBefore += rounds * calls;
  const perSide = new Map<string, RoundFigures[]>(sides.map((side) => [side.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let offset = 0; offset < sides.length; offset += 1) {
      const side = sides[(round + offset) % sides.length];
      if (side) perSide.get(side.name)?.push(figuresOf(await side.run(calls, concurrency)));
    }
  }
  return perSide;
}

function verdict(perSide: RoundsBySide, concurrency: number): string {
  const gateway = perSide.get("gateway");
  const fetchRounds = perSide.get("fetch");
  if (!gateway || !fetchRounds) return "verdict: needs the fetch and gateway sides";
  const added = pairedDifference(gateway, fetchRounds, "cpuPerCall");
  const sdk = perSide.get("ai-sdk");
  const own = sdk
    ? `; Orkestra's own share (vs ai-sdk) ${formatPaired(pairedDifference(gateway, sdk, "cpuPerCall"))} µs`
    : "";
  let outcome =
    added.median < TARGET_US
      ? "MET"
      : `MISSED by ${formatMicroseconds(added.median - TARGET_US)} µs`;
  if (added.lowerQuartile < TARGET_US !== added.upperQuartile < TARGET_US) {
    outcome += " (the quartiles straddle the target: too close to call on this machine)";
  }
  return (
    `verdict at concurrency ${concurrency}: gateway (no store) adds ${formatPaired(added)} µs CPU per ` +
    `call vs fetch; target < ${TARGET_US} µs: ${outcome}${own}`
  );
}

const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
const server = await startServerProcess();
const directory = await mkdtemp(join(tmpdir(), "orkestra-bench-"));
const sides = names.map((name) => startSideProcess(name, directory));
try {
  for (const side of sides) await side.open(server.baseURL);
  console.log(
    `gateway overhead: ${calls} calls per run, ${rounds} rounds, ${warmup} warm-up calls per side and ` +
      `concurrency; one process per side, fake provider in another, zero latency; Node ${process.version}; ` +
      `load average at the start ${load()} on ${availableParallelism()} cores`,
  );
  for (const concurrency of concurrencies) {
    const perSide = await measure(sides, concurrency);
    console.log(
      `\nconcurrency ${concurrency}: latency per call and throughput (medians over rounds)`,
    );
    console.log(latencyTable(perSide));
    for (const baseline of ["fetch", "ai-sdk"]) {
      if (!perSide.has(baseline)) continue;
      console.log(`\nconcurrency ${concurrency}: differences, paired by round`);
      console.log(differenceTable(perSide, baseline));
    }
    if (concurrency > 1) {
      console.log(
        `(at concurrency ${concurrency} a call's latency includes waiting behind the other ${concurrency - 1}, ` +
          "so Δp50 is about concurrency × the added cost per call; ΔCPU/call is that cost)",
      );
    }
    console.log(verdict(perSide, concurrency));
  }
  const heapsAfter = new Map<string, number>();
  for (const side of sides) heapsAfter.set(side.name, await side.heapUsed());
  console.log(
    `\nheap in use after the first warm-up and ${callsSinceHeapsBefore} calls later, each after a full collection`,
  );
  console.log(heapTable(heapsBefore, heapsAfter, callsSinceHeapsBefore));
  const serverStats = await server.stats();
  console.log(
    `\nfake server: ${formatMicroseconds(serverStats.cpuUs / serverStats.requests)} µs CPU per request in its own process; ` +
      `load average at the end ${load()}`,
  );
} finally {
  for (const side of sides) await side.close();
  await server.close();
  await rm(directory, { recursive: true, force: true });
}
