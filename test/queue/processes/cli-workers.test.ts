import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { engineDb } from "../../../src/engine/store/engine-db.js";
import { findRun } from "../../../src/engine/store/run-records.js";
import { listFiredTicks } from "../../../src/queue/schedules/index.js";
import { showTask } from "../../../src/queue/tasks/read-tasks.js";
import {
  makeWorkspace,
  parseJson,
  repositoryRoot,
  runCli,
  type SpawnedCli,
  spawnCli,
  type Workspace,
} from "../../cli/cli-harness.js";
import { describeEachStore } from "../../helpers/stores.js";
import { waitUntil } from "./process-harness.js";

/**
 * `orkestra worker` itself, built (dist/) and started as real processes: a detached workflow
 * run survives the SIGKILL of the worker driving it, and schedules fire each tick once.
 */

let workspace: Workspace | undefined;
let workers: SpawnedCli[] = [];

afterEach(async () => {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null)
      worker.child.kill("SIGKILL");
  }
  await Promise.all(workers.map((worker) => worker.done.catch(() => undefined)));
  workers = [];
  await workspace?.remove();
  workspace = undefined;
});

function startWorkers(count: number, args: readonly string[]): SpawnedCli[] {
  const started = Array.from({ length: count }, () =>
    spawnCli(["worker", "--poll", "100ms", ...args], {
      cwd: (workspace as Workspace).dir,
      env: { LOG_LEVEL: "warn" },
    }),
  );
  workers.push(...started);
  return started;
}

/**
 * A workflow module whose code steps append `<run> <step> <iteration> <attempt>` to a log,
 * then take 300 ms: a diamond a → (b, c) → d.
 */
function stepLogWorkflow(logPath: string): string {
  const index = pathToFileURL(join(repositoryRoot, "dist", "bundle", "index.js")).href;
  return `import { appendFileSync } from "node:fs";
import { workflow } from ${JSON.stringify(index)};

const step = (id) => async (context) => {
  appendFileSync(${JSON.stringify(logPath)}, \`\${context.runId} \${id} \${context.iteration} \${context.attempt}\\n\`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return id;
};

export default workflow("diamond")
  .step("a", { run: step("a") })
  .step("b", { needs: ["a"], run: step("b") })
  .step("c", { needs: ["a"], run: step("c") })
  .step("d", { needs: ["b", "c"], run: step("d") })
  .build();
`;
}

