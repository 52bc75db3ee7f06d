/**
 * Job queues on one PostgreSQL: no-op jobs per second drained by worker processes, and the
 * pickup latency of one job at a time when the workers are idle, for graphile-worker and
 * pg-boss, each at its defaults and at its best settings (`bench/peers/queue-peer-sides.mjs`
 * says which and why), and for Orkestra's queue (`queue-orkestra-side.ts`: `orkestra:postgres`
 * and `orkestra:sqlite` at the settings chosen for them, `-defaults` at the Worker's); with it
 * come issue 10's targets: ≥ 10,200 jobs/s with 4 worker processes (graphile-worker tuned, as
 * the issue quotes it on 2 cores) and an idle pickup p99 ≤ 10 ms. SQLite sides (Orkestra only)
 * are drained by QUEUE_SQLITE_WORKERS processes on one file.
 *
 * The peers come from bench/peers (its own package.json, never a dependency of Orkestra):
 *
 *   PATH=$PWD/node_modules/.bin:$PATH npm --prefix bench/peers install
 *
 * Without them their sides are left out, with that message. Per run: fresh worker processes
 * (the pool, reused by every side in turn, each side's worker started and stopped in them),
 * and per measurement a fresh schema. Sides run one at a time; their order rotates over
 * rounds and runs (`harness/rotation-schedule.ts`).
 *
 * BENCH_RUNS (3), QUEUE_ROUNDS (1), QUEUE_JOBS (20000) per drain, QUEUE_WORKERS ("4"; the scale
 * curve: "1,2,4,8"), QUEUE_SQLITE_WORKERS ("1,2"), QUEUE_MAX_MS (5000: a drain is cut this long
 * after the enqueue commit), QUEUE_POLL_MS (10: "any job left?" polls), QUEUE_IDLE_WORKERS (4),
 * QUEUE_IDLE_SAMPLES (200), QUEUE_IDLE_WARMUP (5), QUEUE_IDLE_SPACING_MS (20),
 * QUEUE_IDLE_MAX_MS (8000), QUEUE_IDLE_TIMEOUT_MS (5000), QUEUE_MAX_CONNECTIONS (60: split over
 * the worker processes of a measurement), QUEUE_ORKESTRA_TUNED (Orkestra's tuned Worker settings
 * as JSON), BENCH_SIDES, BENCH_POSTGRES_URL.
 *
 *   npm run bench -- queue
 *   QUEUE_WORKERS=1,2,4,8 npm run bench -- queue
 */
import { envNumber, envNumbers } from "./env-number.js";
import { formatCount, formatMilliseconds, formatSpread } from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides } from "./harness/measure-sides.js";
import {
  type DrainPlan,
  drainRate,
  type IdlePlan,
  measureDrain,
  measureIdle,
  type QueueMeasurement,
} from "./queue-measure.js";
import {
  idleP99Of,
  idleTable,
  QUEUE_TARGETS,
  type QueueSample,
  rateOf,
  targetLines,
  throughputTable,
} from "./queue-report.js";
import { ServerCpuProbe } from "./queue-server-cpu.js";
import {
  type LoadedQueueSide,
  missingQueuePeers,
  QUEUE_SIDES,
  type QueueSideName,
  queueSidesFrom,
} from "./queue-sides.js";
import { freshQueueTarget, queuePostgresUrl, queueSchemaName } from "./queue-targets.js";
import { type QueueWorkerPool, startQueueWorkerPool } from "./queue-worker-pool.js";

