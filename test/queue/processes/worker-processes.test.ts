import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { addTasks } from "../../../src/queue/tasks/add-tasks.js";
import { showTask } from "../../../src/queue/tasks/read-tasks.js";
import type { TaskSpec } from "../../../src/queue/tasks/task-types.js";
import type { Store } from "../../../src/store/index.js";
import { describeEachStore } from "../../helpers/stores.js";
import { waitFor } from "../../support/wait-for.js";
import {
  bundleEffectWorker,
  completionCount,
  createEffectTables,
  killAll,
  servedOf,
  startEffectWorkers,
  statusCounts,
  stopAll,
  taskCompletions,
  taskStarts,
  type WorkerProcess,
  waitForWorkers,
  waitUntil,
} from "./process-harness.js";

/**
 * Real worker processes (the runtime of `orkestra worker`, with a handler whose side effects
 * land in tables with unique keys) against one store: PostgreSQL with 4 processes, SQLite
 * with 2 on one file.
 */

let script: string;
let removeBundle: () => Promise<void>;
let started: WorkerProcess[] = [];

beforeAll(async () => {
  ({ script, remove: removeBundle } = await bundleEffectWorker());
});
afterAll(() => removeBundle());
afterEach(() => {
  killAll(started);
  started = [];
});

function start(url: string, count: number, settings: Parameters<typeof startEffectWorkers>[3]) {
  const processes = startEffectWorkers(script, url, count, settings);
  started.push(...processes);
  return processes;
}

async function allSucceeded(store: Store, count: number, timeoutMs = 60_000): Promise<void> {
  await waitUntil(async () => (await statusCounts(store)).succeeded === count, {
    timeoutMs,
    intervalMs: count > 500 ? 250 : 50,
    what: `${count} tasks succeeded`,
  });
}

/**
 * Every attempt: the rows of task_attempts, and the successful ones, which are recorded on
 * their tasks instead (`succeeded_by`).
 */
const ALL_ATTEMPTS = sql`(
  select task_id, attempt, worker, outcome, started_at from task_attempts
  union all
  select id, fencing_token, succeeded_by, 'succeeded', started_at from tasks
  where succeeded_by is not null
) as attempts`;

/** Attempts of every task by outcome. */
async function attemptOutcomes(store: Store): Promise<Record<string, number>> {
  const { rows } = await sql<{ outcome: string | null; n: number }>`
    select outcome, count(*) as n from ${ALL_ATTEMPTS} group by outcome`.execute(store.db);
  return Object.fromEntries(rows.map((row) => [String(row.outcome), Number(row.n)]));
}

/**
 * Each task's first start's place in start order (the handler logs it first thing, payload
 * `logStart`). Attempt rows are written when an attempt ends, so they give completion order;
 * a start follows its claim at once, up to one claim batch per process apart.
 */
async function claimSequence(store: Store): Promise<Map<string, number>> {
  const starts = await taskStarts(store);
  const order = new Map<string, number>();
  for (const start of starts) if (start.attempt === 1) order.set(start.task_id, start.seq);
  return order;
}

