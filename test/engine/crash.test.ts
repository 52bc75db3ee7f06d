import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { resumeRun, runWorkflow } from "../../src/engine/index.js";
import { engineDb } from "../../src/engine/store/engine-db.js";
import { describeEachStore } from "../helpers/stores.js";
import { bundleChildScript } from "../support/bundle-child-script.js";
import { crashWorkflow } from "./fixtures/crash-workflow.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
/** Kills per backend; with both backends the suite kills at least 20 runs at random points. */
const KILLS = 10;
/** Step commits of one run of the crash workflow (6 steps, 2 iterations). */
const STEP_COMMITS = 12;
let childScript: string;

beforeAll(async () => {
  const bundled = await bundleChildScript(join(here, "fixtures", "crash-child.ts"));
  childScript = bundled.script;
  return bundled.remove;
});

interface KilledRun {
  runId: string;
  /** False when the run ended before the kill landed. */
  interrupted: boolean;
}

/**
 * Starts a child driving one run and SIGKILLs it `afterMs` after its `afterCommits`-th commit
 * (0: after the run started): anywhere in a step, in a commit, or between them.
 */
function runAndKill(
  url: string,
  logPath: string,
  afterCommits: number,
  afterMs: number,
): Promise<KilledRun> {
  const child: ChildProcess = spawn(process.execPath, [childScript, url, logPath], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let runId: string | undefined;
    let exited = false;
    let armed = false;
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^run (\S+)$/m.exec(stdout);
      if (match) runId = match[1] as string;
      const commits = stdout.split("\n").filter((line) => line.startsWith("committed ")).length;
      if (runId && !armed && commits >= afterCommits) {
        armed = true;
        setTimeout(() => {
          if (!exited) child.kill("SIGKILL");
        }, afterMs);
      }
    });
    child.on("exit", (_code, signal) => {
      exited = true;
      if (!runId) reject(new Error(`the child ended before its run started: ${stderr}`));
      else resolve({ runId, interrupted: signal === "SIGKILL" });
    });
  });
}

describeEachStore("crash and resume", (fixture) => {
  it(`runs killed with SIGKILL at ${KILLS} random points resume to the uninterrupted state; committed steps ran exactly once`, {
    timeout: 120_000,
  }, async () => {
    const logDirectory = await mkdtemp(join(tmpdir(), "orkestra-crash-"));
    const logPath = join(logDirectory, "side-effects.log");
    const definition = crashWorkflow(logPath);
    const uninterrupted = await runWorkflow(definition, { store: fixture.store });
    expect(uninterrupted.status).toBe("succeeded");

    // Kill i lands after a random number of commits in the i-th tenth of the run (0 to 11, so
    // every step and both iterations' ends are in range), a few ms later.
    const killed = await Promise.all(
      Array.from({ length: KILLS }, (_, index) =>
        runAndKill(
          fixture.url,
          logPath,
          Math.floor(((index + Math.random()) * STEP_COMMITS) / KILLS),
          Math.random() * 4,
        ),
      ),
    );
    expect(killed.filter((run) => run.interrupted)).toHaveLength(KILLS);

    const db = engineDb(fixture.store);
    const committedBeforeResume = await Promise.all(
      killed.map(({ runId }) =>
        db
          .selectFrom("step_attempts")
          .select(["step_id", "iteration"])
          .where("run_id", "=", runId)
          .where("status", "=", "succeeded")
          .where("commit_seq", "is not", null)
          .execute(),
      ),
    );
    // All at once, as many `orkestra resume` would: each takes the lease of a dead process.
    const resumed = await Promise.all(
      killed.map(({ runId }) => resumeRun(runId, { store: fixture.store, definition })),
    );
    const log = (await readFile(logPath, "utf8")).split("\n");

    for (const [index, { runId }] of killed.entries()) {
      const summary = resumed[index];
      expect(summary?.status).toBe("succeeded");
      expect(summary?.state).toEqual(uninterrupted.state);
      expect(summary?.iterations.map((entry) => entry.iteration)).toEqual([0, 1]);

      const lines = log.filter((line) => line.startsWith(`${runId} `));
      for (const { step_id, iteration } of committedBeforeResume[index] ?? []) {
        const executions = lines.filter((line) =>
          line.startsWith(`${runId} ${step_id} ${iteration} `),
        );
        expect(executions, `${step_id}@${iteration} had committed: it ran once`).toHaveLength(1);
      }
      const finalAttempts = await db
        .selectFrom("step_attempts")
        .select(["step_id", "iteration", "attempt"])
        .where("run_id", "=", runId)
        .where("status", "=", "succeeded")
        .execute();
      expect(finalAttempts).toHaveLength(STEP_COMMITS);
      for (const attempt of finalAttempts) {
        expect(lines).toContain(
          `${runId} ${attempt.step_id} ${attempt.iteration} ${attempt.attempt}`,
        );
      }
    }
    await rm(logDirectory, { recursive: true, force: true });
  });
});
