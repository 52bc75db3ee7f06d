/**
 * What the workflow engine costs per step over the bare work, in process: µs per no-op code
 * step of a run of STEPS_PER_RUN steps in sequence (so the run's own rows weigh little per
 * step), on SQLite and on PostgreSQL, against two baselines: the same store writes done by
 * hand through the store's Kysely (the engine's claim and commit transactions per step, no
 * scheduling, hashing, events or state fold), and the step function called directly.
 * engine − hand-commit is the engine's own share; hand-commit − direct-call is the store's.
 *
 * Sides rotate over ENGINE_HOSTS side processes; BENCH_RUNS independent runs, each with fresh
 * processes, a fresh SQLite directory and a fresh PostgreSQL schema.
 *
 * BENCH_RUNS (3), ENGINE_HOSTS (2), ENGINE_ROUNDS (= hosts), ENGINE_MAX_MS (600: no run of
 * steps starts later), ENGINE_WARMUP_MS (200) when a side is opened, BENCH_SIDES (the five
 * sides below), BENCH_POSTGRES_URL.
 *
 *   npm run bench -- engine-overhead
 *   node --expose-gc --import tsx bench/engine-overhead.ts
 */
import { envNumber } from "./env-number.js";
import { formatDifference, formatMicroseconds, formatSpread, formatTable } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides, samplesOf } from "./harness/measure-sides.js";
import { differenceOf, figureOf } from "./harness/spread.js";
import { startWorkflowHosts } from "./workflow-hosts.js";
import type { WorkflowRun } from "./workflow-messages.js";
import {
  STEPS_PER_RUN,
  WORKFLOW_SIDE_LABELS,
  type WorkflowSideName,
  workflowSidesFrom,
} from "./workflow-sides.js";
import { startWorkflowTarget } from "./workflow-target.js";

const DEFAULT_SIDES: readonly WorkflowSideName[] = [
  "orkestra-steps:sqlite",
  "hand-commit:sqlite",
  "direct-call",
  "orkestra-steps:postgres",
  "hand-commit:postgres",
];
const PAIRS: readonly [WorkflowSideName, WorkflowSideName][] = [
  ["orkestra-steps:sqlite", "hand-commit:sqlite"],
  ["orkestra-steps:sqlite", "direct-call"],
  ["hand-commit:sqlite", "direct-call"],
  ["orkestra-steps:postgres", "hand-commit:postgres"],
  ["orkestra-steps:postgres", "direct-call"],
];

const sides = workflowSidesFrom(process.env.BENCH_SIDES, DEFAULT_SIDES);
const runs = envNumber("BENCH_RUNS", 3);
const hosts = Math.min(envNumber("ENGINE_HOSTS", 2), sides.length);
const rounds = envNumber("ENGINE_ROUNDS", hosts);
const maxMs = envNumber("ENGINE_MAX_MS", 600);
const warmupMs = envNumber("ENGINE_WARMUP_MS", 200);
/** Runs of steps per stretch; the time cap ends a stretch long before on any store. */
const CALLS = 100_000;

console.log(
  benchHeader(
    `engine overhead per step: no-op code steps in sequence (${STEPS_PER_RUN} per run), in process, against the same writes by hand`,
    "node --expose-gc --import tsx bench/engine-overhead.ts",
  ),
);
for (const side of sides) {
  console.log(
    `  ${side.padEnd(24)} ${WORKFLOW_SIDE_LABELS[side].replace("STEPS", String(STEPS_PER_RUN))}`,
  );
}

const wallPerStep = (run: WorkflowRun): number => (run.wallMs * 1000) / run.units;
const cpuPerStep = (run: WorkflowRun): number => run.cpuUs / run.units;

const measured = await measureSides<WorkflowRun>({
  sides,
  runs,
  rounds,
  async startRun(run) {
    const shared = await startWorkflowTarget(
      run,
      sides.some((side) => side.endsWith(":postgres")),
    );
    const processes = startWorkflowHosts(hosts, run);
    return {
      hosts: processes.map((host) => ({
        async measure(side) {
          await host.open(side as WorkflowSideName, shared.target);
          await host.run(CALLS, 1, warmupMs);
          return host.run(CALLS, 1, maxMs);
        },
      })),
      async close() {
        await Promise.all(processes.map((host) => host.close()));
        await shared.close();
      },
    };
  },
  onSample(side, sample, place) {
    console.log(
      `  run ${place.run + 1} round ${place.round + 1} host ${place.host + 1} ${side}: ` +
        `${formatMicroseconds(wallPerStep(sample))} µs/step (${sample.units} steps)`,
    );
  },
});

console.log(
  `\n${runs} runs × ${rounds} rounds × ${measured.hostsPerRun} processes; one step at a time, ` +
    `runs of ${STEPS_PER_RUN} steps for ${maxMs} ms per measured stretch`,
);
console.log("µs per step: median of runs [lowest run, highest run]\n");
console.log(
  formatTable(
    ["side", "wall µs/step", "CPU µs/step"],
    sides.map((side) => [
      side,
      formatSpread(figureOf(samplesOf(measured, side), wallPerStep), formatMicroseconds),
      formatSpread(figureOf(samplesOf(measured, side), cpuPerStep), formatMicroseconds),
    ]),
  ),
);
console.log("");
const present = PAIRS.filter(
  ([side, baseline]) => sides.includes(side) && sides.includes(baseline),
);
console.log(
  formatTable(
    ["difference (paired by round)", "Δ wall µs/step", "Δ CPU µs/step"],
    present.map(([side, baseline]) => [
      `${side} − ${baseline}`,
      formatSpread(
        differenceOf(samplesOf(measured, side), samplesOf(measured, baseline), wallPerStep),
        formatDifference,
      ),
      formatSpread(
        differenceOf(samplesOf(measured, side), samplesOf(measured, baseline), cpuPerStep),
        formatDifference,
      ),
    ]),
  ),
);
console.log(`load average at the end ${loadAverage()}`);
