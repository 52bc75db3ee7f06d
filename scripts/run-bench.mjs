#!/usr/bin/env node
/**
 * Runs the benchmarks in bench/ one after another, each in its own Node process (with tsx and
 * --expose-gc), under the Node that runs this script: `npm run bench`. Each prints its tables
 * and a verdict against its target; bench/RESULTS.md keeps the figures of a dated run.
 *
 *   npm run bench                    all of them
 *   npm run bench -- fan-out         only those whose file name contains "fan-out"
 *
 * Figures are printed, never asserted: a missed target is reported, not a failure. The exit
 * code is non-zero only when a benchmark itself crashed.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHMARKS = [
  "bench/gateway-overhead.ts",
  "bench/fan-out.ts",
  "bench/abort-signals.ts",
  "bench/graph-analysis.ts",
];

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);
const selected = BENCHMARKS.filter(
  (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
);
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(", ")}; known: ${BENCHMARKS.join(", ")}`);
  process.exit(2);
}

let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file} ===\n`);
  const startedAt = performance.now();
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", file], {
    cwd: root,
    stdio: "inherit",
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`\n(${file} took ${seconds} s)`);
  } else {
    failed += 1;
    console.error(`\n${file} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  }
}
process.exit(failed === 0 ? 0 : 1);
