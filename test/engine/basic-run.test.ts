import { expect, it } from "vitest";
import {
  getRun,
  RunEmitter,
  type RunEvent,
  runWorkflow,
  workflow,
} from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";

describeEachStore("running a workflow", (fixture) => {
  it("runs steps in dependency order, passing outputs and folding state", async () => {
    const definition = workflow("basic")
      .input("name", { type: "string" })
      .state("notes", { reducer: "append" })
      .step("greet", {
        run: (context) => `hello ${context.inputs.name}`,
        writes: { notes: (scope) => scope.output?.text },
      })
      .step("shout", {
        needs: ["greet"],
        run: (context) => (context.steps.greet?.output ?? "").toUpperCase(),
        writes: { notes: (scope) => scope.output?.text },
      })
      .build();
    const events = new RunEmitter();
    const seen: RunEvent["type"][] = [];
    events.onAny((event) => seen.push(event.type));

    const summary = await runWorkflow(definition, {
      store: fixture.store,
      inputs: { name: "ada" },
      events,
    });

    expect(summary).toMatchObject({
      success: true,
      status: "succeeded",
      stopReason: "no_loop",
      outputs: { greet: "hello ada", shout: "HELLO ADA" },
      state: { notes: ["hello ada", "HELLO ADA"] },
    });
    expect(summary.steps.map((step) => [step.id, step.status, step.attempts])).toEqual([
      ["greet", "succeeded", 1],
      ["shout", "succeeded", 1],
    ]);
    expect(seen).toEqual([
      "run:start",
      "step:start",
      "step:end",
      "step:start",
      "step:end",
      "iteration:end",
      "run:end",
    ]);
    expect(await getRun(fixture.store, summary.runId)).toMatchObject({
      status: "succeeded",
      state: summary.state,
    });
  });
});
