import {
  formatCount,
  formatMilliseconds,
  formatRatio,
  formatSpread,
  formatTable,
} from "./format-table.js";
import type { RotationSamples } from "./harness/measure-sides.js";
import { samplesOf } from "./harness/measure-sides.js";
import { figureOf, ratioOf, type SideSamples, type Spread } from "./harness/spread.js";
import { verdict } from "./harness/verdict.js";
import { type DrainResult, drainRate, type IdleResult } from "./queue-measure.js";
import { percentile } from "./stats.js";

/** What one side gave in one round: a drain per worker count, and the idle latencies. */
export interface QueueSample {
  drains: Record<number, DrainResult>;
  idle?: IdleResult;
}

/** Issue 10's targets for Orkestra's queue on PostgreSQL, 4 worker processes. */
export const QUEUE_TARGETS = {
  /** graphile-worker tuned, as the issue quotes it on a 2-core machine. */
  jobsPerSecond: 10_200,
  idleP99Ms: 10,
  workers: 4,
  ours: "orkestra:postgres",
  reference: "graphile-worker:tuned",
} as const;

const percent = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value * 100)} %` : "n/a";

function drainOf(sample: QueueSample, workers: number): DrainResult | undefined {
  return sample.drains[workers];
}

function pickDrain(workers: number, pick: (drain: DrainResult) => number) {
  return (sample: QueueSample): number => {
    const drain = drainOf(sample, workers);
    return drain === undefined ? Number.NaN : pick(drain);
  };
}

function idlePercentile(fraction: number) {
  return (sample: QueueSample): number => {
    const latencies = sample.idle?.latenciesMs;
    if (!latencies || latencies.length === 0) return Number.NaN;
    return percentile(
      [...latencies].sort((left, right) => left - right),
      fraction,
    );
  };
}

function doneColumn(samples: SideSamples<QueueSample>, workers: number): string {
  const drains = samples.flat().flatMap((sample) => drainOf(sample, workers) ?? []);
  const fewest = Math.min(...drains.map((drain) => drain.done));
  const jobs = drains[0]?.jobs ?? 0;
  // Only a full drain tells: a cut one may have started jobs it had not completed yet.
  const full = drains.filter((drain) => drain.done === drain.jobs);
  const twice = Math.max(0, ...full.map((drain) => drain.handled - drain.done));
  const done = fewest >= jobs ? "all" : `${formatCount(fewest)} of ${formatCount(jobs)} (cut)`;
  return twice > 0 ? `${done}; ${formatCount(twice)} handler starts over done` : done;
}

/** The workers' PostgreSQL backends' CPU per job (queue-server-cpu.ts), or "n/a" when unknown. */
function serverColumn(samples: SideSamples<QueueSample>, workers: number): string {
  const spread = figureOf(
    samples,
    pickDrain(workers, (drain) => (drain.serverCpuMs * 1000) / drain.done),
  );
  return Number.isFinite(spread.median) ? formatSpread(spread, formatCount) : "n/a";
}

/** jobs/s, CPU per job and machine load per side and worker count: median of runs [range]. */
export function throughputTable(
  measured: RotationSamples<QueueSample>,
  rowsOf: readonly { side: string; workers: readonly number[] }[],
): string {
  const rows = rowsOf.flatMap(({ side, workers }) => {
    const samples = samplesOf(measured, side);
    return workers.map((count) => [
      side,
      String(count),
      formatSpread(figureOf(samples, pickDrain(count, drainRate)), formatCount),
      formatSpread(
        figureOf(
          samples,
          pickDrain(count, (drain) => drain.workerCpuUs / drain.done),
        ),
        formatCount,
      ),
      serverColumn(samples, count),
      percent(
        figureOf(
          samples,
          pickDrain(count, (drain) => drain.machineBusy),
        ).median,
      ),
      formatMilliseconds(
        figureOf(
          samples,
          pickDrain(count, (drain) => drain.enqueueMs),
        ).median,
      ),
      doneColumn(samples, count),
    ]);
  });
  return formatTable(
    [
      "side",
      "procs",
      "jobs/s",
      "worker CPU µs/job",
      "server CPU µs/job",
      "cores busy",
      "enqueue ms",
      "completed",
    ],
    rows,
  );
}

/** Idle pickup latency per side: p50 and p99 over each round's samples, then over runs. */
export function idleTable(
  measured: RotationSamples<QueueSample>,
  sides: readonly string[],
): string {
  const rows = sides.map((side) => {
    const samples = samplesOf(measured, side);
    const counts = samples.flat().map((sample) => sample.idle?.latenciesMs.length ?? 0);
    const timeouts = samples.flat().reduce((sum, sample) => sum + (sample.idle?.timeouts ?? 0), 0);
    return [
      side,
      formatSpread(figureOf(samples, idlePercentile(0.5)), formatMilliseconds),
      formatSpread(figureOf(samples, idlePercentile(0.99)), formatMilliseconds),
      formatMilliseconds(figureOf(samples, idlePercentile(1)).median),
      formatMilliseconds(
        figureOf(samples, (sample) => {
          const enqueue = sample.idle?.enqueueMs ?? [];
          return percentile(
            [...enqueue].sort((left, right) => left - right),
            0.5,
          );
        }).median,
      ),
      `${Math.min(...counts)}–${Math.max(...counts)}${timeouts > 0 ? `, ${timeouts} timed out` : ""}`,
    ];
  });
  return formatTable(
    ["side", "p50 ms", "p99 ms", "max ms", "enqueue p50 ms", "samples per round"],
    rows,
  );
}

/** The figure of one side at `workers`, for the lines under the tables. */
export function rateOf(
  measured: RotationSamples<QueueSample>,
  side: string,
  workers: number,
): Spread {
  return figureOf(samplesOf(measured, side), pickDrain(workers, drainRate));
}

export function idleP99Of(measured: RotationSamples<QueueSample>, side: string): Spread {
  return figureOf(samplesOf(measured, side), idlePercentile(0.99));
}

/** Verdict lines for Orkestra's side against issue 10's targets, when it was measured. */
export function targetLines(measured: RotationSamples<QueueSample>): string[] {
  const { ours, reference, workers } = QUEUE_TARGETS;
  if (!measured.sides.includes(ours)) return [];
  const rate = rateOf(measured, ours, workers);
  const lines = [
    `${ours}, ${workers} processes: ${formatSpread(rate, formatCount)} jobs/s; target ≥ ` +
      `${formatCount(QUEUE_TARGETS.jobsPerSecond)}: ` +
      verdict(rate, (value) => value >= QUEUE_TARGETS.jobsPerSecond),
  ];
  if (measured.sides.includes(reference)) {
    const ratio = ratioOf(
      samplesOf(measured, ours),
      samplesOf(measured, reference),
      pickDrain(workers, drainRate),
    );
    lines.push(
      `${ours} / ${reference} jobs/s (paired by round): ${formatSpread(ratio, formatRatio)}; ` +
        `target ≥ 1×: ${verdict(ratio, (value) => value >= 1)}`,
    );
  }
  const p99 = idleP99Of(measured, ours);
  lines.push(
    `${ours} idle pickup p99: ${formatSpread(p99, formatMilliseconds)} ms; target ≤ ` +
      `${QUEUE_TARGETS.idleP99Ms} ms: ${verdict(p99, (value) => value <= QUEUE_TARGETS.idleP99Ms)}`,
  );
  return lines;
}
