/**
 * What a budget adds to a call on SQLite at concurrency 1, measured inside one process: the
 * gateway with a ledger, with and without a budget (`budget.daily_usd`, far above what a run
 * spends), each on its own SQLite file, against one zero-latency fake provider process,
 * alternating in short blocks (the order flips every block), so both sides share the process's
 * JIT state, heap and CPU, and any drift of the machine lands on both. Each block's figure is
 * its calls' process CPU per call; a run's figure is the median of its paired block
 * differences. `bench/budgets.ts` compares the sides in separate processes, whose differences
 * from one another were as large as the budget itself (bench/RESULTS.md); this one cannot see
 * what differs between processes, only what the budget costs in one.
 *
 * BENCH_RUNS (3: fresh processes, files and fake server each), BUDGET_BLOCKS (12 per side),
 * BUDGET_BLOCK_CALLS (200), BUDGET_WARMUP (300 per side).
 *
 *   node --expose-gc --import tsx bench/budget-interleaved.ts
 */
import { spawnSync } from "node:child_process";
import { createSide } from "./bench-sides.js";
import { envNumber } from "./env-number.js";
import { formatDifference, formatSpread } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { spreadOf } from "./harness/spread.js";
import { verdict } from "./harness/verdict.js";
import { startRunTarget } from "./run-target.js";
import { median } from "./stats.js";

/** Issue 7: on SQLite a budget adds under 0.3 ms per call at concurrency 1. */
const TARGET_US = 300;
const CHILD = "BUDGET_INTERLEAVED_CHILD";

interface RunFigures {
  /** Median over blocks of (budgeted − unbudgeted) CPU µs per call. */
  addedUs: number;
  /** Quartiles of those block differences. */
  lowerQuartileUs: number;
  upperQuartileUs: number;
  ledgerUs: number;
  budgetUs: number;
}

async function measureOneRun(): Promise<RunFigures> {
  const blocks = envNumber("BUDGET_BLOCKS", 12);
  const blockCalls = envNumber("BUDGET_BLOCK_CALLS", 200);
  const warmup = envNumber("BUDGET_WARMUP", 300);
  const shared = await startRunTarget(0);
  const { target } = shared;
  const ledger = await createSide("gateway+ledger", target);
  const budget = await createSide("gateway+ledger+budget", {
    ...target,
    sqliteUrl: target.sqliteUrl.replace(/store\.db$/, "budget.db"),
  });
  const block = async (side: typeof ledger, calls: number): Promise<number> => {
    globalThis.gc?.();
    const before = process.cpuUsage();
    for (let index = 0; index < calls; index += 1) await side.call();
    await side.settle();
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / calls;
  };
  try {
    await block(ledger, warmup);
    await block(budget, warmup);
    const differences: number[] = [];
    const ledgerUs: number[] = [];
    const budgetUs: number[] = [];
    for (let index = 0; index < blocks; index += 1) {
      const budgetFirst = index % 2 === 1;
      const first = await block(budgetFirst ? budget : ledger, blockCalls);
      const second = await block(budgetFirst ? ledger : budget, blockCalls);
      const [withBudget, without] = budgetFirst ? [first, second] : [second, first];
      differences.push(withBudget - without);
      ledgerUs.push(without);
      budgetUs.push(withBudget);
    }
    const sorted = [...differences].sort((a, b) => a - b);
    return {
      addedUs: median(differences),
      lowerQuartileUs: sorted[Math.floor((sorted.length - 1) / 4)] ?? Number.NaN,
      upperQuartileUs: sorted[Math.ceil(((sorted.length - 1) * 3) / 4)] ?? Number.NaN,
      ledgerUs: median(ledgerUs),
      budgetUs: median(budgetUs),
    };
  } finally {
    await ledger.close();
    await budget.close();
    await shared.close();
  }
}

if (process.env[CHILD]) {
  process.stdout.write(`${JSON.stringify(await measureOneRun())}\n`);
} else {
  console.log(
    benchHeader(
      "budget, interleaved: what a budget adds to a SQLite call at concurrency 1, both sides in one process",
      "node --expose-gc --import tsx bench/budget-interleaved.ts",
    ),
  );
  const runs = envNumber("BENCH_RUNS", 3);
  const figures: RunFigures[] = [];
  for (let run = 1; run <= runs; run += 1) {
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, [CHILD]: "1" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (child.status !== 0) throw new Error(`run ${run} failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "") as RunFigures;
    figures.push(result);
    console.log(
      `  run ${run}: +${result.addedUs.toFixed(0)} µs CPU per call (blocks' quartiles ` +
        `${result.lowerQuartileUs.toFixed(0)}…${result.upperQuartileUs.toFixed(0)}); ` +
        `ledger only ${result.ledgerUs.toFixed(0)} µs, with budget ${result.budgetUs.toFixed(0)} µs`,
    );
  }
  const added = spreadOf(figures.map((figure) => figure.addedUs));
  console.log(
    `\nSQLite, concurrency 1, one process: a budget adds ${formatSpread(added, formatDifference)} ` +
      `µs CPU per call; target < ${TARGET_US} µs: ${verdict(added, (value) => value < TARGET_US)}`,
  );
  console.log(`load average at the end ${loadAverage()}`);
}
