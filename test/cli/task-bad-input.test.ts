import { expect, it } from "vitest";
import { AGENTS_CONFIG, addWorker, describeCliStores, taskCount } from "./task-cli-fixture.js";

/**
 * The bad input of issue 10 that `orkestra task add` meets: each is exit 2 with a message that
 * says what and where, and nothing is written (the tasks are counted after).
 */
describeCliStores("orkestra task add refuses bad input", AGENTS_CONFIG, (fixture) => {
  async function expectRefused(args: string[], message: string | RegExp): Promise<void> {
    const run = await fixture.run(["task", "add", ...args]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    if (typeof message === "string") expect(run.stderr).toContain(message);
    else expect(run.stderr).toMatch(message);
    expect(await taskCount(await fixture.store())).toBe(0);
  }

  it("an unknown dependency id, from the flags or a file", async () => {
    await expectRefused(
      ["--title", "Write it", "--needs", "01NOSUCHTASK"],
      'orkestra: The task needs "01NOSUCHTASK", which is neither a task nor the key of an entry.',
    );
    const file = await fixture.writeFile(
      "tasks.yaml",
      "- key: design\n  title: Design\n- key: code\n  title: Code\n  needs: [design, desgin]\n",
    );
    await expectRefused(
      ["--file", file],
      'orkestra: tasks.yaml:3:3: Task entry 1 ("code") needs "desgin", which is neither a task nor the key of an entry.',
    );
    const json = await fixture.run(["--json", "task", "add", "--file", file]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      success: false,
      error: { code: "queue.unknown_dependency", index: 1, key: "code" },
    });
  });

  it("a dependency cycle among a file's entries, named entry by entry", async () => {
    const file = await fixture.writeFile(
      "cycle.json",
      JSON.stringify([
        { key: "a", title: "A", needs: ["c"] },
        { key: "b", title: "B", needs: ["a"] },
        { key: "c", title: "C", needs: ["b"] },
        { key: "d", title: "D" },
      ]),
    );
    await expectRefused(
      ["-f", file],
      /cycle\.json:1:\d+: The tasks' dependencies form a cycle: entry 0 \("a"\) → entry 2 \("c"\) → entry 1 \("b"\) → entry 0 \("a"\)\./,
    );
  });

  it("a priority outside -1000..1000, from the flags or a file", async () => {
    await expectRefused(
      ["--title", "Urgent", "--priority", "5000"],
      "--priority: found 5000, expected a whole number from -1000 to 1000",
    );
    await expectRefused(
      ["--title", "Urgent", "--priority", "high"],
      '--priority: found a string "high"',
    );
    const file = await fixture.writeFile(
      "tasks.yaml",
      "- title: A\n- title: B\n  priority: -1001\n",
    );
    await expectRefused(
      ["--file", file],
      "tasks.yaml:3:13 entry 1 priority: found -1001, expected a whole number from -1000 to 1000",
    );
  });

  it("a malformed file: every bad entry with its line, index and key, and a did-you-mean", async () => {
    const file = await fixture.writeFile(
      "tasks.yaml",
      [
        "- key: design",
        "  title: Design the parser",
        "- key: code",
        "  title: Write the parser",
        "  prioirty: 5",
        "- instructions: no title here",
        "  timeout: soon",
        "- title: Mine",
        "  agent: codr",
        "",
      ].join("\n"),
    );
    const run = await fixture.run(["task", "add", "--file", file]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n").slice(0, 5)).toEqual([
      'orkestra: tasks.yaml:5:3 entry 1 ("code") prioirty: unknown key "prioirty", expected one of key, title, instructions, kind, queue, priority, needs, capabilities, payload, maxAttempts, timeout, runAt, idempotencyKey, agent (did you mean "priority"?)',
      "tasks.yaml:6:3 entry 2 title: missing required key `title`, expected a string",
      'tasks.yaml:7:12 entry 2 timeout: found "soon", expected a duration such as 30s, 10m or 1h (or whole milliseconds)',
      'tasks.yaml:9:10 entry 3 agent: unknown agent "codr", expected one of coder, architect (did you mean "coder"?)',
      "  Fix the entries listed; nothing was added. See `orkestra task add --help` for the keys.",
    ]);
    expect(await taskCount(await fixture.store())).toBe(0);
    const json = await fixture.run(["--json", "task", "add", "--file", file]);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      name: "TaskFileError",
      code: "task_file.invalid",
      file: "tasks.yaml",
      issues: expect.arrayContaining([
        expect.objectContaining({ entry: 1, key: "code", line: 5, suggestion: "priority" }),
      ]),
    });
  });

  it("a file that is not a list of tasks, or not YAML at all, or not there", async () => {
    await expectRefused(
      ["-f", await fixture.writeFile("one.yaml", "title: just one\n")],
      "one.yaml:1:1: the top level is a mapping, expected a list of tasks",
    );
    await expectRefused(
      ["-f", await fixture.writeFile("broken.yaml", "- title: [unclosed\n- title: B\n")],
      /^orkestra: broken\.yaml:\d+:\d+: /,
    );
    await expectRefused(["-f", await fixture.writeFile("empty.yaml", "[]\n")], "empty.yaml");
    await expectRefused(["-f", "missing.yaml"], "missing.yaml: the file does not exist");
    await expectRefused(
      ["-f", await fixture.writeFile("ok.yaml", "- title: A\n"), "--title", "B"],
      "--file takes every task from the file; --title cannot be given with it",
    );
    await expectRefused([], "a task needs a title: give --title, or --file");
  });

  it("a bad last entry leaves the good ones before it unwritten", async () => {
    const entries = Array.from({ length: 50 }, (_, index) => ({
      key: `t${index}`,
      title: `Task ${index}`,
    }));
    entries.push({ key: "bad", title: "Bad", needs: ["nowhere"] } as (typeof entries)[number]);
    await expectRefused(
      ["-f", await fixture.writeFile("many.json", JSON.stringify(entries))],
      'Task entry 50 ("bad") needs "nowhere"',
    );
  });

  it("an unknown queue: a name that is not a queue name is refused; a new one is warned about", async () => {
    await expectRefused(
      ["--title", "A", "--queue", "night shift"],
      '--queue: found "night shift", expected a name of 1 to 100 letters, digits or _ . : -',
    );
    await addWorker(await fixture.store(), { id: "w-reports", queues: ["reports"] });
    const run = await fixture.run(["task", "add", "--title", "A", "--queue", "reprots"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'queue "reprots" is new: no worker has served it and no schedule names it (did you mean "reports"?)',
    );
    // A queue a worker serves is known: no warning.
    const known = await fixture.run(["task", "add", "--title", "B", "--queue", "reports"]);
    expect(known.stderr).toBe("");
    expect(await taskCount(await fixture.store())).toBe(2);
  });

  it("capabilities no agent has: a warning, and the task is added all the same", async () => {
    const run = await fixture.run([
      "task",
      "add",
      "--title",
      "Ship it",
      "--capabilities",
      "deploy,code",
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "no agent has capability deploy; the task will wait until one does. Add it to an agent's capabilities under agents: in orkestra.yaml.",
    );
    const file = await fixture.writeFile(
      "tasks.yaml",
      "- key: s\n  title: S\n  capabilities: [sql, k8s]\n",
    );
    const fromFile = await fixture.run(["--quiet", "task", "add", "-f", file]);
    expect(fromFile.code).toBe(0);
    // A warning is not a note: --quiet keeps it.
    expect(fromFile.stderr).toContain('entry 0 ("s"): no agent has capabilities sql, k8s');
    expect(await taskCount(await fixture.store())).toBe(2);
  });

  it("an agent that is not configured, and bad numbers, times and JSON", async () => {
    await expectRefused(
      ["--title", "A", "--agent", "codr"],
      '--agent: unknown agent "codr", expected one of coder, architect (did you mean "coder"?)',
    );
    await expectRefused(["--title", "A", "--max-attempts", "0"], "--max-attempts: found 0");
    await expectRefused(["--title", "A", "--timeout", "30"], '--timeout: found "30"');
    await expectRefused(["--title", "A", "--run-at", "tomorrow"], '--run-at: found "tomorrow"');
    await expectRefused(["--title", "A", "--payload", "{oops"], "--payload: not JSON");
    await expectRefused(["--title", "   "], "--title: found");
  });
});
