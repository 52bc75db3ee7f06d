/**
 * The price of the abort signals a gateway call sets up, without any HTTP: the pattern the
 * gateway uses (AbortSignal.timeout for the deadline and for the attempt, joined by
 * AbortSignal.any, plus the caller's signal when given) against one AbortController per
 * attempt whose single timer is cleared when the attempt ends. Each "call" keeps its signals
 * alive across a turn of the event loop, SIGNAL_IN_FLIGHT (256) at once. Each pattern runs in
 * its own process (see `signal-patterns.ts`), so memory one of them keeps alive slows only its
 * own collections; patterns alternate, and figures are medians of SIGNAL_ROUNDS (5) runs of
 * SIGNAL_CALLS (50000) calls.
 *
 *   node --import tsx bench/abort-signals.ts
 */
import { fork } from "node:child_process";
import { envNumber } from "./env-number.js";
import { formatDifference, formatMicroseconds, formatRatio, formatTable } from "./format-table.js";
import { PATTERN_NAMES, type PatternName, type PatternRun } from "./signal-patterns.js";
import { median } from "./stats.js";

const calls = envNumber("SIGNAL_CALLS", 50_000);
const rounds = envNumber("SIGNAL_ROUNDS", 5);
const inFlight = envNumber("SIGNAL_IN_FLIGHT", 256);

interface PatternProcess {
  name: PatternName;
  run(): Promise<PatternRun>;
  close(): void;
}

function startPattern(name: PatternName): PatternProcess {
  const child = fork(new URL("./signal-patterns.ts", import.meta.url), {
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: { ...process.env, SIGNAL_PATTERN: name },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    name,
    run: () =>
      new Promise((resolve, reject) => {
        child.once("message", (message: PatternRun) => resolve(message));
        child.once("error", reject);
        child.send({ calls, inFlight });
      }),
    close: () => child.disconnect(),
  };
}

const processes = PATTERN_NAMES.map(startPattern);
const results = new Map<PatternName, PatternRun[]>(PATTERN_NAMES.map((name) => [name, []]));
try {
  for (const pattern of processes) await pattern.run();
  for (let round = 0; round < rounds; round += 1) {
    for (let offset = 0; offset < processes.length; offset += 1) {
      const pattern = processes[(round + offset) % processes.length];
      if (pattern) results.get(pattern.name)?.push(await pattern.run());
    }
  }
} finally {
  for (const pattern of processes) pattern.close();
}

const of = (name: PatternName, pick: (run: PatternRun) => number): number =>
  median((results.get(name) ?? []).map(pick));
const cpu = (name: PatternName): number => of(name, (run) => run.cpuUs / run.calls);
const loopOnly = cpu("no signal (loop only)");
const heapGrowth = (name: PatternName): number => {
  const runs = results.get(name) ?? [];
  const first = runs[0];
  const last = runs.at(-1);
  if (!first || !last) return Number.NaN;
  const callsBetween = runs.slice(1).reduce((sum, run) => sum + run.calls, 0);
  return (last.heapUsedBytes - first.heapUsedBytes) / callsBetween;
};

console.log(
  `abort signals: ${calls} calls per run, ${inFlight} in flight, ${rounds} rounds (median), ` +
    `one process per pattern; Node ${process.version}`,
);
console.log(
  formatTable(
    ["pattern", "CPU µs/call", "GC µs/call", "signals µs/call", "vs today", "kept alive B/call"],
    PATTERN_NAMES.map((name) => {
      const today = name.includes("caller") ? "timeout+any, caller signal" : "timeout+any (today)";
      return [
        name,
        formatMicroseconds(cpu(name)),
        formatMicroseconds(of(name, (run) => (run.gcMs * 1000) / run.calls)),
        formatDifference(cpu(name) - loopOnly),
        name === "no signal (loop only)"
          ? ""
          : formatRatio((cpu(name) - loopOnly) / (cpu(today) - loopOnly)),
        Math.round(heapGrowth(name)).toLocaleString("en-US"),
      ];
    }),
  ),
);
console.log(
  "kept alive: heap growth per call between the first and the last round, after full collections; " +
    "AbortSignal.timeout signals passed to AbortSignal.any stay referenced until their timers fire",
);
