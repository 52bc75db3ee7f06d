import { expect, it } from "vitest";
import { claimTasks } from "../../src/queue/tasks/claim-tasks.js";
import { completeTasks } from "../../src/queue/tasks/complete-tasks.js";
import {
  AGENTS_CONFIG,
  addedIds,
  describeCliStores,
  failingCalls,
  insertModelCalls,
} from "./task-cli-fixture.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describeCliStores("orkestra task add, list, show", AGENTS_CONFIG, (fixture) => {
  it("adds a task from flags and lists it with the documented --json shapes", async () => {
    const human = await fixture.run([
      "task",
      "add",
      "--title",
      "Write the parser",
      "--instructions",
      "Parse the manuscript format",
      "--priority",
      "-5",
      "--capabilities",
      "code, tests",
      "--payload",
      '{"file":"src/parser.ts"}',
      "--max-attempts",
      "2",
      "--timeout",
      "90s",
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Added task [0-9A-Z]{26}: ready\.$/m);
    expect(human.stderr).toBe("");

    const added = await fixture.json(["task", "add", "--title", "Review it", "--queue", "default"]);
    expect(added).toEqual({
      success: true,
      tasks: [{ id: expect.any(String), key: null, status: "ready" }],
    });

    const listed = await fixture.json(["task", "list"]);
    const tasks = listed.tasks as Record<string, unknown>[];
    expect(tasks).toHaveLength(2);
    // Newest first, exactly the documented keys.
    expect(Object.keys(tasks[1] ?? {})).toEqual([
      "id",
      "title",
      "queue",
      "priority",
      "status",
      "attempts",
      "agent",
      "createdAt",
      "finishedAt",
    ]);
    expect(tasks[1]).toMatchObject({
      title: "Write the parser",
      queue: "default",
      priority: -5,
      status: "ready",
      attempts: 0,
      agent: null,
      createdAt: expect.stringMatching(ISO),
      finishedAt: null,
    });
    expect(tasks[0]?.id).toBe(addedIds(added)[0]);

    const shown = await fixture.json(["task", "show", tasks[1]?.id as string]);
    expect(shown).toMatchObject({
      success: true,
      task: {
        title: "Write the parser",
        instructions: "Parse the manuscript format",
        payload: { file: "src/parser.ts" },
        capabilities: ["code", "tests"],
        maxAttempts: 2,
        timeoutMs: 90_000,
        kind: "agent",
        result: null,
        runAt: expect.stringMatching(ISO),
      },
      attempts: [],
      dependencies: [],
      dependants: [],
    });

    const table = await fixture.run(["task", "list"]);
    expect(table.stdout).toMatch(/^ID\s+QUEUE\s+PRIORITY\s+STATUS\s+ATTEMPTS\s+AGENT\s+CREATED/);
    expect(table.stdout).toMatch(/default\s+-5\s+ready\s+0\/2\s+-\s+\d{4}-.*Write the parser$/m);
  });

  it("adds a file's tasks in one go, resolving needs by key, and keeps idempotency keys", async () => {
    const file = await fixture.writeFile(
      "tasks.yaml",
      `- key: design
  title: Design the parser
  capabilities: [design]
  idempotencyKey: parser-design
- key: code
  title: Write the parser
  needs: [design]
  priority: 5
  timeout: 10m
- key: later
  title: Tidy up
  runAt: 2h
`,
    );
    const added = await fixture.json(["task", "add", "--file", file]);
    expect(added.tasks).toEqual([
      { id: expect.any(String), key: "design", status: "ready" },
      { id: expect.any(String), key: "code", status: "waiting" },
      { id: expect.any(String), key: "later", status: "waiting" },
    ]);
    const [design, code, later] = addedIds(added);

    const shown = await fixture.json(["task", "show", code as string]);
    expect(shown.task).toMatchObject({ priority: 5, timeoutMs: 600_000, pendingDependencies: 1 });
    expect(shown.dependencies).toEqual([
      { id: design, title: "Design the parser", status: "ready" },
    ]);
    const delayed = (await fixture.json(["task", "show", later as string])).task as {
      runAt: string;
    };
    expect(Date.parse(delayed.runAt) - Date.now()).toBeGreaterThan(7_100_000);

    // The same idempotency key again: that task, unchanged, and no second copy.
    const again = await fixture.run([
      "task",
      "add",
      "--title",
      "Other",
      "--idempotency-key",
      "parser-design",
    ]);
    expect(again.stdout).toContain(
      `Task ${design} was already there (same idempotency key): ready.`,
    );
    const list = await fixture.json(["task", "list"]);
    expect(list.tasks).toHaveLength(3);

    const human = await fixture.run(["task", "show", code as string]);
    expect(human.stdout).toContain(`needs: ${design} "Design the parser" (ready)`);
    expect(human.stdout).toContain("No attempts yet.");
  });

  it("filters the list by status and queue, and limits it", async () => {
    await fixture.run(["task", "add", "--title", "one", "--queue", "reports"]);
    await fixture.run(["task", "add", "--title", "two", "--run-at", "1h"]);
    await fixture.run(["task", "add", "--title", "three"]);
    const titles = async (args: string[]) =>
      ((await fixture.json(["task", "list", ...args])).tasks as { title: string }[]).map(
        (task) => task.title,
      );
    expect(await titles(["--queue", "reports"])).toEqual(["one"]);
    expect(await titles(["--status", "waiting"])).toEqual(["two"]);
    expect(await titles(["--status", "ready,waiting", "--queue", "default"])).toEqual([
      "three",
      "two",
    ]);
    expect(await titles(["--limit", "1"])).toEqual(["three"]);
    const bad = await fixture.run(["task", "list", "--status", "done"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status: "done" is not a task status');
    expect((await fixture.run(["task", "list", "--status", "cancelled"])).stdout).toBe(
      "No tasks.\n",
    );
  });

  it("shows every attempt with its worker, agent, fencing token, outcome and error, and the result", async () => {
    const [id] = addedIds(
      await fixture.json(["task", "add", "--title", "Flaky", "--capabilities", "code"]),
    );
    const store = await fixture.store();
    const claim = () =>
      claimTasks(store, {
        workerId: "w-1",
        queues: ["default"],
        limit: 1,
        leaseMs: 30_000,
        agent: "coder",
      });
    const [first] = await claim();
    await completeTasks(store, {
      workerId: "w-1",
      completions: [
        {
          id: id as string,
          token: first?.token as number,
          error: new Error("model hung up"),
          retryDelayMs: 1,
        },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = await claim();
    await completeTasks(store, {
      workerId: "w-1",
      completions: [{ id: id as string, token: second?.token as number, result: { answer: 42 } }],
    });

    const shown = await fixture.json(["task", "show", id as string]);
    expect(shown.task).toMatchObject({
      status: "succeeded",
      attempts: 2,
      agent: "coder",
      result: { answer: 42 },
      finishedAt: expect.stringMatching(ISO),
    });
    expect(shown.attempts).toEqual([
      {
        attempt: 1,
        worker: "w-1",
        agent: "coder",
        fencingToken: 1,
        startedAt: expect.stringMatching(ISO),
        finishedAt: expect.stringMatching(ISO),
        outcome: "failed",
        error: expect.objectContaining({ message: "model hung up" }),
      },
      expect.objectContaining({ attempt: 2, fencingToken: 2, outcome: "succeeded", error: null }),
    ]);
    const human = await fixture.run(["task", "show", id as string]);
    expect(human.stdout).toMatch(
      /^ATTEMPT\s+WORKER\s+AGENT\s+TOKEN\s+STARTED\s+FINISHED\s+OUTCOME\s+ERROR$/m,
    );
    expect(human.stdout).toMatch(
      /^\s+1\s+w-1\s+coder\s+1\s+\S+ \S+\s+\S+ \S+\s+failed\s+model hung up/m,
    );
    expect(human.stdout).toContain('result: {"answer":42}');
  });

  it("says there is no such task with exit 1, as `orkestra show` does for a run", async () => {
    const human = await fixture.run(["task", "show", "01NOSUCHTASK"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("There is no task 01NOSUCHTASK.");
    const json = await fixture.run(["--json", "task", "show", "01NOSUCHTASK"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      success: false,
      error: { code: "queue.not_found", taskId: "01NOSUCHTASK" },
    });
  });
});

describeCliStores("orkestra task cancel, retry", AGENTS_CONFIG, (fixture) => {
  it("cancels with a reason, blocks what needs it, retries, and audits both", async () => {
    const file = await fixture.writeFile(
      "pair.json",
      JSON.stringify([
        { key: "first", title: "First" },
        { key: "second", title: "Second", needs: ["first"] },
      ]),
    );
    const [first, second] = addedIds(await fixture.json(["task", "add", "-f", file]));

    const cancelled = await fixture.run([
      "task",
      "cancel",
      first as string,
      "--reason",
      "not needed",
    ]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`Cancelled task ${first}`);
    expect(await fixture.json(["task", "show", first as string])).toMatchObject({
      task: { status: "cancelled", error: { code: "cancelled", message: "not needed" } },
    });
    expect(await fixture.json(["task", "show", second as string])).toMatchObject({
      task: { status: "blocked", blockedReason: expect.stringContaining(`it needs task ${first}`) },
    });

    const retried = await fixture.json(["task", "retry", first as string]);
    expect(retried).toEqual({ success: true, id: first, status: "ready", unblocked: [second] });
    expect(await fixture.json(["task", "show", second as string])).toMatchObject({
      task: { status: "waiting" },
    });

    // A ready task cannot be retried, a succeeded one cannot be cancelled: exit 1 with why.
    const again = await fixture.run(["task", "retry", first as string]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("only dead, cancelled or blocked tasks can be retried");
    expect((await fixture.run(["task", "cancel", "01NOSUCHTASK"])).code).toBe(1);

    const store = await fixture.store();
    const events = await store.audit.query({});
    expect(events.filter((event) => event.action.startsWith("task:"))).toEqual([
      expect.objectContaining({
        action: "task:cancel",
        resource: `task:${first}`,
        outcome: "cancelled",
        actor: expect.stringMatching(/^cli:/),
        data: { status: "cancelled", reason: "not needed" },
      }),
      expect.objectContaining({
        action: "task:retry",
        resource: `task:${first}`,
        outcome: "success",
        data: { status: "ready", unblocked: [second] },
      }),
    ]);
  });

  it("asks the worker of a running task to stop it", async () => {
    const [id] = addedIds(await fixture.json(["task", "add", "--title", "Long"]));
    await claimTasks(await fixture.store(), {
      workerId: "w-1",
      queues: ["default"],
      limit: 1,
      leaseMs: 30_000,
    });
    const json = await fixture.json(["task", "cancel", id as string]);
    expect(json).toEqual({ success: true, id, status: "running", cancelRequested: true });
    const human = await fixture.run(["task", "show", id as string]);
    expect(human.stdout).toMatch(/^cancel asked for at \d{4}-/m);
    expect(human.stdout).toMatch(/^lease: w-1 until \S+ \S+ \(fencing token 1\)$/m);
  });
});

describeCliStores("orkestra task explain", AGENTS_CONFIG, (fixture) => {
  it("scores every agent and says why one is excluded, from the ledger without a gateway", async () => {
    const [id] = addedIds(
      await fixture.json(["task", "add", "--title", "Write the parser", "--capabilities", "code"]),
    );
    const json = await fixture.json(["task", "explain", id as string]);
    expect(json).toMatchObject({
      success: true,
      task: { id, title: "Write the parser", capabilities: ["code"] },
      chosen: "coder",
      agents: [
        { agent: "coder", eligible: true, score: expect.any(Number) },
        { agent: "architect", eligible: false, score: 0, reasons: ["lacks capability code"] },
      ],
    });
    const human = await fixture.run(["task", "explain", id as string]);
    expect(human.stdout).toMatch(/^chosen: coder$/m);
    expect(human.stdout).toMatch(
      /^AGENT\s+SCORE\s+CAPAB\s+SPEC\s+SUCCESS\s+LATENCY\s+COST\s+LOAD\s+WEIGHT\s+REASONS$/m,
    );
    expect(human.stdout).toMatch(/^architect\s+-\s.*lacks capability code$/m);

    // The only capable agent's model keeps failing: excluded, and the task waits.
    await insertModelCalls(await fixture.store(), failingCalls("sim"));
    const failing = await fixture.json(["task", "explain", id as string]);
    expect(failing).toMatchObject({
      chosen: null,
      waitingBecause: expect.stringContaining("no capable agent is available: coder failing"),
      agents: expect.arrayContaining([
        expect.objectContaining({
          agent: "coder",
          eligible: false,
          reasons: ["failing: 5 consecutive failures, last server"],
        }),
      ]),
    });
  });

  it("says an agent is at capacity, and that a task needing what no agent has waits", async () => {
    const [busy, next] = addedIds(
      await fixture.json([
        "task",
        "add",
        "-f",
        await fixture.writeFile(
          "two.yaml",
          "- { title: A, capabilities: [code] }\n- { title: B, capabilities: [code] }\n",
        ),
      ]),
    );
    await claimTasks(await fixture.store(), {
      workerId: "w-1",
      queues: ["default"],
      limit: 1,
      leaseMs: 30_000,
      agent: "coder",
    });
    expect(busy).toBeDefined();
    const explained = await fixture.json(["task", "explain", next as string]);
    expect(explained.agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agent: "coder", eligible: false, reasons: ["at capacity 1/1"] }),
      ]),
    );

    const added = await fixture.run([
      "--json",
      "task",
      "add",
      "--title",
      "Ship",
      "--capabilities",
      "deploy",
    ]);
    const [ship] = addedIds(JSON.parse(added.stdout));
    const waiting = await fixture.run(["task", "explain", ship as string]);
    expect(waiting.stdout).toMatch(/^waiting: no agent has capability deploy$/m);
  });
});
