import { expect, it } from "vitest";
import {
  approve,
  listApprovals,
  RunEmitter,
  reject,
  resumeRun,
  runWorkflow,
  startRun,
  workflow,
} from "../../src/engine/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { waitFor } from "../support/wait-for.js";
import { engineActionInAnotherProcess } from "./fixtures/engine-action.js";

function releaseFlow(order: string[], approvalTimeoutMs?: number) {
  return workflow("release")
    .step("notes", { run: () => "v1.2 notes" })
    .approval("gate", {
      needs: ["notes"],
      title: "Publish v1.2?",
      prompt: (scope) => `Publish these notes?\n${scope.steps.notes?.text}`,
      data: (scope) => ({ notes: scope.steps.notes?.text }),
      ...(approvalTimeoutMs === undefined ? {} : { approvalTimeoutMs }),
    })
    .step("side", {
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push("side");
        return "other branch";
      },
    })
    .step("publish", {
      needs: ["gate"],
      run: (context) => {
        order.push("publish");
        return context.steps.gate?.output;
      },
    })
    .build();
}

describeEachStore("approvals", (fixture) => {
  it("waits for a person while other branches go on; an approval from another process lets the run continue", async () => {
    const order: string[] = [];
    const events = new RunEmitter();
    const waiting: string[] = [];
    events.on("approval:waiting", (event) => waiting.push(event.title));
    const handle = await startRun(releaseFlow(order), {
      store: fixture.store,
      events,
      waitForApprovals: true,
      pollIntervalMs: 20,
    });

    await waitFor(async () => (await listApprovals(fixture.store)).length === 1, {
      what: "a pending approval",
    });
    const [pending] = await listApprovals(fixture.store);
    expect(pending).toMatchObject({
      title: "Publish v1.2?",
      prompt: "Publish these notes?\nv1.2 notes",
      data: { notes: "v1.2 notes" },
      status: "pending",
    });
    await waitFor(() => order.includes("side"), { what: "the other branch ran meanwhile" });
    expect(order).toEqual(["side"]);

    await engineActionInAnotherProcess(fixture.url, "approve", pending?.id ?? "", "ship it");
    const summary = await handle.done;

    expect(summary.status).toBe("succeeded");
    expect(waiting).toEqual(["Publish v1.2?"]);
    expect(summary.outputs.publish).toMatchObject({
      approved: true,
      decidedBy: expect.stringMatching(/^process:/),
      comment: "ship it",
    });
    const audit = await fixture.store.audit.query({ action: "approval:approve" });
    expect(audit).toMatchObject([
      {
        actor: expect.stringMatching(/^process:/),
        resource: `run:${summary.runId}`,
        data: { comment: "ship it" },
      },
    ]);
  });

  it("without waiting, the run stops as waiting; after a rejection, resume fails the step with the reason", async () => {
    const order: string[] = [];
    const definition = releaseFlow(order);
    const waitingRun = await runWorkflow(definition, { store: fixture.store, pollIntervalMs: 20 });
    expect(waitingRun.status).toBe("waiting");
    expect(waitingRun.steps.find((step) => step.id === "gate")?.status).toBe("waiting");
    expect(order).toEqual(["side"]);

    const [pending] = await listApprovals(fixture.store);
    await reject(fixture.store, pending?.id ?? "", {
      actor: "cli:bob",
      comment: "typo in the notes",
    });
    const resumed = await resumeRun(waitingRun.runId, {
      store: fixture.store,
      definition,
      pollIntervalMs: 20,
    });

    expect(resumed.status).toBe("failed");
    expect(resumed.error).toBe(
      "step gate failed: step gate: rejected by cli:bob: typo in the notes",
    );
    expect(order).toEqual(["side"]);
  });

  it("an approval that times out is rejected on its own", async () => {
    const summary = await runWorkflow(releaseFlow([], 100), {
      store: fixture.store,
      waitForApprovals: true,
      pollIntervalMs: 20,
    });
    expect(summary.status).toBe("failed");
    expect(summary.error).toMatch(/rejected by timeout: timed out/);
    expect(await listApprovals(fixture.store, { status: "rejected" })).toMatchObject([
      { decidedBy: "timeout" },
    ]);
  });

  it("deciding twice is an error", async () => {
    await runWorkflow(releaseFlow([]), { store: fixture.store, pollIntervalMs: 20 });
    const [pending] = await listApprovals(fixture.store);
    await approve(fixture.store, pending?.id ?? "", { actor: "a" });
    await expect(reject(fixture.store, pending?.id ?? "", { actor: "b" })).rejects.toThrow(
      /already approved by a/,
    );
  });
});