const requested = queueSidesFrom(process.env.BENCH_SIDES);
const peersMissing = missingQueuePeers();
const sides = peersMissing ? requested.filter((side) => !QUEUE_SIDES[side].peer) : requested;
const runs = envNumber("BENCH_RUNS", 3);
const rounds = envNumber("QUEUE_ROUNDS", 1);
const postgresWorkers = envNumbers("QUEUE_WORKERS", [4]);
const sqliteWorkers = envNumbers("QUEUE_SQLITE_WORKERS", [1, 2]);
const idleWorkers = envNumber("QUEUE_IDLE_WORKERS", 4);
const connectionBudget = envNumber("QUEUE_MAX_CONNECTIONS", 60);
const drainPlan: DrainPlan = {
  jobs: envNumber("QUEUE_JOBS", 20_000),
  maxMs: envNumber("QUEUE_MAX_MS", 5_000),
  pollMs: envNumber("QUEUE_POLL_MS", 10),
};
const idlePlan: IdlePlan = {
  samples: envNumber("QUEUE_IDLE_SAMPLES", 200),
  warmup: envNumber("QUEUE_IDLE_WARMUP", 5),
  spacingMs: envNumber("QUEUE_IDLE_SPACING_MS", 20),
  maxMs: envNumber("QUEUE_IDLE_MAX_MS", 8_000),
  timeoutMs: envNumber("QUEUE_IDLE_TIMEOUT_MS", 5_000),
};

/** Each side's pools are its own default size, or this when smaller. */
const connectionsPerProcess = (workers: number): number =>
  Math.max(2, Math.floor(connectionBudget / workers));
const workersOf = (side: QueueSideName): number[] =>
  QUEUE_SIDES[side].store === "sqlite" ? sqliteWorkers : postgresWorkers;

console.log(
  benchHeader(
    "job queues: no-op jobs/s drained by worker processes, and idle pickup latency, on one PostgreSQL",
    "node --import tsx bench/queue.ts",
  ),
);
if (peersMissing && sides.length < requested.length) {
  console.log(`\ngraphile-worker and pg-boss sides left out: ${peersMissing}`);
}
if (!sides.some((side) => QUEUE_SIDES[side].store === "sqlite")) {
  console.log(
    "SQLite: no side (the peers are PostgreSQL-only; Orkestra's queue adds orkestra:sqlite)",
  );
}
if (sides.length === 0) process.exit(0);

const loaded = new Map<QueueSideName, LoadedQueueSide>();
for (const side of sides) {
  const adapter = await QUEUE_SIDES[side].load();
  loaded.set(side, adapter);
  console.log(`  ${side.padEnd(26)} ${adapter.label}`);
}
console.log(
  `\n${drainPlan.jobs} jobs per drain (enqueued in one transaction while the workers wait), cut ` +
    `${drainPlan.maxMs} ms after the commit; idle: ${idlePlan.samples} samples (+${idlePlan.warmup} ` +
    `warm-up) on ${idleWorkers} waiting processes, ${idlePlan.spacingMs} ms after each pickup, ` +
    `none started after ${idlePlan.maxMs} ms; PostgreSQL connections: at most ` +
    `${connectionBudget} per measurement, so each worker process's pool at most ` +
    [...new Set([...sides.flatMap(workersOf), idleWorkers])]
      .sort((left, right) => left - right)
      .map((workers) => `${connectionsPerProcess(workers)} at ${workers} processes`)
      .join(", "),
);

const poolSize = Math.max(idleWorkers, ...sides.flatMap(workersOf));
let probe: ServerCpuProbe | undefined;
/** One connection for the whole bench that reads the workers' backends' CPU. */
async function serverCpuProbe(): Promise<ServerCpuProbe> {
  probe ??= await ServerCpuProbe.open(queuePostgresUrl());
  return probe;
}
let measurementCount = 0;
/**
 * Dropped when the run's worker processes have exited, not after each measurement: a worker
 * stopped in the middle of a cut drain may still write a completion to its schema after its
 * stop resolved (graphile-worker 0.18 at its defaults does), and must find it there.
 */
const dropAtRunEnd: (() => Promise<void>)[] = [];

