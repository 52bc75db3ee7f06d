import { expect, it } from "vitest";
import { RunEmitter, runWorkflow, workflow } from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";

describeEachStore("loops", (fixture) => {
  it("iterates until the condition holds, storing each score; steps see iteration and previous", async () => {
    const scores = [0.3, 0.6, 0.85, 0.99];
    const definition = workflow("improve")
      .state("score", { reducer: "replace", scope: "iteration" })
      .state("drafts", { reducer: "append" })
      .step("draft", {
        run: (context) => ({
          iteration: context.iteration,
          previous: context.previous?.steps.draft?.output ?? null,
        }),
        writes: { drafts: (scope) => scope.iteration },
      })
      .step("judge", {
        needs: ["draft"],
        run: (context) => scores[context.iteration],
        writes: { score: (scope) => scope.output?.object },
      })
      .loop({
        until: (scope) => Number(scope.state.score) >= 0.8,
        maxIterations: 10,
        score: (scope) => Number(scope.state.score),
      })
      .build();
    const ends: number[] = [];
    const events = new RunEmitter();
    events.on("iteration:end", (event) => ends.push(event.iteration));

    const summary = await runWorkflow(definition, { store: fixture.store, events });

    expect(summary).toMatchObject({
      status: "succeeded",
      stopReason: "until",
      state: { score: 0.85, drafts: [0, 1, 2] },
    });
    expect(summary.iterations).toEqual([
      { iteration: 0, score: 0.3 },
      { iteration: 1, score: 0.6 },
      { iteration: 2, score: 0.85 },
    ]);
    expect(ends).toEqual([0, 1, 2]);
    expect(summary.outputs.draft).toEqual({
      iteration: 2,
      previous: { iteration: 1, previous: { iteration: 0, previous: null } },
    });
  });

  it("stops at maxIterations", async () => {
    const definition = workflow("bounded")
      .step("work", { run: (context) => context.iteration })
      .loop({ until: () => false, maxIterations: 3 })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary).toMatchObject({ stopReason: "max_iterations", outputs: { work: 2 } });
    expect(summary.iterations).toHaveLength(3);
  });

  it("stops when the score has not improved for noImprovement iterations", async () => {
    const scores = [0.5, 0.7, 0.6, 0.65, 0.9];
    const definition = workflow("plateau")
      .state("score", { scope: "iteration" })
      .step("judge", {
        run: (context) => scores[context.iteration],
        writes: { score: (scope) => scope.output?.object },
      })
      .loop({ maxIterations: 10, noImprovement: 2, score: (scope) => Number(scope.state.score) })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary.stopReason).toBe("no_improvement");
    expect(summary.iterations.map((entry) => entry.score)).toEqual([0.5, 0.7, 0.6, 0.65]);
  });
});

describeEachStore("deadlines", (fixture) => {
  it("a run's deadline aborts the steps in flight and fails the run with stop reason deadline", async () => {
    let aborted = false;
    const definition = workflow("late")
      .options({ deadlineMs: 300 })
      .step("slow", {
        run: (context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener("abort", () => {
              aborted = true;
              reject(context.signal.reason);
            });
          }),
      })
      .build();
    const startedAt = Date.now();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(aborted).toBe(true);
    expect(summary).toMatchObject({
      status: "failed",
      stopReason: "deadline",
      error: "the run's deadline passed",
    });
    expect(summary.steps[0]?.status).toBe("cancelled");
  });
});
