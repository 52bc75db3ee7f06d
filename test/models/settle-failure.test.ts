import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { STORE_WRITE_TRIES } from "../../src/models/budget/retry-store-write.js";
import { type ModelResult, UnrecordedSpendError } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { StoreError } from "../../src/store/index.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import {
  BUDGET_PROMPT,
  createBudgetGateway,
  FULL_COST_USAGE,
  globalCounter,
  HOLD_NANO_USD,
} from "../support/budget-gateway.js";
import { type FlakyStore, flakyStore } from "../support/flaky-store.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const ANSWER = "The paid answer.";

/** The provider answers; while it does, the store starts failing `failures` settle statements. */
function answerThenFailSettles(store: FlakyStore, failures: number): void {
  server.setDefault(() => {
    store.failNextStatements(failures);
    return { kind: "reply", text: ANSWER, usage: FULL_COST_USAGE };
  });
}

async function unrecorded(call: Promise<unknown>): Promise<UnrecordedSpendError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!UnrecordedSpendError.isInstance(error)) {
    throw new Error(`expected an UnrecordedSpendError, got ${String(error)}`);
  }
  return error;
}

describeEachStore("a store failure after a paid answer", (fixture) => {
  function setUp() {
    const store = flakyStore(fixture.store);
    const test = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store,
      dailyUsd: 1,
    });
    return { store, ...test };
  }

  it("retries only the settle: one paid request, the answer kept, the spend counted", async () => {
    const { store, gateway, breakers } = setUp();
    answerThenFailSettles(store, 1);

    const result = await gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });

    expect(result.text).toBe(ANSWER);
    expect(store.refusedWrites).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(breakers.get("gpt").snapshot()).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });
    expect(await globalCounter(fixture.store)).toEqual({ spent: HOLD_NANO_USD, reserved: 0 });
    // On SQLite the failed settle shared its transaction with the ledger row: the row is kept.
    await gateway.flush();
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(ledger).toEqual([expect.objectContaining({ alias: "gpt", outcome: "success" })]);
  });

  it("retries a ledger write the store refused once: the paid call's row is kept", async () => {
    const { store, gateway } = setUp();
    // After the reservation: the next transaction is the ledger's (with the settle on SQLite).
    server.setDefault(() => {
      store.failNextTransactions(1);
      return { kind: "reply", text: ANSWER, usage: FULL_COST_USAGE };
    });
    const result = await gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });
    await gateway.flush();

    expect(result.text).toBe(ANSWER);
    expect(store.refusedWrites).toBe(1);
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(ledger).toEqual([expect.objectContaining({ alias: "gpt", outcome: "success" })]);
    expect(await globalCounter(fixture.store)).toEqual({ spent: HOLD_NANO_USD, reserved: 0 });
  });

  it("surfaces a StoreError with the answer when the settle keeps failing, and audits it", async () => {
    const { store, gateway, breakers } = setUp();
    answerThenFailSettles(store, STORE_WRITE_TRIES);

    const error = await unrecorded(gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT }));
    await gateway.flush();

    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "store.busy", retryable: false, model: "gpt" });
    expect((error.answer as ModelResult).text).toBe(ANSWER);
    expect(error.costUsd).toBe(HOLD_NANO_USD / 1e9);
    expect(error.message).toContain("the store failed to record the spend");
    expect(server.requests).toHaveLength(1);
    expect(breakers.get("gpt").snapshot().consecutiveFailures).toBe(0);
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(ledger).toEqual([
      expect.objectContaining({ alias: "gpt", outcome: "success", cost_usd: HOLD_NANO_USD / 1e9 }),
    ]);
    const audit = await fixture.store.audit.query({ action: "budget:settle_failed" });
    expect(audit).toEqual([expect.objectContaining({ resource: "model:gpt", outcome: "failure" })]);
    expect(audit[0]?.data).toMatchObject({ actualUsd: HOLD_NANO_USD / 1e9 });
  });

  it("never re-calls a streamed model either; the stream's result carries the answer", async () => {
    const { store, gateway, breakers } = setUp();
    answerThenFailSettles(store, STORE_WRITE_TRIES);

    const stream = gateway.stream({ model: "gpt", prompt: BUDGET_PROMPT });
    const error = await unrecorded(stream.result);
    await gateway.flush();

    expect((error.answer as ModelResult).text).toBe(ANSWER);
    expect(server.requests).toHaveLength(1);
    expect(breakers.get("gpt").snapshot().consecutiveFailures).toBe(0);
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(ledger).toEqual([expect.objectContaining({ outcome: "success", streamed: 1 })]);
  });

  it("surfaces the store failure, not the model's, when a failed model was paid for", async () => {
    const { store, gateway } = setUp();
    // Answers that are not the JSON asked for, twice (the second the repair turn): paid, failed.
    server.setDefault(() => {
      store.failNextStatements(STORE_WRITE_TRIES);
      return { kind: "reply", text: "not json", usage: { inputTokens: 50, outputTokens: 10 } };
    });

    const error = await unrecorded(
      gateway.generate({
        model: "gpt",
        prompt: BUDGET_PROMPT,
        schema: z.object({ colour: z.string() }),
      }),
    );
    await gateway.flush();

    expect(error.answer).toBeUndefined();
    expect(error.message).toContain("the model's attempts were paid for");
    expect(server.requests).toHaveLength(2);
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(ledger).toEqual([expect.objectContaining({ outcome: "error", error_kind: "parse" })]);
  });
});