async function measureOne(
  pool: QueueWorkerPool,
  side: QueueSideName,
  run: number,
): Promise<QueueSample> {
  const entry = QUEUE_SIDES[side];
  const adapter = loaded.get(side);
  if (!adapter) throw new Error(`side ${side} was not loaded`);
  const withTarget = async <Result>(
    workers: number,
    work: (measurement: QueueMeasurement) => Promise<Result>,
  ): Promise<Result> => {
    measurementCount += 1;
    const fresh = await freshQueueTarget(entry.store, queueSchemaName(side, run, measurementCount));
    dropAtRunEnd.push(fresh.drop);
    return work({
      pool,
      name: side,
      side: adapter,
      target: fresh.target,
      workers,
      maxConnections: connectionsPerProcess(workers),
      serverCpu: entry.store === "postgres" ? await serverCpuProbe() : undefined,
    });
  };
  const sample: QueueSample = { drains: {} };
  for (const workers of workersOf(side)) {
    sample.drains[workers] = await withTarget(workers, (m) => measureDrain(m, drainPlan));
  }
  if (entry.store === "postgres") {
    sample.idle = await withTarget(idleWorkers, (m) => measureIdle(m, idlePlan));
  }
  return sample;
}

const measured = await measureSides<QueueSample>({
  sides,
  runs,
  rounds,
  async startRun(run) {
    const pool = await startQueueWorkerPool(poolSize, run);
    const worst = pool.offsets.reduce(
      (most, offset) => (Math.abs(offset.offsetMs) > Math.abs(most.offsetMs) ? offset : most),
      { offsetMs: 0, uncertaintyMs: 0 },
    );
    console.log(
      `  run ${run + 1}: ${pool.size} worker processes; largest clock offset to this process ` +
        `${worst.offsetMs.toFixed(3)} ms ± ${worst.uncertaintyMs.toFixed(3)} ms (taken off)`,
    );
    return {
      hosts: [{ measure: (side) => measureOne(pool, side as QueueSideName, run) }],
      async close() {
        await pool.close();
        for (const drop of dropAtRunEnd.splice(0)) await drop();
      },
    };
  },
  onSample(side, sample, place) {
    const drains = Object.values(sample.drains)
      .map((drain) => `${drain.workers}p ${formatCount(drainRate(drain))} jobs/s`)
      .join(", ");
    const latencies = sample.idle?.latenciesMs ?? [];
    const idle = sample.idle
      ? `; idle p50/p99 ${[0.5, 0.99]
          .map((fraction) => {
            const sorted = [...latencies].sort((left, right) => left - right);
            return formatMilliseconds(
              sorted[Math.ceil(fraction * sorted.length) - 1] ?? Number.NaN,
            );
          })
          .join("/")} ms (${latencies.length} samples)`
      : "";
    console.log(`  run ${place.run + 1} round ${place.round + 1} ${side}: ${drains}${idle}`);
  },
});

console.log(
  `\n${runs} runs × ${rounds} rounds; figures: median of runs [lowest run, highest run], each ` +
    "run's figure the median of its rounds. jobs/s from the first pickup to the first poll that " +
    "found every job completed; worker CPU: the worker processes' user + system; server CPU: the " +
    "PostgreSQL backends serving their connections (n/a for a library that names its " +
    "connections itself); cores busy: the whole machine's (PostgreSQL, and anything else " +
    "running) during the drain\n",
);
console.log(
  throughputTable(
    measured,
    sides.map((side) => ({ side, workers: workersOf(side) })),
  ),
);
const idleSides = sides.filter((side) => QUEUE_SIDES[side].store === "postgres");
if (idleSides.length > 0) {
  console.log(
    `\nidle pickup latency, ${idleWorkers} worker processes: from just before the enqueue call ` +
      "to the start of the handler, on one clock (each worker's offset to the bench taken off)\n",
  );
  console.log(idleTable(measured, idleSides));
}

console.log("");
const { reference, workers } = QUEUE_TARGETS;
if (sides.includes(reference)) {
  console.log(
    `${reference} here: ${formatSpread(rateOf(measured, reference, workers), formatCount)} ` +
      `jobs/s at ${workers} processes, idle p99 ` +
      `${formatSpread(idleP99Of(measured, reference), formatMilliseconds)} ms ` +
      "(issue 10 quotes ≈ 10,200 jobs/s and 9.6 ms on a 2-core machine)",
  );
}
for (const line of targetLines(measured)) console.log(line);
await probe?.close();
console.log(`load average at the end ${loadAverage()}`);
