/**
 * Checkpointed workflow throughput: runs/s of a 3-step no-op workflow (each step committed
 * before the next starts) on SQLite and on PostgreSQL, Orkestra beside LangGraph.js doing the
 * same work with the same durability (`durability: "sync"`), sequential and at 16 concurrent
 * runs. Issue 8's target: at 16 concurrent, at least 5× LangGraph's runs/s on both stores.
 *
 * LangGraph comes from bench/peers (its own package.json, never a dependency of Orkestra):
 *
 *   PATH=$PWD/node_modules/.bin:$PATH npm --prefix bench/peers install
 *
 * Without it the LangGraph sides are left out, with that message. Sides rotate over
 * WORKFLOW_HOSTS side processes (`harness/measure-sides.ts`); BENCH_RUNS independent runs,
 * each with fresh processes, a fresh SQLite directory and fresh PostgreSQL schemas.
 *
 * BENCH_RUNS (3), WORKFLOW_HOSTS (2), WORKFLOW_ROUNDS (= hosts), WORKFLOW_RUNS (1000) workflow
 * runs per measured stretch, WORKFLOW_MAX_MS (600: no run starts later, which bounds the
 * slow sides), WORKFLOW_WARMUP_MS (200) of runs at the highest concurrency when a side is
 * opened, WORKFLOW_CONCURRENCY ("1,16"), BENCH_SIDES (the four sides below), BENCH_POSTGRES_URL.
 *
 *   npm run bench -- workflow
 *   node --expose-gc --import tsx bench/workflow-throughput.ts
 */
import { envNumber, envNumbers } from "./env-number.js";
import { formatCount, formatRatio, formatSpread, formatTable } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides, samplesOf } from "./harness/measure-sides.js";
import { figureOf, ratioOf } from "./harness/spread.js";
import { verdict } from "./harness/verdict.js";
import { startWorkflowHosts } from "./workflow-hosts.js";
import type { WorkflowRun } from "./workflow-messages.js";
import {
  isPeerSide,
  missingPeers,
  WORKFLOW_SIDE_LABELS,
  type WorkflowSideName,
  workflowSidesFrom,
} from "./workflow-sides.js";
import { startWorkflowTarget } from "./workflow-target.js";

/** Issue 8: Orkestra's runs/s over LangGraph's at 16 concurrent runs, on both stores. */
const TARGET_RATIO = 5;
const TARGET_CONCURRENCY = 16;
const DEFAULT_SIDES: readonly WorkflowSideName[] = [
  "orkestra:sqlite",
  "langgraph:sqlite",
  "orkestra:postgres",
  "langgraph:postgres",
];
const STORES = [
  { name: "SQLite", ours: "orkestra:sqlite", peer: "langgraph:sqlite" },
  { name: "PostgreSQL", ours: "orkestra:postgres", peer: "langgraph:postgres" },
] as const;

type ThroughputSample = Record<number, WorkflowRun>;

const requested = workflowSidesFrom(process.env.BENCH_SIDES, DEFAULT_SIDES);
const peersMissing = missingPeers();
const sides = peersMissing ? requested.filter((side) => !isPeerSide(side)) : requested;
const runs = envNumber("BENCH_RUNS", 3);
const hosts = Math.min(envNumber("WORKFLOW_HOSTS", 2), sides.length);
const rounds = envNumber("WORKFLOW_ROUNDS", hosts);
const workflowRuns = envNumber("WORKFLOW_RUNS", 1000);
const maxMs = envNumber("WORKFLOW_MAX_MS", 600);
const warmupMs = envNumber("WORKFLOW_WARMUP_MS", 200);
const concurrencies = envNumbers("WORKFLOW_CONCURRENCY", [1, TARGET_CONCURRENCY]);

console.log(
  benchHeader(
    "workflow throughput: a 3-step no-op workflow, every step committed before the next, Orkestra beside LangGraph.js",
    "node --expose-gc --import tsx bench/workflow-throughput.ts",
  ),
);
for (const side of sides) console.log(`  ${side.padEnd(20)} ${WORKFLOW_SIDE_LABELS[side]}`);
if (peersMissing && sides.length < requested.length) {
  console.log(`\nLangGraph sides left out: ${peersMissing}`);
}
if (sides.length === 0) process.exit(0);

const runsPerSecond = (run: WorkflowRun | undefined): number =>
  run === undefined || run.wallMs === 0 ? Number.NaN : (run.units / run.wallMs) * 1000;

