/**
 * Crash soak: the crash test of test/engine/crash.test.ts at many more random points. Children
 * each drive one run of the crash workflow (a diamond of code steps over two iterations, 12
 * commits, every step appending to a side-effect log) and are SIGKILLed after a random number
 * of commits plus a random 0–4 ms: in a step, in a commit, or between them. Then every run is
 * resumed in this process and checked: it succeeds, its final state equals that of an
 * uninterrupted run, and every step attempt that had committed before the resume ran exactly
 * once (the log has one line for it). Exit 1 when any check fails.
 *
 * Not part of `npm run bench` (it checks, it does not measure). Run it with:
 *
 *   node --import tsx bench/crash-soak.ts
 *   SOAK_KILLS=500 SOAK_STORES=postgres node --import tsx bench/crash-soak.ts
 *
 * SOAK_KILLS (200) per store, SOAK_PARALLEL (8) children at once, SOAK_STORES
 * ("sqlite,postgres"), BENCH_POSTGRES_URL (the tests' server).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { engineDb } from "../src/engine/store/engine-db.js";
import { getRun, openOrkestraStore, resumeRun, runWorkflow, type Store } from "../src/index.js";
import { crashWorkflow } from "../test/engine/fixtures/crash-workflow.js";
import { bundleCrashChild, type KilledRun, runAndKill } from "./crash-kill.js";
import { envNumber } from "./env-number.js";
import { benchHeader } from "./harness/bench-header.js";
import { createPostgresSchema, dropPostgresSchema } from "./postgres-schema.js";
import { workflowPostgresUrl } from "./workflow-target.js";

/** Commits per run of the crash workflow: 6 steps × 2 iterations. */
const COMMITS_PER_RUN = 12;
const STORE_NAMES = ["sqlite", "postgres"] as const;
type StoreName = (typeof STORE_NAMES)[number];

const kills = envNumber("SOAK_KILLS", 200);
const parallel = envNumber("SOAK_PARALLEL", 8);
const storeNames = (process.env.SOAK_STORES ?? STORE_NAMES.join(","))
  .split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");
for (const name of storeNames) {
  if (!(STORE_NAMES as readonly string[]).includes(name)) {
    console.error(`SOAK_STORES names unknown store "${name}"; use ${STORE_NAMES.join(", ")}`);
    process.exit(2);
  }
}

interface SoakDatabase {
  url: string;
  drop(): Promise<void>;
}

