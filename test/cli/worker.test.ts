import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findRun } from "../../src/engine/store/run-records.js";
import { addTasks } from "../../src/queue/tasks/add-tasks.js";
import { listTasks, showTask } from "../../src/queue/tasks/read-tasks.js";
import { listWorkers } from "../../src/queue/worker/worker-registry.js";
import type { Store } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import { waitUntil } from "../queue/processes/process-harness.js";
import {
  makeWorkspace,
  parseJson,
  repositoryRoot,
  runInProcess,
  type SpawnedCli,
  spawnCli,
  type Workspace,
} from "./cli-harness.js";

/** `orkestra worker` and `orkestra run --detach` on the workspace's SQLite store. */

let made: Workspace;
let store: Store;
let spawned: SpawnedCli[] = [];

const GATE = `name: gate
steps:
  review: { approval: { title: "Ship it?", prompt: "Ship it?" } }
  after: { prompt: "Say done", model: sim, needs: [review] }
`;
const TINY = "name: tiny\nsteps:\n  answer: { prompt: Say hello, model: sim }\n";
const INPUTS = `name: greet
inputs:
  who: { type: string }
steps:
  answer: { prompt: "Say hello to {{ inputs.who }}", model: sim }
`;

/** A workflow module with one code step that takes `ms` and listens to its signal. */
function slowStep(ms: number): string {
  const index = pathToFileURL(join(repositoryRoot, "dist", "bundle", "index.js")).href;
  return `import { workflow } from ${JSON.stringify(index)};
export default workflow("slow")
  .step("wait", {
    run: (context) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve("waited"), ${ms});
      context.signal.addEventListener("abort", () => { clearTimeout(timer); reject(context.signal.reason); });
    }),
  })
  .build();
`;
}

beforeAll(async () => {
  made = await makeWorkspace({
    models: { sim: { provider: "simulated", latencyMs: 1 } },
    agents: {
      writer: { model: "sim", capabilities: ["write"] },
      reviewer: { model: "sim", capabilities: ["review"], role: "You review." },
    },
  });
  await writeFile(join(made.dir, "gate.yaml"), GATE);
  await writeFile(join(made.dir, "tiny.yaml"), TINY);
  await writeFile(join(made.dir, "greet.yaml"), INPUTS);
  await writeFile(join(made.dir, "slow.mjs"), slowStep(3_000));
  // Make the store (and its tables) once, so the test can look into it.
  await runInProcess(["runs"], { cwd: made.dir });
  store = await openOrkestraStore(`sqlite:${made.storeFile}`);
});

afterAll(async () => {
  await store.close();
  await made.remove();
});

afterEach(async () => {
  for (const each of spawned) {
    if (each.child.exitCode === null && each.child.signalCode === null) each.child.kill("SIGKILL");
  }
  await Promise.all(spawned.map((each) => each.done.catch(() => undefined)));
  spawned = [];
});

function spawnWorker(args: readonly string[]): SpawnedCli {
  const worker = spawnCli(["worker", "--poll", "100ms", ...args], {
    cwd: made.dir,
    env: { LOG_LEVEL: "info", LOG_FORMAT: "json" },
  });
  spawned.push(worker);
  return worker;
}

async function detach(
  file: string,
  extra: string[] = [],
): Promise<{ runId: string; taskId: string }> {
  const run = await runInProcess(["--json", "run", file, "--detach", ...extra], { cwd: made.dir });
  expect(run.code, run.stderr).toBe(0);
  return parseJson(run) as { runId: string; taskId: string };
}

async function workOnce(...extra: string[]) {
  const run = await runInProcess(["--json", "worker", "--once", "--poll", "100ms", ...extra], {
    cwd: made.dir,
  });
  expect(run.code, run.stderr).toBe(0);
  return parseJson(run) as { success: boolean; worker: Record<string, unknown> };
}