describeEachStore("worker processes", (fixture) => {
  const postgres = () => fixture.dialect === "postgres";

  it("every task completes exactly once, in priority order, after its dependencies", {
    timeout: 90_000,
  }, async () => {
    const processes = postgres() ? 4 : 2;
    const total = postgres() ? 5_000 : 2_000;
    const concurrency = 8;
    await createEffectTables(fixture.store);
    // Nine in ten stand alone with one of four priorities; every tenth is in a chain of five,
    // each link needing the one before.
    const specs: TaskSpec[] = Array.from({ length: total }, (_, index) =>
      index % 10 === 9
        ? {
            key: `c${index}`,
            title: `chained ${index}`,
            kind: "effect",
            payload: { checkDeps: true, logStart: true },
          }
        : {
            key: `t${index}`,
            title: `task ${index}`,
            kind: "effect",
            priority: (index * 7) % 4,
            payload: { logStart: true },
          },
    );
    const chained = specs.filter((spec) => spec.key?.startsWith("c"));
    chained.forEach((spec, position) => {
      if (position % 5 !== 0) spec.needs = [chained[position - 1]?.key as string];
    });
    // Every worker is up and idle before the tasks arrive, so each gets a share: added first,
    // the first process to start could drain them all before the others have registered.
    const workers = start(fixture.url, processes, { concurrency, pollMs: 100 });
    await waitForWorkers(fixture.store, workers);
    const added = await addTasks(fixture.store, specs);
    const idOfKey = new Map(added.map((task) => [task.key as string, task.id]));
    await allSucceeded(fixture.store, total);
    const ends = await stopAll(workers);
    for (const end of ends) expect(end.code, end.stderr).toBe(0);

    expect(await statusCounts(fixture.store)).toEqual({ succeeded: total });
    expect(await attemptOutcomes(fixture.store)).toEqual({ succeeded: total });
    // The side effect's primary key would have failed a second completion of any task.
    const completions = await taskCompletions(fixture.store);
    expect(completions).toHaveLength(total);
    // Every process did a share of the work.
    expect(new Set(completions.map((each) => each.pid)).size).toBe(processes);
    // Dependencies: each chained task started once the one it needs had succeeded.
    expect(completions.filter((each) => each.deps_ok !== 1)).toEqual([]);
    const claimOrder = await claimSequence(fixture.store);
    for (const [position, spec] of chained.entries()) {
      if (position % 5 === 0) continue;
      const need = idOfKey.get(chained[position - 1]?.key as string) as string;
      const own = idOfKey.get(spec.key as string) as string;
      expect(claimOrder.get(own)).toBeGreaterThan(claimOrder.get(need) as number);
    }

    // Priorities, in start order: all standalone tasks were ready at once, so a task of a lower
    // priority is claimed only once every higher one is, but for those that concurrent claims
    // had taken: at most one claim batch per process, whose starts may also log after the next
    // claim's.
    const slack = processes * concurrency;
    const standalone = specs.filter((spec) => spec.key?.startsWith("t"));
    const claimOf = (spec: TaskSpec) =>
      claimOrder.get(idOfKey.get(spec.key as string) as string) as number;
    for (const priority of [0, 1, 2]) {
      const higher = standalone.filter((spec) => (spec.priority as number) > priority);
      const own = standalone.filter((spec) => spec.priority === priority);
      const laterHigher = higher.filter((spec) => claimOf(spec) > Math.min(...own.map(claimOf)));
      expect(
        laterHigher.length,
        `priority ${priority + 1}+ claimed after ${priority}`,
      ).toBeLessThanOrEqual(slack);
    }

    const delays = ends.map((end) => servedOf(end).eventLoopDelayMs);
    console.log(`[${fixture.dialect}] ${processes} processes, event loop delay ms:`, delays);
  });

  it("one worker at concurrency 1 claims tasks in strict priority order within each queue", {
    timeout: 60_000,
  }, async () => {
    await createEffectTables(fixture.store);
    const specs: TaskSpec[] = Array.from({ length: 40 }, (_, index) => ({
      title: `t${index}`,
      kind: "effect",
      queue: index % 2 === 0 ? "even" : "odd",
      priority: (index * 13) % 5,
      payload: { logStart: true },
    }));
    const added = await addTasks(fixture.store, specs);
    const [worker] = start(fixture.url, 1, { concurrency: 1, queues: ["even", "odd"] });
    await allSucceeded(fixture.store, specs.length);
    expect((await stopAll([worker as WorkerProcess]))[0]?.code).toBe(0);
    const claims = await claimSequence(fixture.store);
    const order = [...claims.keys()].sort(
      (left, right) => (claims.get(left) as number) - (claims.get(right) as number),
    );
    for (const queue of ["even", "odd"]) {
      const inQueue = added
        .map((task, index) => ({
          id: task.id,
          priority: specs[index]?.priority as number,
          queue: specs[index]?.queue,
        }))
        .filter((task) => task.queue === queue);
      const expected = [...inQueue]
        .sort((left, right) => right.priority - left.priority || (left.id < right.id ? -1 : 1))
        .map((task) => task.id);
      const ids = new Set(expected);
      expect(order.filter((id) => ids.has(id))).toEqual(expected);
    }
  });

  it("a SIGKILLed worker's tasks are completed by the others once its leases expire", {
    timeout: 60_000,
  }, async () => {
    await createEffectTables(fixture.store);
    const leaseMs = 1_000;
    const total = 60;
    await addTasks(
      fixture.store,
      Array.from({ length: total }, (_, index) => ({
        title: `t${index}`,
        kind: "effect",
        payload: { sleepMs: 150, idempotent: true, logStart: true },
      })),
    );
    const workers = start(fixture.url, postgres() ? 3 : 2, {
      concurrency: 4,
      leaseMs,
      pollMs: 100,
    });
    const ids = await waitForWorkers(fixture.store, workers);
    const victim = workers[0] as WorkerProcess;
    const victimId = ids.get(victim.pid) as string;
    // Kill it while it holds tasks: after a few of its own ran, with more in flight.
    await waitFor(
      async () =>
        (await taskStarts(fixture.store)).filter((each) => each.pid === victim.pid).length >= 6,
      { timeoutMs: 30_000, what: "the victim busy" },
    );
    victim.child.kill("SIGKILL");
    await allSucceeded(fixture.store, total);
    await stopAll(workers.slice(1));

    const { rows: attempts } = await sql<{
      task_id: string;
      attempt: number;
      worker: string;
      outcome: string;
      started_at: number;
    }>`select task_id, attempt, worker, outcome, started_at from ${ALL_ATTEMPTS} order by task_id, attempt`.execute(
      fixture.store.db,
    );
    const lost = attempts.filter((each) => each.outcome === "lost");
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(lost.map((each) => each.worker))).toEqual(new Set([victimId]));
    for (const attempt of lost) {
      const next = attempts.find(
        (each) =>
          each.task_id === attempt.task_id && Number(each.attempt) === Number(attempt.attempt) + 1,
      );
      expect(next?.outcome).toBe("succeeded");
      expect(next?.worker).not.toBe(victimId);
      // Taken only once the lease had lapsed.
      expect(Number(next?.started_at) - Number(attempt.started_at)).toBeGreaterThanOrEqual(leaseMs);
    }
    // Each task succeeded once; only the victim's lost tasks ran more than once.
    const succeeded = attempts.filter((each) => each.outcome === "succeeded");
    expect(new Set(succeeded.map((each) => each.task_id)).size).toBe(total);
    expect(succeeded).toHaveLength(total);
    expect(await completionCount(fixture.store)).toBe(total);
    const lostIds = new Set(lost.map((each) => each.task_id));
    const executions = new Map<string, number>();
    for (const each of await taskStarts(fixture.store))
      executions.set(each.task_id, (executions.get(each.task_id) ?? 0) + 1);
    // (A lost task ran once more, unless the kill came between its claim and its start.)
    for (const [taskId, count] of executions)
      expect(count).toBeLessThanOrEqual(lostIds.has(taskId) ? 2 : 1);
  });

  it("a worker paused past its lease has its late commit refused and recorded", {
    timeout: 60_000,
  }, async () => {
    await createEffectTables(fixture.store);
    const [paused, other] = start(fixture.url, 2, { concurrency: 1, leaseMs: 1_000, pollMs: 100 });
    await waitForWorkers(fixture.store, [paused as WorkerProcess, other as WorkerProcess]);
    const [task] = await addTasks(fixture.store, [
      {
        title: "slow",
        kind: "effect",
        payload: { sleepMs: 1_500, ignoreAbort: true, complete: false, logStart: true },
      },
    ]);
    const taskId = (task as { id: string }).id;
    await waitFor(async () => (await taskStarts(fixture.store)).length === 1);
    const [first] = await taskStarts(fixture.store);
    const holder =
      first?.pid === paused?.pid ? (paused as WorkerProcess) : (other as WorkerProcess);
    holder.child.kill("SIGSTOP");
    await waitFor(
      async () => (await showTask(fixture.store, taskId))?.task.status === "succeeded",
      {
        timeoutMs: 20_000,
        what: "the task finished by the other worker",
      },
    );
    holder.child.kill("SIGCONT");
    await waitFor(
      async () => (await showTask(fixture.store, taskId))?.attempts[0]?.outcome === "refused",
      { timeoutMs: 20_000, what: "the late commit refused" },
    );
    const details = await showTask(fixture.store, taskId);
    expect(details?.task).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(details?.attempts.map((attempt) => attempt.outcome)).toEqual(["refused", "succeeded"]);
    expect(details?.attempts[0]?.error).toMatchObject({ code: "refused", previousOutcome: "lost" });
    expect(details?.attempts[1]?.worker).not.toBe(details?.attempts[0]?.worker);
    const ends = await stopAll([paused as WorkerProcess, other as WorkerProcess]);
    const holderEnd = ends[holder === paused ? 0 : 1];
    expect(holderEnd?.code).toBe(0);
    expect(servedOf(holderEnd as never).stats.refused).toBe(1);
  });

  it("SIGTERM under load: in-flight tasks finish or are released, none lost or run twice, exit 0", {
    timeout: 60_000,
  }, async () => {
    await createEffectTables(fixture.store);
    // The first worker alone first, so that it holds the two long tasks when it is stopped.
    const [victim] = start(fixture.url, 1, { concurrency: 4, pollMs: 100, graceMs: 300 });
    await waitForWorkers(fixture.store, [victim as WorkerProcess]);
    const long = await addTasks(fixture.store, [
      { title: "long 1", kind: "effect", priority: 10, payload: { sleepMs: 3_000 } },
      { title: "long 2", kind: "effect", priority: 10, payload: { sleepMs: 3_000 } },
    ]);
    const total = 200;
    await addTasks(
      fixture.store,
      Array.from({ length: total - 2 }, (_, index) => ({
        title: `short ${index}`,
        kind: "effect",
        payload: { sleepMs: 20 },
      })),
    );
    const others = start(fixture.url, postgres() ? 3 : 1, { concurrency: 4, pollMs: 100 });
    await waitFor(async () => (await completionCount(fixture.store)) >= 20);
    (victim as WorkerProcess).child.kill("SIGTERM");
    const end = await (victim as WorkerProcess).done;
    expect(end.code, end.stderr).toBe(0);
    const served = servedOf(end);
    expect(served.stoppedBy).toBe("signal");
    expect(served.stats.released).toBeGreaterThanOrEqual(2);

    await allSucceeded(fixture.store, total);
    await stopAll(others);
    expect(await completionCount(fixture.store)).toBe(total);
    for (const task of long) {
      const outcomes = (await showTask(fixture.store, task.id))?.attempts.map(
        (each) => each.outcome,
      );
      expect(outcomes).toEqual(["released", "succeeded"]);
    }
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from ${ALL_ATTEMPTS} where outcome = 'succeeded'`.execute(
      fixture.store.db,
    );
    expect(Number(rows[0]?.n)).toBe(total);
  });
});
