/**
 * Vote counting: `tally` over 10,000 ballots and 10 options, per method. Each ballot has a
 * seeded random full ranking (its first choice as `choice`, its first three as `approvals`,
 * a weight of 1, 1.5 or 2), so every method counts the same electorate. Prints the median of
 * 5 runs, in ms, of CPU time and of wall time, against a 100 ms target per method: counting
 * must never be what a vote waits for next to model calls of seconds. The verdict is on CPU
 * time: on a shared, loaded machine the wall time is mostly waiting for a core.
 *
 * VOTE_BALLOTS (10000), VOTE_OPTIONS (10), BENCH_RUNS (5).
 *
 *   node --import tsx bench/vote-counting.ts
 */
import { type Ballot, tally, VOTING_METHODS } from "../src/consensus/index.js";
import { envNumber } from "./env-number.js";
import { formatMilliseconds, formatTable } from "./format-table.js";
import { benchHeader } from "./harness/bench-header.js";
import { median } from "./stats.js";

const BALLOTS = envNumber("VOTE_BALLOTS", 10_000);
const OPTIONS = envNumber("VOTE_OPTIONS", 10);
const RUNS = envNumber("BENCH_RUNS", 5);
const TARGET_MS = 100;

/** mulberry32: the same electorate on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function electorate(options: readonly string[]): Ballot[] {
  const random = seededRandom(9);
  return Array.from({ length: BALLOTS }, (_, index) => {
    const ranking = [...options];
    for (let last = ranking.length - 1; last > 0; last -= 1) {
      const other = Math.floor(random() * (last + 1));
      [ranking[last], ranking[other]] = [ranking[other] as string, ranking[last] as string];
    }
    return {
      member: `Member ${index + 1}`,
      choice: ranking[0],
      ranking,
      approvals: ranking.slice(0, 3),
      weight: [1, 1.5, 2][index % 3],
    };
  });
}

const options = Array.from({ length: OPTIONS }, (_, index) => `Option ${index + 1}`);
const ballots = electorate(options);
console.log(benchHeader("Vote counting", "node --import tsx bench/vote-counting.ts"));
console.log(
  `${BALLOTS.toLocaleString("en-US")} ballots × ${OPTIONS} options; median of ${RUNS} runs\n`,
);

const rows: string[][] = [];
const missed: string[] = [];
for (const method of VOTING_METHODS) {
  tally(method, ballots, options); // warm-up
  const cpuTimings: number[] = [];
  const wallTimings: number[] = [];
  let result = tally(method, ballots, options);
  for (let run = 0; run < RUNS; run += 1) {
    const cpuAtStart = process.cpuUsage();
    const startedAt = performance.now();
    result = tally(method, ballots, options);
    wallTimings.push(performance.now() - startedAt);
    const cpu = process.cpuUsage(cpuAtStart);
    cpuTimings.push((cpu.user + cpu.system) / 1000);
  }
  const cpuMs = median(cpuTimings);
  if (!(cpuMs <= TARGET_MS)) missed.push(method);
  const outcome = result.winner ?? result.tied?.join(", ") ?? "";
  rows.push([
    method,
    formatMilliseconds(cpuMs),
    formatMilliseconds(median(wallTimings)),
    formatMilliseconds(Math.max(...wallTimings)),
    String(result.rounds.length),
    `${result.status}${outcome === "" ? "" : ` (${outcome})`}`,
  ]);
}
console.log(formatTable(["method", "CPU ms", "wall ms", "slowest wall", "rounds", "result"], rows));
console.log(
  missed.length === 0
    ? `\ntarget met: every method counts in under ${TARGET_MS} ms of CPU`
    : `\nTARGET MISSED (${TARGET_MS} ms of CPU): ${missed.join(", ")}`,
);