describe("orkestra worker: bad flags", () => {
  it.each([
    [["--concurrency", "0"], "--concurrency: expected a positive whole number"],
    [["--lease", "100ms"], "--lease: 100ms is shorter than 300ms"],
    [["--grace", "30"], '--grace: "30" has no unit'],
    [["--queues", "a,b c"], '--queues: "b c" is not a name'],
    [["--agents", "writr"], '--agents: no agent "writr" is configured (did you mean "writer"?)'],
    [["--processes", "65"], "--processes: 65 is more than 64"],
  ])("%j is refused with exit 2", async (flags, message) => {
    const run = await runInProcess(["worker", ...flags], { cwd: made.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("orkestra run --detach", () => {
  it("queues the run with its workflow task and prints its id; nothing runs", async () => {
    const { runId, taskId } = await detach("tiny.yaml");
    expect((await findRun(store, runId))?.status).toBe("queued");
    expect((await showTask(store, taskId))?.task).toMatchObject({
      kind: "workflow",
      queue: "workflows",
      status: "ready",
      payload: { runId },
    });
    const human = await runInProcess(["run", "tiny.yaml", "--detach", "--queue", "nightly"], {
      cwd: made.dir,
    });
    expect(human.code).toBe(0);
    const printed = human.stdout.trim();
    expect((await findRun(store, printed))?.status).toBe("queued");
    expect(human.stderr).toContain(`orkestra show ${printed}`);
    expect((await listTasks(store, { queue: "nightly" })).map((task) => task.payload)).toEqual([
      { runId: printed },
    ]);
  });

  it("refuses bad input before anything is queued", async () => {
    const before = (await listTasks(store, { limit: 1000 })).length;
    const missing = await runInProcess(["run", "greet.yaml", "--detach"], { cwd: made.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("who");
    const both = await runInProcess(["run", "tiny.yaml", "--detach", "--wait"], { cwd: made.dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--detach and --wait do not go together");
    const queue = await runInProcess(["run", "tiny.yaml", "--detach", "--queue", "no way"], {
      cwd: made.dir,
    });
    expect(queue.code).toBe(2);
    expect(queue.stderr).toContain('--queue: "no way" is not a queue name');
    expect((await listTasks(store, { limit: 1000 })).length).toBe(before);
  });
});

describe("orkestra worker --once", () => {
  it("drives detached runs and noop tasks until nothing is left, then prints what it did", async () => {
    const { runId } = await detach("greet.yaml", ["--input", "who=Ada"]);
    await addTasks(store, [{ title: "nothing", kind: "noop" }]);
    const { worker } = await workOnce();
    expect(worker).toMatchObject({ stoppedBy: "idle", failed: 0, released: 0 });
    expect(worker.succeeded).toBeGreaterThanOrEqual(2);
    expect(worker.eventLoopDelayMs).toMatchObject({ max: expect.any(Number) });
    expect((await findRun(store, runId))?.status).toBe("succeeded");
    expect(
      (await listTasks(store, { status: ["ready", "running"] })).filter(
        (task) => task.queue !== "nightly",
      ),
    ).toEqual([]);
  });

  it("gives agent tasks to the best capable agent it serves, and leaves the rest", async () => {
    const [review, write, deploy] = await addTasks(store, [
      { title: "Review the plan", capabilities: ["review"] },
      { title: "Write the plan", capabilities: ["write"] },
      { title: "Deploy it", capabilities: ["deploy"] },
    ]);
    await workOnce("--agents", "reviewer");
    const reviewed = (await showTask(store, review!.id))?.task;
    expect(reviewed).toMatchObject({ status: "succeeded", agent: "reviewer" });
    expect(reviewed?.result).toMatchObject({ model: "sim", text: expect.any(String) });
    expect((await showTask(store, review!.id))?.attempts[0]?.agent).toBe("reviewer");
    // Not for the agents it serves: not claimed at all.
    expect((await showTask(store, write!.id))?.task.status).toBe("ready");
    await workOnce();
    expect((await showTask(store, write!.id))?.task).toMatchObject({
      status: "succeeded",
      agent: "writer",
    });
    // No agent has the capability: it waits.
    expect((await showTask(store, deploy!.id))?.task).toMatchObject({
      status: "ready",
      attempts: 0,
    });
  });

  it("continues a detached run after its approval: approve enqueues the rest", async () => {
    const { runId } = await detach("gate.yaml");
    await workOnce();
    expect((await findRun(store, runId))?.status).toBe("waiting");
    const listed = parseJson(await runInProcess(["--json", "approvals"], { cwd: made.dir })) as {
      approvals: { id: string; runId: string }[];
    };
    const approval = listed.approvals.find((each) => each.runId === runId);
    const approved = await runInProcess(["--json", "approve", approval!.id], { cwd: made.dir });
    expect(approved.code).toBe(0);
    const { continuedBy } = parseJson(approved) as { continuedBy: string };
    expect((await showTask(store, continuedBy))?.task.payload).toEqual({ runId });
    await workOnce();
    expect((await findRun(store, runId))?.status).toBe("succeeded");
  });
});

describe("orkestra worker as a long-running process", () => {
  it("on SIGTERM gives the run back within the grace period and exits 0; another worker finishes it", {
    timeout: 60_000,
  }, async () => {
    const { runId, taskId } = await detach("slow.mjs");
    const worker = spawnWorker(["--grace", "300ms", "--queues", "workflows"]);
    await waitUntil(async () => (await findRun(store, runId))?.status === "running", {
      what: "the run started",
    });
    worker.child.kill("SIGTERM");
    const end = await worker.done;
    expect(end.code, end.stderr).toBe(0);
    expect(end.stderr).toContain("worker:shutdown requested");
    const run = await findRun(store, runId);
    expect(run).toMatchObject({ status: "running", lease_owner: null });
    expect((await showTask(store, taskId))?.attempts.map((each) => each.outcome)).toEqual([
      "released",
    ]);
    await workOnce("--queues", "workflows");
    expect((await findRun(store, runId))?.status).toBe("succeeded");
  });

  it("exits at once on a second signal", { timeout: 60_000 }, async () => {
    const { runId } = await detach("slow.mjs");
    const worker = spawnWorker(["--grace", "1m", "--lease", "1s", "--queues", "workflows"]);
    await waitUntil(async () => (await findRun(store, runId))?.status === "running");
    worker.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 400));
    worker.child.kill("SIGTERM");
    const end = await worker.done;
    expect(end.code).toBe(143);
    expect(end.stderr).toContain("worker:shutdown forced");
    // Nothing was given back: the next worker takes the task when its lease lapses, and the
    // run's lease at once (its holder is a dead process).
    const next = spawnWorker(["--lease", "1s", "--queues", "workflows"]);
    await waitUntil(async () => (await findRun(store, runId))?.status === "succeeded", {
      timeoutMs: 30_000,
    });
    next.child.kill("SIGTERM");
    expect((await next.done).code).toBe(0);
  });

  it("--processes runs a supervisor that restarts a worker that dies and stops them all on SIGTERM", {
    timeout: 60_000,
  }, async () => {
    const supervisor = spawnWorker(["--processes", "2", "--queues", "nothing"]);
    const alive = async () =>
      (await listWorkers(store, { status: ["running"] })).filter((each) =>
        each.queues.includes("nothing"),
      );
    await waitUntil(async () => (await alive()).length === 2, {
      timeoutMs: 30_000,
      what: "two supervised workers",
    });
    const [first] = await alive();
    process.kill(first!.pid, "SIGKILL");
    await waitUntil(
      async () => {
        const now = await alive();
        return (
          now.length === 3 || (now.length >= 2 && !now.some((each) => each.pid === first!.pid))
        );
      },
      { timeoutMs: 30_000, what: "the killed worker restarted" },
    );
    // The killed one is still "running" in the registry until it is marked lost.
    const restarted = (await alive()).filter((each) => each.pid !== first!.pid);
    expect(restarted).toHaveLength(2);
    supervisor.child.kill("SIGTERM");
    const end = await supervisor.done;
    expect(end.code, end.stderr).toBe(0);
    expect(end.stdout).toContain("supervisor stopped: 2 worker processes, 1 restarts");
    expect(end.stderr).toContain("supervisor: a worker died; restarting it");
    for (const each of restarted) expect(() => process.kill(each.pid, 0)).toThrow();
  });
});
