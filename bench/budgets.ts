/**
 * What a budget costs a call, on SQLite and on PostgreSQL: the gateway with a ledger, with and
 * without a budget (`budget.daily_usd`, far above what a run spends), on the same store (one
 * SQLite file, one PostgreSQL schema per run, shared by both sides), against a zero-latency
 * fake provider in its own process. The PostgreSQL baseline is the budget's own work done with
 * `pg` directly and nothing else (`budget-transactions-side.ts`): the floor a budgeted call can
 * approach.
 *
 * Sides rotate over BUDGET_HOSTS side processes; BENCH_RUNS independent runs, each with fresh
 * processes, a fresh server, a fresh SQLite file and a fresh PostgreSQL schema.
 *
 * BENCH_RUNS (3), BUDGET_HOSTS (2), BUDGET_ROUNDS (= hosts), BUDGET_CALLS (300) per measured
 * run, BUDGET_MAX_MS (500: no call starts later), BUDGET_WARMUP (100) calls when a side is
 * opened, BUDGET_CONCURRENCY ("1,64"), BENCH_SIDES (the PostgreSQL sides below; the SQLite ones on request),
 * BENCH_POSTGRES_URL (the tests' server, postgres://postgres@127.0.0.1:5432/test).
 *
 *   node --expose-gc --import tsx bench/budgets.ts
 */
import { type SideName, sideNamesFrom } from "./bench-sides.js";
import {
  callTable,
  difference,
  differenceTable,
  figure,
  planLine,
  ratio,
  sideLegend,
} from "./call-report.js";
import { callHost } from "./call-sample.js";
import { envNumber, envNumbers } from "./env-number.js";
import {
  formatCount,
  formatDifference,
  formatMilliseconds,
  formatRatio,
  formatSpread,
} from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides } from "./harness/measure-sides.js";
import { verdict } from "./harness/verdict.js";
import { startRunTarget } from "./run-target.js";
import { startSideProcesses } from "./side-processes.js";

/** Issue 7: on SQLite a budget adds under 0.3 ms per call at concurrency 1. */
const SQLITE_TARGET_US = 300;
/** Issue 7: on PostgreSQL at concurrency 64, at least half the baseline's calls/s. */
const POSTGRES_TARGET_RATIO = 0.5;
const POSTGRES_TARGET_CONCURRENCY = 64;
/**
 * The SQLite pair is left out by default: its concurrency-1 difference is what issue 7 judges,
 * and across processes its runs spread by ±150–200 µs, as much as the budget costs;
 * bench/budget-interleaved.ts measures it in one process instead (and `npm run bench` stays
 * under 5 minutes). `BENCH_SIDES=gateway+ledger,gateway+ledger+budget` brings it back.
 */
const DEFAULT_SIDES: readonly SideName[] = [
  "pg:gateway+ledger",
  "pg:gateway+ledger+budget",
  "pg:budget-transactions",
];

const sides = sideNamesFrom(process.env.BENCH_SIDES, DEFAULT_SIDES);
const runs = envNumber("BENCH_RUNS", 3);
const hosts = Math.min(envNumber("BUDGET_HOSTS", 2), sides.length);
const rounds = envNumber("BUDGET_ROUNDS", hosts);
const calls = envNumber("BUDGET_CALLS", 300);
const maxMs = envNumber("BUDGET_MAX_MS", 500);
const warmupCalls = envNumber("BUDGET_WARMUP", 100);
const concurrencies = envNumbers("BUDGET_CONCURRENCY", [1, POSTGRES_TARGET_CONCURRENCY]);
const usesPostgres = sides.some((side) => side.startsWith("pg:"));

console.log(
  benchHeader(
    "budgets: the gateway with a ledger, with and without a budget, on SQLite and PostgreSQL",
    "node --expose-gc --import tsx bench/budgets.ts",
  ),
);
console.log(sideLegend(sides));

