import { expect, it } from "vitest";
import { z } from "zod";
import { RunEmitter, resumeRun, runWorkflow, workflow } from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachStore("executing steps", (fixture) => {
  it("applies parallel writes in the definition's step order, not completion order", async () => {
    const definition = workflow("parallel")
      .state("log", { reducer: "append" })
      .state("merged", { reducer: "merge" })
      .step("slow", {
        run: async () => {
          await delay(60);
          return "slow";
        },
        writes: { log: (scope) => scope.output?.text, merged: () => ({ a: { slow: 1 } }) },
      })
      .step("fast", {
        run: () => "fast",
        writes: { log: (scope) => scope.output?.text, merged: () => ({ a: { fast: 2 } }) },
      })
      .build();
    const ends: string[] = [];
    const events = new RunEmitter();
    events.on("step:end", (event) => ends.push(event.stepId));

    const summary = await runWorkflow(definition, { store: fixture.store, events });

    expect(ends).toEqual(["fast", "slow"]);
    expect(summary.state).toEqual({ log: ["slow", "fast"], merged: { a: { slow: 1, fast: 2 } } });
  });

  it("runs at most `concurrency` steps at once", async () => {
    let running = 0;
    let most = 0;
    let builder = workflow("wide");
    for (let index = 0; index < 6; index += 1) {
      builder = builder.step(`s${index}`, {
        run: async () => {
          running += 1;
          most = Math.max(most, running);
          await delay(30);
          running -= 1;
        },
      });
    }
    await runWorkflow(builder.build(), { store: fixture.store, concurrency: 2 });
    expect(most).toBe(2);
  });

  it("skips a step whose `when` is false, with the reason; its dependent runs and sees it skipped", async () => {
    const definition = workflow("conditional")
      .input("polish", { type: "boolean" })
      .step("polish", { when: (scope) => scope.inputs.polish === true, run: () => "polished" })
      .step("report", { needs: ["polish"], run: (context) => context.steps.polish?.status })
      .build();

    const summary = await runWorkflow(definition, {
      store: fixture.store,
      inputs: { polish: false },
    });

    expect(summary.outputs).toEqual({ report: "skipped" });
    expect(summary.steps.find((step) => step.id === "polish")).toMatchObject({
      status: "skipped",
      error: "when <function> was false",
    });
  });

  it("retries a failing step with backoff and keeps every attempt", async () => {
    let calls = 0;
    const definition = workflow("flaky")
      .step("flaky", {
        retries: 2,
        run: () => {
          calls += 1;
          if (calls < 3) throw "not yet"; // a thrown non-error is coerced
          return calls;
        },
      })
      .build();
    const retries: string[] = [];
    const events = new RunEmitter();
    events.on("step:retry", (event) => retries.push(event.error));

    const summary = await runWorkflow(definition, {
      store: fixture.store,
      events,
      retryBackoffMs: 5,
    });

    expect(summary.outputs).toEqual({ flaky: 3 });
    expect(summary.steps[0]).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(retries).toEqual(["not yet", "not yet"]);
  });

  it("does not retry a failure that says it is not retryable", async () => {
    let calls = 0;
    const definition = workflow("fatal")
      .step("fatal", {
        retries: 3,
        run: () => {
          calls += 1;
          throw Object.assign(new Error("bad key"), { retryable: false });
        },
      })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store, retryBackoffMs: 5 });
    expect(calls).toBe(1);
    expect(summary).toMatchObject({ status: "failed", error: "step fatal failed: bad key" });
  });

  it("fails a step whose output does not match its schema, with the validation message", async () => {
    const definition = workflow("validated")
      .step("score", {
        run: () => ({ score: "high" }) as never,
        output: z.object({ score: z.number() }),
      })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary.status).toBe("failed");
    expect(summary.steps[0]?.error).toMatch(/invalid output: .*score.*number/s);
  });

  it("onFailure continue: dependents run and see the step failed", async () => {
    const definition = workflow("tolerant")
      .step("breaks", {
        onFailure: "continue",
        run: () => {
          throw new Error("boom");
        },
      })
      .step("after", { needs: ["breaks"], run: (context) => context.steps.breaks })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary.status).toBe("succeeded");
    expect(summary.outputs.after).toEqual({ status: "failed", error: "boom" });
  });

  it("onFailure fallback: the fallback step runs in its place and dependents see its output", async () => {
    const definition = workflow("fallback")
      .step("primary", {
        onFailure: { fallback: "backup" },
        run: () => {
          throw new Error("down");
        },
      })
      .step("backup", { run: () => "from backup" })
      .step("use", { needs: ["primary"], run: (context) => context.steps.primary?.text })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary.status).toBe("succeeded");
    expect(summary.outputs).toEqual({ backup: "from backup", use: "from backup" });
  });

  it("a step that is only a fallback does not run when nothing fails", async () => {
    const definition = workflow("unused-fallback")
      .step("primary", { onFailure: { fallback: "backup" }, run: () => "fine" })
      .step("backup", { run: () => "never" })
      .build();
    const summary = await runWorkflow(definition, { store: fixture.store });
    expect(summary.outputs).toEqual({ primary: "fine" });
  });

  it("onExhausted pause: the run pauses, finished work stays, and a resume re-runs only the failed step", async () => {
    let fixed = false;
    const runs: string[] = [];
    const definition = workflow("pausing")
      .state("log", { reducer: "append" })
      .step("first", {
        run: () => {
          runs.push("first");
          return 1;
        },
        writes: { log: () => "first" },
      })
      .step("needs-fix", {
        needs: ["first"],
        onExhausted: "pause",
        run: () => {
          runs.push("needs-fix");
          if (!fixed) throw new Error("config missing");
          return 2;
        },
        writes: { log: () => "fixed" },
      })
      .build();

    const paused = await runWorkflow(definition, { store: fixture.store });
    expect(paused).toMatchObject({
      status: "paused",
      error: "step needs-fix failed: config missing",
    });

    fixed = true;
    const resumed = await resumeRun(paused.runId, { store: fixture.store, definition });

    expect(resumed).toMatchObject({ status: "succeeded", state: { log: ["first", "fixed"] } });
    expect(runs).toEqual(["first", "needs-fix", "needs-fix"]);
    expect(resumed.steps.find((step) => step.id === "needs-fix")?.attempts).toBe(2);
  });

  it("rejects bad inputs before creating a run", async () => {
    const definition = workflow("typed")
      .input("count", { type: "integer" })
      .step("a", { run: () => 1 })
      .build();
    await expect(
      runWorkflow(definition, { store: fixture.store, inputs: { count: "x", extra: 1 } }),
    ).rejects.toMatchObject({
      code: "workflow.input",
      message: expect.stringMatching(
        /inputs\.extra: unknown input[\s\S]*inputs\.count: found "x", expected a whole number/,
      ),
    });
    const { listRuns } = await import("../../src/engine/index.js");
    expect(await listRuns(fixture.store)).toEqual([]);
  });
});