async function freshDatabase(name: StoreName): Promise<SoakDatabase> {
  if (name === "sqlite") {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-soak-"));
    return {
      url: `sqlite:${join(directory, "store.db")}`,
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const server = workflowPostgresUrl();
  const schema = `soak_${randomBytes(6).toString("hex")}`;
  await createPostgresSchema(server, schema);
  const url = new URL(server);
  url.searchParams.set("schema", schema);
  return { url: url.toString(), drop: () => dropPostgresSchema(server, schema) };
}

interface RunCheck {
  runId: string;
  /** The run had not ended when it was killed, so resume drove it. */
  resumed: boolean;
  committedBeforeResume: number;
  /** Attempts that started in the killed process, never committed, and ran again. */
  reExecuted: number;
  problems: string[];
}

async function checkRun(
  store: Store,
  killed: KilledRun,
  logPath: string,
  expectedState: unknown,
  definition: ReturnType<typeof crashWorkflow>,
): Promise<RunCheck> {
  const db = engineDb(store);
  const problems: string[] = [];
  const committedBefore = await db
    .selectFrom("step_attempts")
    .select(["step_id", "iteration"])
    .where("run_id", "=", killed.runId)
    .where("status", "=", "succeeded")
    .where("commit_seq", "is not", null)
    .execute();
  const before = await getRun(store, killed.runId);
  const resumed = !["succeeded", "failed", "cancelled"].includes(before.status);
  const summary = resumed ? await resumeRun(killed.runId, { store, definition }) : before;
  if (summary.status !== "succeeded") problems.push(`ended ${summary.status}: ${summary.error}`);
  if (!isDeepStrictEqual(summary.state, expectedState)) {
    problems.push(
      `final state ${JSON.stringify(summary.state)} ≠ uninterrupted ${JSON.stringify(expectedState)}`,
    );
  }
  const iterations = summary.iterations.map((entry) => entry.iteration);
  if (!isDeepStrictEqual(iterations, [0, 1])) problems.push(`iterations ${iterations.join(",")}`);

  const lines = (await readFile(logPath, "utf8"))
    .split("\n")
    .filter((line) => line.startsWith(`${killed.runId} `));
  for (const { step_id, iteration } of committedBefore) {
    const executions = lines.filter((line) =>
      line.startsWith(`${killed.runId} ${step_id} ${iteration} `),
    ).length;
    if (executions !== 1) {
      problems.push(`${step_id}@${iteration} had committed but ran ${executions} times`);
    }
  }
  const finalAttempts = await db
    .selectFrom("step_attempts")
    .select(["step_id", "iteration", "attempt"])
    .where("run_id", "=", killed.runId)
    .where("status", "=", "succeeded")
    .execute();
  if (finalAttempts.length !== COMMITS_PER_RUN) {
    problems.push(`${finalAttempts.length} succeeded attempts, not ${COMMITS_PER_RUN}`);
  }
  for (const attempt of finalAttempts) {
    const line = `${killed.runId} ${attempt.step_id} ${attempt.iteration} ${attempt.attempt}`;
    if (!lines.includes(line)) problems.push(`committed attempt without its side effect: ${line}`);
  }
  const stepsRun = new Set(lines.map((line) => line.split(" ").slice(1, 3).join("@")));
  return {
    runId: killed.runId,
    resumed,
    committedBeforeResume: committedBefore.length,
    reExecuted: lines.length - stepsRun.size,
    problems,
  };
}

async function soak(name: StoreName, script: string): Promise<boolean> {
  const database = await freshDatabase(name);
  const logDirectory = await mkdtemp(join(tmpdir(), "orkestra-soak-log-"));
  const logPath = join(logDirectory, "side-effects.log");
  const store = await openOrkestraStore(database.url);
  const startedAt = performance.now();
  try {
    const definition = crashWorkflow(logPath);
    const uninterrupted = await runWorkflow(definition, { store });
    if (uninterrupted.status !== "succeeded") {
      throw new Error(
        `the uninterrupted run ended ${uninterrupted.status}: ${uninterrupted.error}`,
      );
    }
    const killedRuns: KilledRun[] = [];
    for (let first = 0; first < kills; first += parallel) {
      const batch = Array.from({ length: Math.min(parallel, kills - first) }, () =>
        runAndKill(script, database.url, logPath, {
          afterCommits: Math.floor(Math.random() * (COMMITS_PER_RUN - 1)),
          afterMs: Math.random() * 4,
        }),
      );
      killedRuns.push(...(await Promise.all(batch)));
      if (killedRuns.length % 40 < parallel || killedRuns.length === kills) {
        console.log(`  ${name}: ${killedRuns.length} of ${kills} children killed`);
      }
    }
    const checks: RunCheck[] = [];
    for (const killed of killedRuns) {
      checks.push(await checkRun(store, killed, logPath, uninterrupted.state, definition));
    }
    const failed = checks.filter((check) => check.problems.length > 0);
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `${name}: ${killedRuns.length} children killed with SIGKILL ` +
        `(${killedRuns.filter((run) => run.interrupted).length} mid-run, ` +
        `${killedRuns.filter((run) => !run.interrupted).length} ended before the kill landed); ` +
        `${checks.filter((check) => check.resumed).length} runs resumed; ` +
        `${checks.reduce((sum, check) => sum + check.committedBeforeResume, 0)} attempts committed before a resume, each ran exactly once: ` +
        `${failed.length === 0 ? "yes" : "NO"}; ` +
        `${checks.reduce((sum, check) => sum + check.reExecuted, 0)} uncommitted attempts ran again (at-least-once); ` +
        `final state equal to the uninterrupted run's: ${failed.length === 0 ? "all" : `${killedRuns.length - failed.length} of ${killedRuns.length}`} (${seconds} s)`,
    );
    const histogram = Array.from(
      { length: COMMITS_PER_RUN + 1 },
      (_, commits) => checks.filter((check) => check.committedBeforeResume === commits).length,
    );
    console.log(
      `  runs by attempts committed before the resume (0…${COMMITS_PER_RUN}): ${histogram.join(" ")}`,
    );
    for (const check of failed.slice(0, 20)) {
      console.log(`  run ${check.runId}: ${check.problems.join("; ")}`);
    }
    return failed.length === 0;
  } finally {
    await store.close();
    await database.drop();
    await rm(logDirectory, { recursive: true, force: true });
  }
}

console.log(
  benchHeader(
    `crash soak: ${kills} SIGKILLs per store at random points, then resume and check`,
    "node --import tsx bench/crash-soak.ts",
  ),
);
const child = await bundleCrashChild();
let passed = true;
try {
  for (const name of storeNames) passed = (await soak(name as StoreName, child.script)) && passed;
} finally {
  await child.remove();
}
console.log(passed ? "every check passed" : "SOME CHECKS FAILED");
process.exit(passed ? 0 : 1);