const measured = await measureSides({
  sides,
  runs,
  rounds,
  async startRun(run) {
    const shared = await startRunTarget(run, { postgres: usesPostgres });
    const processes = startSideProcesses(hosts, run);
    return {
      hosts: processes.map((sideProcess) =>
        callHost(sideProcess, shared.target, {
          concurrencies,
          warmupCalls,
          warmupPerConcurrency: Math.min(warmupCalls, Math.max(...concurrencies)),
          calls,
          maxMs,
        }),
      ),
      async close() {
        await Promise.all(processes.map((sideProcess) => sideProcess.close()));
        await shared.close();
      },
    };
  },
});

console.log(
  `\n${planLine(measured, `up to ${calls} calls per measured run (none started after ${maxMs} ms)`)}`,
);
const pairs: [string, string][] = [
  ["gateway+ledger+budget", "gateway+ledger"],
  ["pg:gateway+ledger+budget", "pg:gateway+ledger"],
  ["pg:gateway+ledger+budget", "pg:budget-transactions"],
  ["pg:gateway+ledger", "pg:budget-transactions"],
];
const present = pairs.filter(([side, baseline]) =>
  [side, baseline].every((name) => sides.includes(name as SideName)),
);
for (const concurrency of concurrencies) {
  console.log(`\nconcurrency ${concurrency}`);
  console.log(callTable(measured, concurrency));
  for (const baseline of new Set(present.map(([, baseline]) => baseline))) {
    console.log("");
    console.log(
      differenceTable(
        measured,
        concurrency,
        baseline,
        present.filter(([, other]) => other === baseline).map(([side]) => side),
      ),
    );
  }
}

console.log("");
if (sides.includes("gateway+ledger+budget") && sides.includes("gateway+ledger")) {
  const added = (name: "cpuPerCall" | "wallPerCall" | "p50") =>
    formatSpread(
      difference(measured, "gateway+ledger+budget", "gateway+ledger", 1, name),
      formatDifference,
    );
  const cpu = difference(measured, "gateway+ledger+budget", "gateway+ledger", 1, "cpuPerCall");
  // SQLite's work is in-process CPU (better-sqlite3 is synchronous, WAL, synchronous=NORMAL), so
  // CPU is what it costs; wall time on this shared machine also counts other processes' turns.
  console.log(
    "SQLite, concurrency 1: a budget adds (budgeted gateway − the same gateway without a budget, " +
      `same store, both with ledger) ${added("cpuPerCall")} µs CPU per call; ` +
      `target < ${SQLITE_TARGET_US} µs: ${verdict(cpu, (value) => value < SQLITE_TARGET_US)}; ` +
      `wall clock: Δp50 ${added("p50")} µs, Δwall ${added("wallPerCall")} µs per call`,
  );
}
if (sides.includes("pg:gateway+ledger+budget")) {
  const p50 = figure(measured, "pg:gateway+ledger+budget", 1, "p50");
  console.log(
    `PostgreSQL, concurrency 1: budgeted call p50 ${formatSpread(p50, (value) => formatMilliseconds(value / 1000))} ms`,
  );
  const rate = figure(
    measured,
    "pg:gateway+ledger+budget",
    POSTGRES_TARGET_CONCURRENCY,
    "callsPerSecond",
  );
  console.log(
    `PostgreSQL, concurrency ${POSTGRES_TARGET_CONCURRENCY}: budgeted calls/s ${formatSpread(rate, formatCount)}`,
  );
}
if (sides.includes("pg:gateway+ledger+budget") && sides.includes("pg:budget-transactions")) {
  const versus = ratio(
    measured,
    "pg:gateway+ledger+budget",
    "pg:budget-transactions",
    POSTGRES_TARGET_CONCURRENCY,
    "callsPerSecond",
  );
  const baseline = figure(
    measured,
    "pg:budget-transactions",
    POSTGRES_TARGET_CONCURRENCY,
    "callsPerSecond",
  );
  console.log(
    `PostgreSQL, concurrency ${POSTGRES_TARGET_CONCURRENCY}: budgeted calls/s over the pg baseline's ` +
      `(${formatSpread(baseline, formatCount)} reserve+settle pairs/s) ${formatSpread(versus, formatRatio)}; ` +
      `target ≥ ${POSTGRES_TARGET_RATIO}×: ${verdict(versus, (value) => value >= POSTGRES_TARGET_RATIO)}`,
  );
}
console.log(`load average at the end ${loadAverage()}`);
