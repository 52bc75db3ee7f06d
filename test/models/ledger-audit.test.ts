import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { modelDb } from "../../src/models/tables/model-tables.js";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { createTestGateway } from "../support/test-gateway.js";

/** ARCHITECTURE.md: a model call ends in a ledger row AND an audit event, for every model tried. */

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5", price: { input: 3, output: 15 } },
} as const;

describeEachStore("model:call audit events", (fixture) => {
  it("are written with the ledger rows, one per model tried, with the call's facts", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
      store: fixture.store,
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    server.enqueueFor("anthropic", {
      kind: "reply",
      usage: { inputTokens: 1_000, outputTokens: 200 },
    });

    await gateway.generate({ model: "smart", prompt: "hi", runId: "run-1", stepId: "step-a" });
    await gateway.flush();

    const ledger = await modelDb(fixture.store).selectFrom("model_calls").select(["id"]).execute();
    const events = await fixture.store.audit.query({ action: "model:call" });
    // The same calls in both (created_at can tie, so compare as sets).
    expect(events.map((event) => String(event.data.callId)).sort()).toEqual(
      ledger.map((row) => row.id).sort(),
    );
    expect(events).toEqual([
      expect.objectContaining({
        resource: "model:gpt",
        outcome: "failure",
        data: expect.objectContaining({
          alias: "gpt",
          provider: "openai",
          model: "gpt-5",
          errorKind: "auth",
          runId: "run-1",
          stepId: "step-a",
        }),
      }),
      expect.objectContaining({
        resource: "model:claude",
        outcome: "success",
        data: expect.objectContaining({
          model: "claude-sonnet-4-5",
          tokens: expect.objectContaining({ input: 1_000, output: 200 }),
          costUsd: 0.006,
          runId: "run-1",
        }),
      }),
    ]);
    expect(events[1]?.data).not.toHaveProperty("errorKind");
  });
});
