import { expect, it } from "vitest";
import {
  addWorker,
  describeCliStores,
  failingCalls,
  insertModelCalls,
} from "./task-cli-fixture.js";

/** Two agents on two models, so one can fail while the other answers. */
const CONFIG = {
  models: { sim: { provider: "simulated" }, spare: { provider: "simulated" } },
  agents: { coder: { model: "sim" }, reviewer: { model: "spare" } },
};

describeCliStores("orkestra health-check", CONFIG, (fixture) => {
  it("is healthy with a reachable store, no waiting task and agents that answer: exit 0", async () => {
    const run = await fixture.run(["health-check"]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^OK {4}store {4}(sqlite:|postgres:).* answers$/),
      "OK    workers  0 alive; no task waits",
      "OK    agents   2 of 2 agents not failing",
    ]);
    const json = await fixture.json(["health-check"]);
    expect(json).toEqual({
      success: true,
      healthy: true,
      checks: [
        { name: "store", status: "ok", message: expect.any(String) },
        { name: "workers", status: "ok", message: "0 alive; no task waits" },
        { name: "agents", status: "ok", message: "2 of 2 agents not failing" },
      ],
    });
  });

  it("fails while tasks wait and no live worker serves their queue", async () => {
    await fixture.run(["task", "add", "--title", "A"]);
    await fixture.run(["task", "add", "--title", "B", "--queue", "reports"]);
    // Waiting for its time is not waiting for a worker.
    await fixture.run(["task", "add", "--title", "Later", "--run-at", "1h"]);
    const none = await fixture.run(["health-check"]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(
      "FAIL  workers  no worker is alive while 2 tasks wait (default: 1, reports: 1); start one with: orkestra worker",
    );

    const store = await fixture.store();
    // A worker that went silent long ago does not count: it is marked lost.
    await addWorker(store, {
      id: "w-gone",
      queues: ["default", "reports"],
      heartbeatMs: 1_000,
      now: Date.now() - 600_000,
    });
    await addWorker(store, { id: "w-1", queues: ["default"] });
    const partly = await fixture.run(["health-check"]);
    expect(partly.code).toBe(1);
    expect(partly.stdout).toContain(
      "FAIL  workers  no live worker serves the queue where 1 task waits (reports: 1); 1 alive serve default",
    );

    await addWorker(store, { id: "w-2", queues: ["reports"] });
    const served = await fixture.run(["--json", "health-check"]);
    expect(served.code).toBe(0);
    expect(JSON.parse(served.stdout).checks[1]).toEqual({
      name: "workers",
      status: "ok",
      message: "2 alive; 2 tasks wait for them",
    });
  });

  it("fails when every configured agent is failing, not when one still answers", async () => {
    const store = await fixture.store();
    await insertModelCalls(store, failingCalls("sim"));
    const one = await fixture.run(["health-check"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(
      "OK    agents   1 of 2 agents not failing; failing: coder (5 consecutive failures, last server)",
    );
    await insertModelCalls(store, failingCalls("spare"));
    const all = await fixture.run(["health-check"]);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(
      "FAIL  agents   every agent is failing: coder (5 consecutive failures, last server), reviewer (5 consecutive failures, last server)",
    );
  });

  it("fails with the reason when the store is unreachable, skipping the other checks", async () => {
    const env = { ORKESTRA_STORE: "postgres://orkestra:hunter2hunter2@127.0.0.1:9/orkestra" };
    const run = await fixture.run(["health-check"], env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^FAIL {2}store {4}unreachable: .*127\.0\.0\.1:9/);
    expect(lines.slice(1)).toEqual([
      "SKIP  workers  not checked: the store did not answer",
      "SKIP  agents   not checked: the store did not answer",
    ]);
    expect(run.stdout + run.stderr).not.toContain("hunter2hunter2");
    const json = await fixture.run(["--json", "health-check"], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      success: false,
      healthy: false,
      checks: [{ name: "store", status: "fail" }, { status: "skip" }, { status: "skip" }],
    });
  });
});

describeCliStores("orkestra health-check without agents", {}, (fixture) => {
  it("passes the agents check when none is configured", async () => {
    const run = await fixture.run(["health-check"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("OK    agents   no agents configured");
  });
});
