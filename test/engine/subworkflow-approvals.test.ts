import { expect, it } from "vitest";
import {
  approve,
  getRun,
  listApprovals,
  listRuns,
  resumeRun,
  runWorkflow,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";

/** A parent whose sub-workflow waits for a person, beside a branch of its own. */
function parentFlow(order: string[]) {
  const child = workflow("child-gate")
    .approval("ok", { title: "Child go?", prompt: "May the child go on?" })
    .step("after", {
      needs: ["ok"],
      run: () => {
        order.push("child after");
        return "child done";
      },
    })
    .build();
  return workflow("parent")
    .step("side", {
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push("side");
        return "other branch";
      },
    })
    .subworkflow("call", { workflow: child })
    .step("use", {
      needs: ["call"],
      run: (context) => {
        order.push("use");
        const call = context.steps.call?.output as { outputs: Record<string, unknown> } | undefined;
        return call?.outputs.after;
      },
    })
    .build();
}

describeEachStore("approvals inside sub-workflows", (fixture) => {
  it("without waiting, a sub-workflow's approval sets the parent waiting and detaches it; resume continues the child", async () => {
    const order: string[] = [];
    const definition = parentFlow(order);
    const waiting = await runWorkflow(definition, { store: fixture.store, pollIntervalMs: 20 });

    expect(waiting.status).toBe("waiting");
    expect(waiting.steps.map((step) => [step.id, step.status])).toEqual([
      ["side", "succeeded"],
      ["call", "waiting"],
      ["use", "pending"],
    ]);
    expect(order).toEqual(["side"]);
    const runs = await listRuns(fixture.store);
    expect(runs.map((run) => [run.workflow, run.status]).sort()).toEqual([
      ["child-gate", "waiting"],
      ["parent", "waiting"],
    ]);
    const [pending] = await listApprovals(fixture.store);
    const child = runs.find((run) => run.workflow === "child-gate");
    expect(pending).toMatchObject({ runId: child?.id, title: "Child go?" });

    await approve(fixture.store, pending?.id ?? "", { actor: "test" });
    const resumed = await resumeRun(waiting.runId, {
      store: fixture.store,
      definition,
      pollIntervalMs: 20,
    });

    expect(resumed.status).toBe("succeeded");
    expect(resumed.outputs.use).toBe("child done");
    expect(order).toEqual(["side", "child after", "use"]);
    expect((await getRun(fixture.store, child?.id ?? "")).status).toBe("succeeded");
    expect(await listRuns(fixture.store)).toHaveLength(2);
  });

  it("with waiting, the parent is waiting while its sub-workflow waits, and goes on after the decision", async () => {
    const order: string[] = [];
    const handle = await startRun(parentFlow(order), {
      store: fixture.store,
      waitForApprovals: true,
      pollIntervalMs: 20,
    });
    await waitFor(async () => (await listApprovals(fixture.store)).length === 1, {
      what: "the child's approval",
    });
    await waitFor(async () => (await getRun(fixture.store, handle.runId)).status === "waiting", {
      what: "the parent run waiting",
    });
    const [pending] = await listApprovals(fixture.store);
    await approve(fixture.store, pending?.id ?? "", { actor: "test" });
    const summary = await handle.done;

    expect(summary.status).toBe("succeeded");
    expect(summary.outputs.use).toBe("child done");
  });
});
