/**
 * What the gateway adds to a model call: the same call through `fetch`, `generateText` as an
 * AI SDK user calls it, the bare provider model's `doGenerate` (what the gateway wraps: the
 * gateway minus this is Orkestra's own share) and the gateway without a store, to a fake
 * provider in its own process that answers at once. The ledger and budgets are `budgets.ts`.
 *
 * Sides rotate over OVERHEAD_HOSTS side processes (`harness/measure-sides.ts`), one side at a
 * time, at each concurrency back to back; BENCH_RUNS independent runs, each with fresh
 * processes and a fresh server.
 *
 * BENCH_RUNS (3), OVERHEAD_HOSTS (2), OVERHEAD_ROUNDS (= hosts), OVERHEAD_CALLS (300) per
 * measured run, OVERHEAD_WARMUP (200) calls when a side is opened, OVERHEAD_CONCURRENCY
 * ("1,256"), BENCH_SIDES (fetch, generate-text, do-generate, gateway).
 *
 *   node --expose-gc --import tsx bench/gateway-overhead.ts
 */
import { type SideName, sideNamesFrom } from "./bench-sides.js";
import { callTable, difference, differenceTable, planLine, sideLegend } from "./call-report.js";
import { callHost } from "./call-sample.js";
import { envNumber, envNumbers } from "./env-number.js";
import { formatDifference, formatMicroseconds, formatSpread } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides } from "./harness/measure-sides.js";
import { verdict } from "./harness/verdict.js";
import { startRunTarget } from "./run-target.js";
import { startSideProcesses } from "./side-processes.js";

const EARLIER_TARGET_US = 100;
const DEFAULT_SIDES: readonly SideName[] = ["fetch", "generate-text", "do-generate", "gateway"];

const sides = sideNamesFrom(process.env.BENCH_SIDES, DEFAULT_SIDES);
const runs = envNumber("BENCH_RUNS", 3);
const hosts = Math.min(envNumber("OVERHEAD_HOSTS", 2), sides.length);
const rounds = envNumber("OVERHEAD_ROUNDS", hosts);
const calls = envNumber("OVERHEAD_CALLS", 300);
const warmupCalls = envNumber("OVERHEAD_WARMUP", 200);
const concurrencies = envNumbers("OVERHEAD_CONCURRENCY", [1, 256]);

console.log(
  benchHeader(
    "gateway overhead: one call through fetch, the AI SDK and the gateway, zero-latency fake provider",
    "node --expose-gc --import tsx bench/gateway-overhead.ts",
  ),
);
console.log(sideLegend(sides));

const serverCpu: number[] = [];
const measured = await measureSides({
  sides,
  runs,
  rounds,
  async startRun(run) {
    const shared = await startRunTarget(run);
    const processes = startSideProcesses(hosts, run);
    return {
      hosts: processes.map((sideProcess) =>
        callHost(sideProcess, shared.target, {
          concurrencies,
          warmupCalls,
          warmupPerConcurrency: Math.min(warmupCalls, 100),
          calls,
        }),
      ),
      async close() {
        await Promise.all(processes.map((sideProcess) => sideProcess.close()));
        const stats = await shared.server.stats();
        serverCpu.push(stats.cpuUs / stats.requests);
        await shared.close();
      },
    };
  },
});

console.log(`\n${planLine(measured, `${calls} calls per measured run after a warm-up`)}`);
for (const concurrency of concurrencies) {
  console.log(`\nconcurrency ${concurrency}`);
  console.log(callTable(measured, concurrency));
  for (const baseline of ["fetch", "do-generate"]) {
    if (!sides.includes(baseline as SideName)) continue;
    console.log("");
    console.log(
      differenceTable(
        measured,
        concurrency,
        baseline,
        sides.filter((side) => side !== baseline),
      ),
    );
  }
  if (concurrency > 1) {
    console.log(
      `(at concurrency ${concurrency} a call's latency includes waiting behind the other ${concurrency - 1}: ` +
        "Δp50 is about concurrency × the added cost; ΔCPU/call is the cost)",
    );
  }
}

console.log("");
for (const concurrency of concurrencies) {
  if (sides.includes("gateway") && sides.includes("do-generate")) {
    const own = difference(measured, "gateway", "do-generate", concurrency, "cpuPerCall");
    console.log(
      `our share at concurrency ${concurrency}: gateway − bare provider doGenerate, CPU µs/call ` +
        formatSpread(own, formatDifference),
    );
  }
  if (sides.includes("gateway") && sides.includes("generate-text")) {
    const versus = difference(measured, "gateway", "generate-text", concurrency, "cpuPerCall");
    console.log(
      `gateway − generateText at concurrency ${concurrency}, CPU µs/call ` +
        formatSpread(versus, formatDifference),
    );
  }
  if (sides.includes("gateway") && sides.includes("fetch")) {
    const added = difference(measured, "gateway", "fetch", concurrency, "cpuPerCall");
    console.log(
      `gateway − fetch at concurrency ${concurrency}, CPU µs/call ${formatSpread(added, formatDifference)}; ` +
        `earlier target < ${EARLIER_TARGET_US} µs: ${verdict(added, (value) => value < EARLIER_TARGET_US)}`,
    );
  }
}
console.log(
  `fake server: ${serverCpu.map(formatMicroseconds).join(", ")} µs CPU per request (per run), ` +
    `in its own process; load average at the end ${loadAverage()}`,
);