describeEachStore("orkestra worker processes", (fixture) => {
  it("a detached run whose worker is SIGKILLed mid-step finishes on another; committed steps ran once", {
    timeout: 60_000,
  }, async () => {
    workspace = await makeWorkspace({ store: fixture.url });
    const logPath = join(workspace.dir, "steps.log");
    await writeFile(join(workspace.dir, "diamond.mjs"), stepLogWorkflow(logPath));
    const detached = await runCli(["--json", "run", "diamond.mjs", "--detach"], {
      cwd: workspace.dir,
    });
    expect(detached.code, detached.stderr).toBe(0);
    const { runId, taskId } = parseJson(detached) as { runId: string; taskId: string };

    const pool = startWorkers(2, ["--lease", "1s", "--queues", "workflows"]);
    // Kill the worker driving the run once a step has committed and another is in flight.
    const db = engineDb(fixture.store);
    let driver: number | undefined;
    await waitUntil(
      async () => {
        const owner = (await findRun(fixture.store, runId))?.lease_owner;
        const attempts = await db
          .selectFrom("step_attempts")
          .select(["commit_seq"])
          .where("run_id", "=", runId)
          .execute();
        const committed = attempts.filter((each) => each.commit_seq !== null).length;
        driver = owner ? Number(owner.split(":")[1]) : undefined;
        return driver !== undefined && committed >= 1 && attempts.length > committed;
      },
      { timeoutMs: 30_000, intervalMs: 20, what: "a step committed and one in flight" },
    );
    const victim = pool.find((worker) => worker.child.pid === driver) as SpawnedCli;
    expect(victim).toBeDefined();
    const committedBeforeKill = await db
      .selectFrom("step_attempts")
      .select("step_id")
      .where("run_id", "=", runId)
      .where("commit_seq", "is not", null)
      .execute();
    victim.child.kill("SIGKILL");

    await waitUntil(async () => (await findRun(fixture.store, runId))?.status === "succeeded", {
      timeoutMs: 30_000,
      what: "the run succeeded on the other worker",
    });
    const log = (await readFile(logPath, "utf8")).trim().split("\n");
    for (const { step_id } of committedBeforeKill) {
      expect(log.filter((line) => line.startsWith(`${runId} ${step_id} `))).toHaveLength(1);
    }
    // Each step ran once, or twice when the kill cut it short.
    for (const step of ["a", "b", "c", "d"]) {
      const runs = log.filter((line) => line.startsWith(`${runId} ${step} `)).length;
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(2);
    }
    const final = await db
      .selectFrom("step_attempts")
      .select(["step_id", "attempt"])
      .where("run_id", "=", runId)
      .where("status", "=", "succeeded")
      .execute();
    expect(final.map((each) => each.step_id).sort()).toEqual(["a", "b", "c", "d"]);
    for (const each of final) expect(log).toContain(`${runId} ${each.step_id} 0 ${each.attempt}`);

    const attempts = (await showTask(fixture.store, taskId))?.attempts ?? [];
    expect(attempts[0]?.outcome).toBe("lost");
    expect(attempts.at(-1)).toMatchObject({ outcome: "succeeded" });
    expect(attempts.at(-1)?.worker).not.toBe(attempts[0]?.worker);
    const survivor = pool.find((worker) => worker !== victim) as SpawnedCli;
    survivor.child.kill("SIGTERM");
    expect((await survivor.done).code).toBe(0);
  });

  it("a one-second cron over five seconds, across several workers: each tick enqueued once", {
    timeout: 60_000,
  }, async () => {
    workspace = await makeWorkspace({
      store: fixture.url,
      models: { sim: { provider: "simulated", latencyMs: 1 } },
      schedules: {
        tick: { cron: "* * * * * *", task: { title: "ping", queue: "ticks" } },
        flow: { cron: "*/2 * * * * *", workflow: "hello.yaml" },
      },
    });
    await writeFile(
      join(workspace.dir, "hello.yaml"),
      "name: hello\nsteps:\n  answer: { prompt: Say hello, model: sim }\n",
    );
    const pool = startWorkers(fixture.dialect === "postgres" ? 3 : 2, [
      "--queues",
      "default,workflows",
    ]);
    // Five ticks after the first that fired.
    await waitUntil(
      async () => (await listFiredTicks(fixture.store, { schedule: "tick" })).length >= 6,
      {
        timeoutMs: 30_000,
        what: "six ticks",
      },
    );
    for (const worker of pool) worker.child.kill("SIGTERM");
    for (const end of await Promise.all(pool.map((worker) => worker.done)))
      expect(end.code, end.stderr).toBe(0);

    const ticks = await listFiredTicks(fixture.store, { schedule: "tick" });
    const times = ticks.map((tick) => tick.tickAt);
    expect(new Set(times).size).toBe(times.length);
    for (let index = 1; index < times.length; index += 1)
      expect((times[index] as number) - (times[index - 1] as number)).toBe(1_000);
    const { rows: tasks } = await sql<{ id: string; idempotency_key: string }>`
      select id, idempotency_key from tasks where queue = 'ticks'`.execute(fixture.store.db);
    expect(tasks).toHaveLength(ticks.length);
    expect(new Map(tasks.map((task) => [task.id, task.idempotency_key]))).toEqual(
      new Map(ticks.map((tick) => [tick.targetId, `schedule:tick:${tick.tickAt}`])),
    );
    // The workflow schedule: one run per tick, driven by the workers.
    const flows = await listFiredTicks(fixture.store, { schedule: "flow" });
    expect(flows.length).toBeGreaterThanOrEqual(2);
    const runs = await engineDb(fixture.store)
      .selectFrom("runs")
      .select(["id", "status"])
      .execute();
    expect(runs.map((run) => run.id).sort()).toEqual(flows.map((tick) => tick.targetId).sort());
    // Each ran on a worker, but one enqueued as the workers stopped.
    expect(runs.filter((run) => run.status === "succeeded").length).toBeGreaterThanOrEqual(1);
    expect(runs.filter((run) => run.status !== "succeeded").length).toBeLessThanOrEqual(1);
  });
});
