import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { IncompleteStreamError, type ModelStreamEvent } from "../../src/models/index.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import {
  BUDGET_MAX_TOKENS,
  BUDGET_PROMPT,
  createBudgetGateway,
  dailyUsdFitting,
  globalCounter,
  HOLD_NANO_USD,
} from "../support/budget-gateway.js";
import { callFailure } from "../support/call-failure.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** What a provider that ignores `maxTokens: 100` reports: 5,000 output tokens. */
const RUNAWAY_USAGE = { inputTokens: 50, outputTokens: 5_000 } as const;
/** 50·1000 + 5000·2000 nano-USD. */
const RUNAWAY_NANO_USD = 10_050_000;
/** 2,000 words of 5 bytes: about 2,500 estimated tokens, 25 times maxTokens. */
const RUNAWAY_CHUNKS = Array.from({ length: 2_000 }, () => "word ");

describeEachStore("a provider that ignores maxTokens", (fixture) => {
  it("counts the whole overrun as spent, audits it, and refuses further calls", async () => {
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: dailyUsdFitting(2),
    });
    server.setDefault({ kind: "reply", usage: RUNAWAY_USAGE });

    const result = await gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT });
    const refused = await callFailure(gateway.generate({ model: "gpt", prompt: BUDGET_PROMPT }));
    await gateway.flush();

    expect(result.costUsd).toBe(RUNAWAY_NANO_USD / 1e9);
    expect(await globalCounter(fixture.store)).toEqual({ spent: RUNAWAY_NANO_USD, reserved: 0 });
    expect(refused.kind).toBe("budget_exceeded");
    expect(server.requests).toHaveLength(1);
    const audit = await fixture.store.audit.query({ action: "budget:overrun" });
    expect(audit).toEqual([expect.objectContaining({ resource: "model:gpt" })]);
    expect(audit[0]?.data).toEqual({
      model: "gpt",
      heldUsd: HOLD_NANO_USD / 1e9,
      actualUsd: RUNAWAY_NANO_USD / 1e9,
    });
  });

  it("cuts a stream off once its output passes the held bound: incomplete, spend counted", async () => {
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: 1,
    });
    server.setDefault({ kind: "reply", chunks: RUNAWAY_CHUNKS, usage: RUNAWAY_USAGE });

    const stream = gateway.stream({ model: "gpt", prompt: BUDGET_PROMPT });
    const events: ModelStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const error = await stream.result.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await gateway.flush();

    expect(IncompleteStreamError.isInstance(error)).toBe(true);
    if (!IncompleteStreamError.isInstance(error)) return;
    expect(error.message).toContain("stream cut off");
    expect(error.message).toContain(`maxTokens ${BUDGET_MAX_TOKENS}`);
    expect(error.usageEstimated).toBe(true);
    // Cut within a chunk of 1.5 × 100 estimated tokens (600 bytes), not after 10,000 bytes.
    expect(error.partialText.length).toBeGreaterThan(600);
    expect(error.partialText.length).toBeLessThanOrEqual(605);
    expect(events.at(-1)).toMatchObject({ type: "incomplete", model: "gpt" });
    const counter = await globalCounter(fixture.store);
    expect(counter).toEqual({ spent: Math.round(error.costUsd * 1e9), reserved: 0 });
    expect(counter.spent).toBeLessThan(2 * HOLD_NANO_USD);
    const audit = await fixture.store.audit.query({ action: "budget:overrun" });
    expect(audit).toEqual([expect.objectContaining({ resource: "model:gpt" })]);
  });

  it("lets an honest stream of exactly maxTokens finish", async () => {
    const { gateway } = createBudgetGateway({
      openaiBaseURL: server.baseURL.openai,
      store: fixture.store,
      dailyUsd: 1,
    });
    // 100 tokens of about 5 bytes each: the estimate (125) passes maxTokens, not the bound.
    server.setDefault({
      kind: "reply",
      chunks: Array.from({ length: BUDGET_MAX_TOKENS }, () => "word "),
      usage: { inputTokens: 50, outputTokens: BUDGET_MAX_TOKENS },
    });

    const result = await gateway.stream({ model: "gpt", prompt: BUDGET_PROMPT }).result;

    expect(result.usage.outputTokens).toBe(BUDGET_MAX_TOKENS);
    expect(await globalCounter(fixture.store)).toEqual({ spent: HOLD_NANO_USD, reserved: 0 });
  });
});
