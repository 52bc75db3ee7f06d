import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  cancelRun,
  getRun,
  loadWorkflowFile,
  RunEmitter,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import { runInProcess } from "../cli/cli-harness.js";
import { describeEachStore } from "../helpers/stores.js";

describeEachStore("showing a run that is still being driven", (fixture) => {
  it("getRun folds the state of a running run from its committed deltas", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const definition = workflow("live")
      .state("notes", { reducer: "append" })
      .state("total", { reducer: "sum" })
      .step("first", {
        run: () => "seen",
        writes: { notes: (scope) => scope.output?.text, total: () => 2 },
      })
      .step("second", { run: () => 3, writes: { total: (scope) => scope.output?.object } })
      .step("last", { needs: ["first", "second"], run: () => held.then(() => "end") })
      .build();
    const events = new RunEmitter();
    const lastStarted = new Promise<void>((resolve) =>
      events.on("step:start", (event) => {
        if (event.stepId === "last") resolve();
      }),
    );
    const handle = await startRun(definition, { store: fixture.store, events });
    await lastStarted;

    const live = await getRun(fixture.store, handle.runId, definition);
    expect(live.status).toBe("running");
    expect(live.state).toEqual({ notes: ["seen"], total: 5 });
    expect(live.steps.map((step) => [step.id, step.status])).toEqual([
      ["first", "succeeded"],
      ["second", "succeeded"],
      ["last", "running"],
    ]);

    release();
    expect((await handle.done).state).toEqual({ notes: ["seen"], total: 5 });
  });

  it("orkestra show prints the current state of a run from a file while it runs", async () => {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-show-"));
    const file = join(directory, "live.yaml");
    await writeFile(
      file,
      `name: live
state:
  notes: { reducer: append }
steps:
  first:
    command: ["node", "-e", "process.stdout.write('seen')"]
    writes: { notes: "{{ output.text }}" }
  second:
    needs: [first]
    command: ["sleep", "30"]
`,
    );
    const definition = { ...(await loadWorkflowFile(file)), source: file };
    const events = new RunEmitter();
    const secondStarted = new Promise<void>((resolve) =>
      events.on("step:start", (event) => {
        if (event.stepId === "second") resolve();
      }),
    );
    const handle = await startRun(definition, { store: fixture.store, events, pollIntervalMs: 50 });
    try {
      await secondStarted;
      const shown = await runInProcess(["show", handle.runId, "--json"], {
        cwd: directory,
        env: { ORKESTRA_STORE: fixture.url },
      });
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({
        status: "running",
        state: { notes: ["seen"] },
        steps: [
          { id: "first", status: "succeeded" },
          { id: "second", status: "running" },
        ],
      });
    } finally {
      await cancelRun(fixture.store, handle.runId);
      await handle.done;
      await rm(directory, { recursive: true, force: true });
    }
  });
});
