/**
 * Start-up: the wall time of `orkestra` commands from spawn to exit, against a bare start of
 * the same Node (`node -e 0`) in the same round. Commands run one at a time, in an order that
 * rotates every round, with a clean environment (no provider keys, no ORKESTRA_*, no
 * NODE_OPTIONS, no TTY). The targets are wall time; the CPU the command and its children used
 * (Linux, 10 ms steps) is shown beside it, as it moves less with the machine's load. `bin/orkestra.js` runs the compiled dist/, so dist/ is built first
 * (`npm run build`): the figures are those of the source as it is.
 *
 * BENCH_RUNS (3), STARTUP_ROUNDS (2) per run, BENCH_SIDES (a comma list of command names).
 *
 *   node --import tsx bench/startup.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitedChildrenCpuMs } from "./children-cpu.js";
import { envNumber } from "./env-number.js";
import {
  formatDifference,
  formatMilliseconds,
  formatRatio,
  formatSpread,
  formatTable,
} from "./format-table.js";
import { benchHeader, loadAverage } from "./harness/bench-header.js";
import { measureSides, samplesOf } from "./harness/measure-sides.js";
import { differenceOf, figureOf, ratioOf, type Spread } from "./harness/spread.js";
import { verdict } from "./harness/verdict.js";
import { type StartupCommand, startupCommands } from "./startup-commands.js";

/** Issue 7: `--version` and `--help` at most 3× a bare `node -e 0`; `ask` under 0.4 s. */
const RATIO_TARGET = 3;
const ASK_TARGET_MS = 400;
const BASELINE = "node -e 0";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = envNumber("BENCH_RUNS", 3);
const rounds = envNumber("STARTUP_ROUNDS", 2);

/**
 * The environment of a user's shell without keys or overrides: none of this benchmark's own,
 * and none of what `npm run` adds (node_modules/.bin first on PATH, npm_* variables), so
 * `bin/orkestra.js` finds the node a user's PATH has and `npx` starts as it would from a shell.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /_API_KEY$|^ORKESTRA_|^NODE_OPTIONS$|^LOG_LEVEL$|^WORKSPACE_DIR$|^npm_|^INIT_CWD$/i.test(key)
    ) {
      continue;
    }
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => !/node_modules[\\/]\.bin$|node-gyp-bin$/.test(entry))
    .join(delimiter);
  return env;
}

/** One start of one command: wall time from spawn to exit, and the CPU it and its children used. */
interface StartupSample {
  wallMs: number;
  cpuMs: number;
}

function start(command: StartupCommand, env: NodeJS.ProcessEnv): StartupSample {
  const cpuBefore = waitedChildrenCpuMs();
  const startedAt = performance.now();
  const result = spawnSync(command.file, command.args, {
    cwd: command.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const elapsed = performance.now() - startedAt;
  const cpuMs = waitedChildrenCpuMs() - cpuBefore;
  if (result.status !== 0) {
    throw new Error(
      `${command.name} failed (exit ${result.status ?? result.signal}) in ${command.cwd}:\n${result.stderr || result.stdout || String(result.error)}`,
    );
  }
  return { wallMs: elapsed, cpuMs };
}

console.log(
  benchHeader(
    "start-up: wall time of orkestra commands from spawn to exit",
    "node --import tsx bench/startup.ts",
  ),
);
const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) {
  throw new Error(`npm run build failed; the start-up figures need dist/:\n${build.stderr}`);
}
const askDirectory = await mkdtemp(join(tmpdir(), "orkestra-startup-"));
try {
  await writeFile(
    join(askDirectory, "orkestra.yaml"),
    "models:\n  sim:\n    provider: simulated\n    latencyMs: [0, 0]\n",
  );
  const env = cleanEnvironment();
  const all = startupCommands(root, askDirectory, env);
  const wanted = process.env.BENCH_SIDES?.split(",").map((name) => name.trim());
  const commands = wanted ? all.filter((command) => wanted.includes(command.name)) : all;
  if (!commands.some((command) => command.name === BASELINE)) {
    throw new Error(`BENCH_SIDES must include "${BASELINE}", the baseline of every ratio`);
  }
  const width = Math.max(...commands.map((command) => command.name.length));
  for (const command of commands) console.log(`  ${command.name.padEnd(width)}  ${command.label}`);
  // Once each, unmeasured: the file cache, npx's own cache, and the ask store's migrations.
  for (const command of commands) start(command, env);

  const byName = new Map(commands.map((command) => [command.name, command]));
  const measured = await measureSides<StartupSample>({
    sides: commands.map((command) => command.name),
    runs,
    rounds,
    startRun: async () => ({
      hosts: [
        {
          measure: async (name) => {
            const command = byName.get(name);
            if (!command) throw new Error(`unknown command ${name}`);
            return start(command, env);
          },
        },
      ],
      close: async () => {},
    }),
  });

  const of = (name: string) => samplesOf(measured, name);
  const value = (sample: StartupSample): number => sample.wallMs;
  const cpu = (sample: StartupSample): number => sample.cpuMs;
  const ms = (spread: Spread) => formatSpread(spread, formatMilliseconds);
  console.log(
    `\n${runs} runs × ${rounds} rounds, every command once per round, one at a time; ` +
      "cells: median of the runs [lowest run, highest run], each run the median of its rounds; " +
      `ratios paired by round with ${BASELINE}`,
  );
  console.log(
    formatTable(
      ["command", "wall ms", `wall × ${BASELINE}`, "CPU ms", `CPU × ${BASELINE}`],
      commands.map((command) => {
        const baseline = command.name === BASELINE;
        return [
          command.name,
          ms(figureOf(of(command.name), value)),
          baseline ? "" : formatSpread(ratioOf(of(command.name), of(BASELINE), value), formatRatio),
          ms(figureOf(of(command.name), cpu)),
          baseline ? "" : formatSpread(ratioOf(of(command.name), of(BASELINE), cpu), formatRatio),
        ];
      }),
    ),
  );

  const judged = (name: string): Spread | undefined =>
    byName.has(name) ? ratioOf(of(name), of(BASELINE), value) : undefined;
  console.log("");
  for (const name of ["node bin/orkestra.js --version", "node bin/orkestra.js --help"]) {
    const spread = judged(name);
    if (!spread) continue;
    console.log(
      `${name}: ${formatSpread(spread, formatRatio)} ${BASELINE}; target ≤ ${RATIO_TARGET}×: ` +
        verdict(spread, (ratio) => ratio <= RATIO_TARGET),
    );
  }
  if (byName.has("node bin/orkestra.js ask")) {
    const ask = figureOf(of("node bin/orkestra.js ask"), value);
    console.log(
      `node bin/orkestra.js ask (simulated, 0 ms): ${ms(ask)} ms wall; target < ${ASK_TARGET_MS} ms: ` +
        verdict(ask, (wall) => wall < ASK_TARGET_MS),
    );
  }
  const extra = (name: string, than: string): void => {
    if (!byName.has(name) || !byName.has(than)) return;
    const spread = differenceOf(of(name), of(than), value);
    console.log(
      `${name} costs ${formatSpread(spread, formatDifference)} ms more than ${than} (paired by round)`,
    );
  };
  extra("npx orkestra --version", "bin/orkestra.js --version");
  extra("bin/orkestra.js --version", "node bin/orkestra.js --version");
  console.log(`load average at the end ${loadAverage()}`);
} finally {
  await rm(askDirectory, { recursive: true, force: true });
}
