import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  cancelRun,
  listRuns,
  RunEmitter,
  runWorkflow,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { engineActionInAnotherProcess } from "./fixtures/engine-action.js";

describeEachStore("cancel, sub-workflows and commands", (fixture) => {
  it("a cancel from another process stops the in-flight step within the poll interval", async () => {
    let sawAbort = false;
    const definition = workflow("long")
      .step("forever", {
        run: (context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener("abort", () => {
              sawAbort = true;
              reject(context.signal.reason);
            });
          }),
      })
      .step("never", { needs: ["forever"], run: () => "unreachable" })
      .build();
    const events = new RunEmitter();
    const started = new Promise<void>((resolve) => events.on("step:start", () => resolve()));
    const handle = await startRun(definition, { store: fixture.store, events, pollIntervalMs: 50 });
    await started;

    await engineActionInAnotherProcess(fixture.url, "cancel", handle.runId);
    const cancelledAt = Date.now();
    const summary = await handle.done;

    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    expect(sawAbort).toBe(true);
    expect(summary.status).toBe("cancelled");
    expect(summary.steps.map((step) => [step.id, step.status])).toEqual([
      ["forever", "cancelled"],
      ["never", "pending"],
    ]);
  });

  it("a step that ignores its signal still ends at once on cancel", async () => {
    const definition = workflow("stubborn")
      .step("ignores", { run: () => new Promise((resolve) => setTimeout(resolve, 10_000)) })
      .build();
    const events = new RunEmitter();
    const started = new Promise<void>((resolve) => events.on("step:start", () => resolve()));
    const handle = await startRun(definition, { store: fixture.store, events, pollIntervalMs: 20 });
    await started;
    await cancelRun(fixture.store, handle.runId, { actor: "test" });
    const summary = await handle.done;
    expect(summary.status).toBe("cancelled");
    expect((await fixture.store.audit.query({ action: "run:cancel" }))[0]).toMatchObject({
      actor: "test",
    });
  });

  it("runs a sub-workflow as a child run with its own inputs", async () => {
    const child = workflow("child")
      .input("word", { type: "string" })
      .state("echo")
      .step("echo", {
        run: (context) => `${context.inputs.word}!`,
        writes: { echo: (scope) => scope.output?.text },
      })
      .build();
    const definition = workflow("parent")
      .step("pick", { run: () => "hey" })
      .subworkflow("call", {
        needs: ["pick"],
        workflow: child,
        inputs: { word: (scope) => scope.steps.pick?.text },
      })
      .step("use", { needs: ["call"], run: (context) => context.steps.call?.object })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store });

    expect(summary.status).toBe("succeeded");
    expect(summary.outputs.use).toEqual({ echo: "hey!" });
    const runs = await listRuns(fixture.store);
    expect(runs.map((run) => [run.workflow, run.status]).sort()).toEqual([
      ["child", "succeeded"],
      ["parent", "succeeded"],
    ]);
  });

  it("runs a command without a shell; a non-zero exit fails the step with the tail of its output", async () => {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-command-"));
    const script = join(directory, "tool.sh");
    await writeFile(script, '#!/bin/sh\necho "out: $1 $GREETING"\necho "trouble" >&2\nexit "$2"\n');
    await chmod(script, 0o755);
    const definition = (code: string) =>
      workflow(`command-${code}`)
        .command("tool", {
          argv: [script, "a b; rm -rf /", code],
          env: { GREETING: "hi" },
          cwd: directory,
        })
        .build();

    const ok = await runWorkflow(definition("0"), { store: fixture.store });
    expect(ok.outputs.tool).toMatchObject({
      exitCode: 0,
      stdout: "out: a b; rm -rf / hi\n",
      stderr: "trouble\n",
    });

    const failed = await runWorkflow(definition("3"), { store: fixture.store });
    expect(failed.status).toBe("failed");
    expect(failed.steps[0]?.error).toMatch(
      /exited with 3\nstdout:\nout: a b; rm -rf \/ hi\n\nstderr:\ntrouble/,
    );
  });

  it("a command step's timeout kills the child", async () => {
    const definition = workflow("sleepy")
      .command("nap", { argv: ["sleep", "30"], timeoutMs: 200 })
      .build();
    const startedAt = Date.now();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(summary.steps[0]?.error).toBe("step nap timed out after 200 ms");
  });
});