const measured = await measureSides<ThroughputSample>({
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
          await host.run(workflowRuns, Math.max(...concurrencies), warmupMs);
          const sample: ThroughputSample = {};
          for (const concurrency of concurrencies) {
            sample[concurrency] = await host.run(workflowRuns, concurrency, maxMs);
          }
          return sample;
        },
      })),
      async close() {
        await Promise.all(processes.map((host) => host.close()));
        await shared.close();
      },
    };
  },
  onSample(side, sample, place) {
    const figures = concurrencies
      .map((concurrency) => `c${concurrency} ${formatCount(runsPerSecond(sample[concurrency]))}`)
      .join(", ");
    console.log(
      `  run ${place.run + 1} round ${place.round + 1} host ${place.host + 1} ${side}: ${figures} runs/s`,
    );
  },
});

const runsDone = sides.flatMap((side) =>
  samplesOf(measured, side).flatMap((rounds) =>
    rounds.flatMap((sample) => concurrencies.map((concurrency) => sample[concurrency]?.units ?? 0)),
  ),
);
console.log(
  `\n${runs} runs × ${rounds} rounds × ${measured.hostsPerRun} processes; per measured stretch up to ` +
    `${workflowRuns} workflow runs, none started after ${maxMs} ms ` +
    `(done: ${Math.min(...runsDone)}–${Math.max(...runsDone)} per stretch)`,
);
console.log(
  "runs/s: median of runs [lowest run, highest run]; each run's figure the median of its rounds\n",
);

const rows = sides.map((side) => [
  side,
  ...concurrencies.flatMap((concurrency) => {
    const samples = samplesOf(measured, side);
    return [
      formatSpread(
        figureOf(samples, (sample) => runsPerSecond(sample[concurrency])),
        formatCount,
      ),
      formatSpread(
        figureOf(samples, (sample) => {
          const run = sample[concurrency];
          return run === undefined ? Number.NaN : run.cpuUs / run.units;
        }),
        formatCount,
      ),
    ];
  }),
]);
console.log(
  formatTable(
    [
      "side",
      ...concurrencies.flatMap((concurrency) => [
        `runs/s @${concurrency}`,
        `CPU µs/run @${concurrency}`,
      ]),
    ],
    rows,
  ),
);

const counted = sides.filter((side) =>
  samplesOf(measured, side).some((rounds) =>
    rounds.some((sample) => sample[concurrencies[0] ?? 1]?.statements !== undefined),
  ),
);
if (counted.length > 0) {
  const figure =
    (concurrency: number, of: (run: WorkflowRun) => number) => (sample: ThroughputSample) => {
      const run = sample[concurrency];
      return run === undefined ? Number.NaN : of(run);
    };
  const per = (part: number | undefined, whole: number): number =>
    part === undefined || whole === 0 ? Number.NaN : part / whole;
  console.log(
    "\nwhat the store ran per workflow run: statements (onQuery; BEGIN and COMMIT not included), " +
      "write batches of the group committer (each one transaction on SQLite, one statement on " +
      "PostgreSQL), and runs' writes per batch\n",
  );
  console.log(
    formatTable(
      [
        "side",
        ...concurrencies.flatMap((concurrency) => [
          `statements/run @${concurrency}`,
          `batches/run @${concurrency}`,
          `writes/batch @${concurrency}`,
        ]),
      ],
      counted.map((side) => [
        side,
        ...concurrencies.flatMap((concurrency) =>
          [
            figure(concurrency, (run) => per(run.statements, run.units)),
            figure(concurrency, (run) => per(run.batches, run.units)),
            figure(concurrency, (run) => per(run.writes, run.batches ?? 0)),
          ].map((of) =>
            formatSpread(figureOf(samplesOf(measured, side), of), (value) => value.toFixed(2)),
          ),
        ),
      ]),
    ),
  );
}

console.log("");
for (const store of STORES) {
  if (!sides.includes(store.ours) || !sides.includes(store.peer)) continue;
  for (const concurrency of concurrencies) {
    const ratio = ratioOf(
      samplesOf(measured, store.ours),
      samplesOf(measured, store.peer),
      (sample) => runsPerSecond(sample[concurrency]),
    );
    const target =
      concurrency === TARGET_CONCURRENCY
        ? `; target ≥ ${TARGET_RATIO}×: ${verdict(ratio, (value) => value >= TARGET_RATIO)}`
        : "";
    console.log(
      `${store.name}, ${concurrency === 1 ? "sequential" : `${concurrency} concurrent`}: ` +
        `Orkestra/LangGraph runs/s (paired by round) ${formatSpread(ratio, formatRatio)}${target}`,
    );
  }
}
console.log(`load average at the end ${loadAverage()}`);
