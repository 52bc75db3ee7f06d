import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { RunEmitter, runWorkflow, workflow } from "../../src/engine/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { createTestGateway } from "../support/test-gateway.js";
import { waitUntil } from "../support/wait-until.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  gpt: { provider: "openai", model: "gpt-5", retries: 0, timeoutMs: 10_000 },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5", retries: 0, timeoutMs: 10_000 },
} as const;

describeEachStore("model steps", (fixture) => {
  it("a prompt step's timeout aborts the model call (the request is closed) and retries it", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("openai", { kind: "hang" }, { kind: "reply", text: "second try" });
    const definition = workflow("timeout")
      .prompt("ask", { model: "gpt", prompt: "hello", timeoutMs: 300, retries: 1 })
      .build();
    const retried: string[] = [];
    const events = new RunEmitter();
    events.on("step:retry", (event) => retried.push(event.error));

    const startedAt = Date.now();
    const summary = await runWorkflow(definition, {
      store: fixture.store,
      gateway,
      events,
      retryBackoffMs: 5,
    });

    expect(summary.status).toBe("succeeded");
    expect(summary.outputs.ask).toMatchObject({ text: "second try", model: "gpt" });
    expect(retried).toEqual(["step ask timed out after 300 ms"]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await waitUntil(() => server.inFlight === 0, { what: "the hanging request closed" });
  });

  it("fails the step when the timeout is reached on the last attempt, and the request is closed", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.setDefault({ kind: "hang" }, "openai");
    const definition = workflow("stuck")
      .prompt("ask", { model: "gpt", prompt: "hello", timeoutMs: 200 })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store, gateway });

    expect(summary).toMatchObject({
      status: "failed",
      error: "step ask failed: step ask timed out after 200 ms",
    });
    await waitUntil(() => server.inFlight === 0, { what: "the hanging request closed" });
  });

  it("structured output, tokens, cost and model per step; ledger rows carry the run and step ids", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("openai", {
      kind: "reply",
      text: JSON.stringify({ score: 0.9, summary: "good" }),
    });
    const definition = workflow("structured")
      .state("score")
      .prompt("judge", {
        model: "gpt",
        prompt: "judge it",
        schema: z.object({ score: z.number(), summary: z.string() }),
        writes: {
          score: (scope) => (scope.output?.object as { score: number } | undefined)?.score,
        },
      })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store, gateway });
    await gateway.flush();

    expect(summary.state).toEqual({ score: 0.9 });
    expect(summary.steps[0]).toMatchObject({ id: "judge", status: "succeeded", model: "gpt" });
    const rows = await modelDb(fixture.store)
      .selectFrom("model_calls")
      .select(["run_id", "step_id"])
      .execute();
    expect(rows).toEqual([{ run_id: summary.runId, step_id: "judge" }]);
  });

  it("a fanout step succeeds partially when minSuccesses answered", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("openai", { kind: "reply", text: "from gpt" });
    server.enqueueFor("anthropic", errors.anthropic.invalidRequest());
    const definition = workflow("fan")
      .fanout("ask", { models: ["gpt", "claude"], prompt: "hi", minSuccesses: 1 })
      .step("count", { needs: ["ask"], run: (context) => context.steps.ask?.text })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store, gateway });

    expect(summary.status).toBe("succeeded");
    expect(summary.outputs.count).toBe("## gpt\nfrom gpt");
    expect(summary.outputs.ask).toMatchObject({
      answers: [{ model: "gpt", text: "from gpt" }],
      failures: [{ model: "claude" }],
    });
  });

  it("a model step does not start once the run's budget is spent", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { gpt: { ...models.gpt, price: { input: 1, output: 1 }, maxTokens: 50 } },
      store: fixture.store,
    });
    server.setDefault(
      { kind: "reply", text: "ok", usage: { inputTokens: 600_000, outputTokens: 1 } },
      "openai",
    );
    // Room for the first call's worst case; its real cost ($0.60) then leaves no room for more.
    const definition = workflow("budgeted")
      .options({ budgetUsd: 0.6 })
      .prompt("first", { model: "gpt", prompt: "hi" })
      .prompt("second", { needs: ["first"], model: "gpt", prompt: "again" })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store, gateway });

    expect(summary.status).toBe("failed");
    expect(summary.steps[1]?.error).toMatch(/budget is spent/);
    expect(server.requests).toHaveLength(1);
  });

  it("budgetUsd is hard: concurrent steps cannot spend past it together", async () => {
    const priced = { ...models.gpt, price: { input: 1, output: 1 }, maxTokens: 50 };
    const { gateway } = createTestGateway({
      server,
      models: { gpt: priced },
      store: fixture.store,
    });
    const worstCase = gateway.worstCaseCostUsd({ model: "gpt", prompt: "step a" });
    server.setDefault({ kind: "reply", text: "ok", delayMs: 300 }, "openai");
    // Room for one call's worst case at a time, not two: the committed cost is still 0 when
    // all three start, so only the reservation can stop the second and third.
    const definition = workflow("parallel-budget")
      .options({ budgetUsd: worstCase * 1.5, concurrency: 3 })
      .prompt("a", { model: "gpt", prompt: "step a" })
      .prompt("b", { model: "gpt", prompt: "step b" })
      .prompt("c", { model: "gpt", prompt: "step c" })
      .build();

    const summary = await runWorkflow(definition, { store: fixture.store, gateway });

    expect(server.requests).toHaveLength(1);
    // The first refusal fails the run, which cancels the call in flight and any step not
    // yet refused.
    expect(summary.status).toBe("failed");
    expect(summary.error).toMatch(new RegExp(`budget exceeded: budgetUsd of run ${summary.runId}`));
    await gateway.flush();
    const counter = await modelDb(fixture.store)
      .selectFrom("budget_counters")
      .select(["reserved_nanousd"])
      .where("scope", "=", `run:${summary.runId}`)
      .executeTakeFirstOrThrow();
    expect(Number(counter.reserved_nanousd)).toBe(0);
  });
});
