import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeWorkspace, repositoryRoot, runInProcess, type Workspace } from "./cli-harness.js";

const engineUrl = pathToFileURL(join(repositoryRoot, "src", "engine", "index.ts")).href;

let workspace: Workspace;
beforeEach(async () => {
  workspace = await makeWorkspace();
});
afterEach(() => workspace.remove());

async function writeWorkflow(name: string, body: string): Promise<string> {
  await writeFile(
    join(workspace.dir, name),
    `import { workflow } from ${JSON.stringify(engineUrl)};\n${body}\n`,
  );
  return name;
}

const run = (args: string[]) => runInProcess(args, { cwd: workspace.dir });

describe("orkestra run, runs, show", () => {
  it("runs a workflow module and prints one JSON document with --json", async () => {
    const file = await writeWorkflow(
      "greet.mjs",
      `export default workflow("greet")
        .input("name", { type: "string" })
        .input("times", { type: "integer", default: 1 })
        .state("said", { reducer: "append" })
        .step("hello", { run: (context) => "hello ".repeat(context.inputs.times) + context.inputs.name, writes: { said: (scope) => scope.output.text } });`,
    );

    const result = await run(["run", file, "--input", "name=ada", "--input", "times=2", "--json"]);

    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual([
      "success",
      "runId",
      "status",
      "outputs",
      "state",
      "costUsd",
      "iterations",
      "steps",
    ]);
    expect(document).toMatchObject({
      success: true,
      status: "succeeded",
      outputs: { hello: "hello hello ada" },
      state: { said: ["hello hello ada"] },
      costUsd: 0,
      steps: [{ id: "hello", status: "succeeded", attempts: 1, costUsd: 0, model: null }],
    });

    const listed = JSON.parse((await run(["runs", "--json"])).stdout);
    expect(listed.runs).toMatchObject([
      { id: document.runId, workflow: "greet", status: "succeeded", costUsd: 0 },
    ]);
    const shown = JSON.parse((await run(["show", document.runId, "--json"])).stdout);
    expect(shown).toMatchObject({
      runId: document.runId,
      workflow: "greet",
      steps: [{ id: "hello", error: null, iteration: 0 }],
    });
    expect(shown.steps[0].startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("prints one line per event when stdout is not a terminal, and exits 1 on a failed run", async () => {
    const file = await writeWorkflow(
      "fails.mjs",
      `export default workflow("fails").step("boom", { run: () => { throw new Error("kaput"); } });`,
    );
    const result = await run(["run", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^run \S+ started \(fails, iteration 0\)$/m);
    expect(result.stdout).toMatch(/^step boom started \(iteration 0, attempt 1\)$/m);
    expect(result.stdout).toMatch(/^step boom failed \(\d+\.\d\ds\): kaput$/m);
    expect(result.stdout).toMatch(/^run \S+ failed: step boom failed: kaput$/m);
  });

  it("bad input is exit 2 and leaves no run behind", async () => {
    const file = await writeWorkflow(
      "typed.mjs",
      `export default workflow("typed").input("n", { type: "number" }).step("a", { run: () => 1 });`,
    );
    const missing = await run(["run", file, "--json"]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.message).toMatch(
      /inputs\.n: missing required input \(number\)/,
    );
    expect((await run(["run", "nowhere.mjs"])).code).toBe(2);
    expect((await run(["run", "."])).code).toBe(2);
    expect(JSON.parse((await run(["runs", "--json"])).stdout).runs).toEqual([]);
  });

  it("waits for an approval, lists it, and continues after approve and resume", async () => {
    const file = await writeWorkflow(
      "gate.mjs",
      `export default workflow("gate")
        .approval("ok", { title: "Go ahead?", prompt: "Ship it?" })
        .step("after", { needs: ["ok"], run: (context) => context.steps.ok.output.comment });`,
    );
    const waiting = JSON.parse((await run(["run", file, "--json"])).stdout);
    expect(waiting).toMatchObject({ success: true, status: "waiting" });

    const { approvals } = JSON.parse((await run(["approvals", "--json"])).stdout);
    expect(approvals).toMatchObject([
      { runId: waiting.runId, stepId: "ok", title: "Go ahead?", status: "pending" },
    ]);
    const approved = await run(["approve", approvals[0].id, "--comment", "fine by me"]);
    expect(approved.code).toBe(0);

    const resumed = await run(["resume", waiting.runId, "--json"]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      status: "succeeded",
      outputs: { after: "fine by me" },
    });
  });

  it("reject needs a reason; cancel and gc", async () => {
    const file = await writeWorkflow(
      "gate.mjs",
      `export default workflow("gate").approval("ok", { title: "T", prompt: "P" });`,
    );
    const waiting = JSON.parse((await run(["run", file, "--json"])).stdout);
    const { approvals } = JSON.parse((await run(["approvals", "--json"])).stdout);
    expect((await run(["reject", approvals[0].id])).code).toBe(2);

    const cancelled = await run(["cancel", waiting.runId, "--json"]);
    expect(JSON.parse(cancelled.stdout)).toEqual({
      success: true,
      runId: waiting.runId,
      previous: "waiting",
    });
    expect((await run(["cancel", waiting.runId])).code).toBe(1);
    expect(
      JSON.parse((await run(["runs", "--status", "cancelled", "--json"])).stdout).runs,
    ).toHaveLength(1);
    expect((await run(["runs", "--status", "bogus"])).code).toBe(2);

    expect(JSON.parse((await run(["gc", "--older-than", "7d", "--json"])).stdout)).toEqual({
      success: true,
      deleted: 0,
    });
    expect(JSON.parse((await run(["gc", "--older-than", "1ms", "--json"])).stdout)).toEqual({
      success: true,
      deleted: 1,
    });
  });
});
