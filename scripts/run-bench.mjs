#!/usr/bin/env node
/**
 * Runs the benchmarks in bench/ one after another, each in its own Node process (with tsx and
 * --expose-gc), under the Node that runs this script: `npm run bench`. Each prints its tables
 * and a verdict against its target, headed by the command, commit and date that produced
 * them; bench/RESULTS.md keeps the figures of a dated run.
 *
 *   npm run bench                    all but the opt-in ones (under 5 minutes on 2 quiet cores)
 *   npm run bench -- startup         only those whose name contains "startup" (several allowed)
 *   npm run bench -- queue           an opt-in one: run only when named
 *   npm run bench:quick              one run each, fewer rounds: a smoke test, no spread
 *   npm run bench:test               the harness's own tests
 *
 * Figures are printed, never asserted: a missed target is reported, not a failure. The exit
 * code is non-zero only when a benchmark itself crashed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHMARKS = [
  "bench/startup.ts",
  "bench/gateway-overhead.ts",
  "bench/budgets.ts",
  "bench/budget-interleaved.ts",
  "bench/fan-out.ts",
  "bench/graph-analysis.ts",
  "bench/vote-counting.ts",
  "bench/committee.ts",
  "bench/workflow-throughput.ts",
  "bench/engine-overhead.ts",
];
/**
 * Run only when a filter names them. bench/queue.ts takes 3–4 minutes on its own (8 sides —
 * the peers' 4 and Orkestra's PostgreSQL and SQLite sides, tuned and at defaults — × 3 runs of
 * a 20,000-job drain and 200 idle samples, worker processes started per run: 195–227 s on 2
 * cores at load 2–4), which the 5-minute budget of the default list has no room for; it also
 * needs bench/peers installed for anything but Orkestra's sides (BENCH_SIDES=orkestra:postgres,
 * orkestra:sqlite runs without them).
 */
const OPT_IN = ["bench/queue.ts"];
/** One run and fewer rounds and calls: minutes become seconds, and there is no spread. */
const QUICK = {
  BENCH_RUNS: "1",
  STARTUP_ROUNDS: "2",
  OVERHEAD_ROUNDS: "2",
  OVERHEAD_CALLS: "200",
  BUDGET_ROUNDS: "1",
  BUDGET_CALLS: "150",
  BUDGET_BLOCKS: "4",
  BUDGET_WARMUP: "100",
  FANOUT_CALLS: "500",
  WORKFLOW_ROUNDS: "1",
  WORKFLOW_MAX_MS: "400",
  ENGINE_ROUNDS: "1",
  ENGINE_MAX_MS: "300",
  QUEUE_JOBS: "5000",
  QUEUE_MAX_MS: "2000",
  QUEUE_IDLE_SAMPLES: "30",
  QUEUE_IDLE_MAX_MS: "3000",
};

/**
 * CPU seconds (user + system) of every process this one has waited for, and theirs (Linux):
 * how much work the benchmarks did, whatever else the machine was running. NaN elsewhere.
 */
function childrenCpuSeconds() {
  if (process.platform !== "linux") return Number.NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  let ticks = 100;
  try {
    ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {}
  return (Number(fields[13]) + Number(fields[14])) / ticks;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const argumentsGiven = process.argv.slice(2);
const quick = argumentsGiven.includes("--quick");
const filters = argumentsGiven.filter((argument) => argument !== "--quick");
const selected =
  filters.length === 0
    ? BENCHMARKS
    : [...BENCHMARKS, ...OPT_IN].filter((file) => filters.some((filter) => file.includes(filter)));
if (selected.length === 0) {
  console.error(
    `no benchmark matches ${filters.join(", ")}; known: ${[...BENCHMARKS, ...OPT_IN].join(", ")}`,
  );
  process.exit(2);
}

const script = process.env.npm_lifecycle_event;
const command = script?.startsWith("bench")
  ? `npm run ${script}${filters.length > 0 ? ` -- ${filters.join(" ")}` : ""}`
  : `node scripts/run-bench.mjs ${argumentsGiven.join(" ")}`.trim();
const env = { ...process.env, BENCH_COMMAND: command, ...(quick ? QUICK : {}) };

let failed = 0;
const startedAll = performance.now();
for (const file of selected) {
  console.log(`\n=== ${file} ===\n`);
  const startedAt = performance.now();
  const cpuAtStart = childrenCpuSeconds();
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", file], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const cpu = (childrenCpuSeconds() - cpuAtStart).toFixed(1);
  if (result.status === 0) {
    console.log(`\n(${file} took ${seconds} s, ${cpu} s of CPU)`);
  } else {
    failed += 1;
    console.error(`\n${file} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  }
}
const totalSeconds = ((performance.now() - startedAll) / 1000).toFixed(1);
console.log(
  `\n(${command}: ${totalSeconds} s in all, ${childrenCpuSeconds().toFixed(1)} s of CPU; ` +
    `load average at the end ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")})`,
);
process.exit(failed === 0 ? 0 : 1);
