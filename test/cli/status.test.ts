import { expect, it } from "vitest";
import { workflow } from "../../src/engine/index.js";
import { newRunRow } from "../../src/engine/run/create-run.js";
import type { EngineTables } from "../../src/engine/store/engine-tables.js";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { addWorker, describeCliStores, insertModelCalls } from "./task-cli-fixture.js";

const CONFIG = {
  models: { sim: { provider: "simulated", latencyMs: 1 }, spare: { provider: "simulated" } },
  agents: { coder: { model: "sim", capabilities: ["code"] }, idle: { model: "spare" } },
  budget: { daily_usd: 5 },
};

const GATE_WORKFLOW = `name: gate
steps:
  review: { approval: { title: "Ship it?", prompt: "Ship it?" } }
`;

const DAY_MS = 86_400_000;

describeCliStores("orkestra status", CONFIG, (fixture) => {
  it("shows empty queues, no workers, idle agents, no runs and no spend", async () => {
    const json = await fixture.json(["status"]);
    expect(json).toEqual({
      success: true,
      tasks: {
        total: {
          waiting: 0,
          ready: 0,
          running: 0,
          succeeded: 0,
          failed: 0,
          dead: 0,
          blocked: 0,
          cancelled: 0,
        },
        queues: [],
      },
      workers: { alive: 0, lost: 0, stopped: 0, currentTasks: 0 },
      agents: [
        expect.objectContaining({ agent: "coder", calls: 0, successRate: null, failing: false }),
        expect.objectContaining({ agent: "idle", calls: 0 }),
      ],
      runs: { inFlight: 0, byStatus: { queued: 0, running: 0, waiting: 0, paused: 0 } },
      spend: { todayUsd: 0, since: expect.stringMatching(/T00:00:00\.000Z$/), dailyBudgetUsd: 5 },
    });
    const human = await fixture.run(["status"]);
    expect(human.stdout).toContain("Tasks: none.");
    expect(human.stdout).toContain("Workers: 0 alive (0 tasks in hand), 0 lost");
    expect(human.stdout).toContain("Runs in flight: 0\n");
    expect(human.stdout).toContain("Spend today (UTC): $0 of a $5.0000 daily budget");
  });

  it("counts tasks by state per queue, workers alive, agents' health, runs in flight and today's spend", async () => {
    const file = await fixture.writeFile(
      "tasks.yaml",
      [
        "- { key: a, title: A }",
        "- { key: b, title: B, needs: [a] }",
        "- { key: c, title: C, runAt: 1h }",
        "- { key: d, title: D, queue: reports }",
        "- { key: e, title: E, queue: reports }",
        "",
      ].join("\n"),
    );
    expect((await fixture.run(["task", "add", "-f", file])).code).toBe(0);
    const store = await fixture.store();
    await claimTasks(store, { workerId: "w-1", queues: ["reports"], limit: 1, leaseMs: 30_000 });
    await addWorker(store, { id: "w-1", queues: ["reports"] });
    await addWorker(store, { id: "w-old", heartbeatMs: 1_000, now: Date.now() - 3_600_000 });
    await fixture.writeFile("gate.yaml", GATE_WORKFLOW);
    expect((await fixture.run(["run", "gate.yaml"])).code).toBe(0);

    const startOfDay = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    await insertModelCalls(store, [
      { alias: "sim", latency_ms: 100, cost_usd: 0.25, created_at: Date.now() },
      { alias: "sim", latency_ms: 300, cost_usd: 0.5, created_at: Date.now() },
      { alias: "sim", outcome: "error", error_kind: "rate_limit", created_at: Date.now() },
      // Yesterday's spend is not today's.
      { alias: "spare", cost_usd: 10, created_at: startOfDay - 60_000 },
    ]);

    const json = await fixture.json(["status"]);
    expect(json.tasks).toEqual({
      total: expect.objectContaining({ waiting: 2, ready: 2, running: 1 }),
      queues: [
        {
          queue: "default",
          counts: expect.objectContaining({ waiting: 2, ready: 1, running: 0 }),
          due: 1,
        },
        {
          queue: "reports",
          counts: expect.objectContaining({ waiting: 0, ready: 1, running: 1 }),
          due: 1,
        },
      ],
    });
    expect(json.workers).toEqual({ alive: 1, lost: 1, stopped: 0, currentTasks: 0 });
    expect(json.agents).toEqual([
      expect.objectContaining({
        agent: "coder",
        calls: 3,
        successes: 2,
        latencyMs: { p50: 100, p95: 300 },
        errorKinds: [{ kind: "rate_limit", count: 1 }],
        breaker: { state: "closed", source: "ledger" },
        since: expect.stringMatching(/Z$/),
      }),
      expect.objectContaining({ agent: "idle" }),
    ]);
    expect(json.runs).toEqual({
      inFlight: 1,
      byStatus: { queued: 0, running: 0, waiting: 1, paused: 0 },
    });
    expect(json.spend).toMatchObject({ todayUsd: 0.75, dailyBudgetUsd: 5 });

    const human = await fixture.run(["status"]);
    expect(human.stdout).toMatch(
      /^QUEUE\s+WAITING\s+READY\s+RUNNING\s+SUCCEEDED\s+FAILED\s+DEAD\s+BLOCKED\s+CANCELLED\s+DUE$/m,
    );
    expect(human.stdout).toMatch(/^default\s+2\s+1\s+0\s+0\s+0\s+0\s+0\s+0\s+1$/m);
    expect(human.stdout).toMatch(/^reports\s+0\s+1\s+1\s+0\s+0\s+0\s+0\s+0\s+1$/m);
    expect(human.stdout).toContain("Workers: 1 alive (0 tasks in hand), 1 lost");
    expect(human.stdout).toMatch(/^coder\s+3\s+67%\s+100ms\s+300ms\s+closed\s+rate_limit 1$/m);
    expect(human.stdout).toContain("Runs in flight: 1 (waiting 1)");
    expect(human.stdout).toContain("Spend today (UTC): $0.75");
  });

  it("counts every run in flight, however many there are", async () => {
    // Status once counted runs by listing up to 10,000 of each status.
    const store = await fixture.store();
    const definition = workflow("many")
      .step("a", { run: () => "a" })
      .build();
    const now = Date.now();
    const rows = Array.from({ length: 10_003 }, (_, index) => ({
      ...newRunRow(definition, {}, { now: now + index }),
      status: index < 10_001 ? "waiting" : "paused",
    }));
    const db = store.db.withTables<EngineTables>();
    for (let start = 0; start < rows.length; start += 500) {
      await db
        .insertInto("runs")
        .values(rows.slice(start, start + 500))
        .execute();
    }
    const json = await fixture.json(["status"]);
    expect(json.runs).toEqual({
      inFlight: 10_003,
      byStatus: { queued: 0, running: 0, waiting: 10_001, paused: 2 },
    });
  });
});
