import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  ModelCallFailure,
  type ModelStreamEvent,
} from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import {
  type FakeProviderServer,
  type ProviderShape,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.js";
import { createTestGateway } from "../support/test-gateway.js";

// How a stream ends decides what the caller gets: only the provider's own finish event makes
// an answer. The gateway reads the AI SDK's parts, so these run every provider package
// against the fake server's wire formats (OpenAI is called through Chat Completions, xAI
// through the Responses API, as the gateway does).

let server: FakeProviderServer;
let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  database = await createTestDatabase("sqlite");
  store = await openOrkestraStore(database.url);
});
afterEach(async () => {
  await store.close();
  await database.drop();
});

const SHAPES: readonly ProviderShape[] = [
  "openai",
  "anthropic",
  "google",
  "xai",
  "openai-compatible",
];

/** @ai-sdk/openai-compatible notices the missing finish itself and says so in its own words. */
const ENDED_EARLY = /before the provider's finish event|stream ended without a finish reason/;

const backup = { provider: "simulated", latencyMs: 0, reply: "from the backup" } as const;

async function collect(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function ledgerRows() {
  return modelDb(store).selectFrom("model_calls").selectAll().orderBy("created_at").execute();
}

describe("a stream that closes cleanly before the provider's finish event", () => {
  for (const shape of SHAPES) {
    it(`ends incomplete after content, never as a finish (${shape})`, async () => {
      const { gateway } = createTestGateway({
        server,
        store,
        models: { m: { provider: shape, model: "test-model" }, backup },
      });
      server.enqueueFor(shape, {
        kind: "streamEndEarly",
        afterChunks: 2,
        reply: { chunks: ["one ", "two ", "three"] },
      });

      const stream = gateway.stream({ model: "m", fallback: ["backup"], prompt: "count" });
      const events = await collect(stream);
      const error = await rejection(stream.result);
      await gateway.flush();

      expect(events.some((event) => event.type === "finish")).toBe(false);
      const last = events.at(-1);
      expect(last).toMatchObject({ type: "incomplete", model: "m", text: "one two " });
      if (last?.type !== "incomplete") throw new Error("unreachable");
      expect(last.usageEstimated).toBe(true);
      expect(last.usage.outputTokens).toBeGreaterThan(0);
      expect(IncompleteStreamError.isInstance(error)).toBe(true);
      if (!IncompleteStreamError.isInstance(error)) throw new Error("unreachable");
      expect(error.partialText).toBe("one two ");
      expect(error.kind).toBe("parse");
      expect(error.message).toMatch(ENDED_EARLY);
      expect(await ledgerRows()).toEqual([
        expect.objectContaining({ alias: "m", outcome: "incomplete", error_kind: "parse" }),
      ]);
      expect(server.requestsFor(shape)).toHaveLength(1);
    });

    it(`is an ordinary failed attempt before any content: retried, then falls back (${shape})`, async () => {
      const { gateway } = createTestGateway({
        server,
        store,
        models: { m: { provider: shape, model: "test-model", retries: 1 }, backup },
      });
      const early = { kind: "streamEndEarly", afterChunks: 0 } as const;
      server.enqueueFor(shape, early, early);

      const stream = gateway.stream({ model: "m", fallback: ["backup"], prompt: "hi" });
      const events = await collect(stream);
      const result = await stream.result;
      await gateway.flush();

      expect(events.map((event) => event.type).slice(0, 3)).toEqual(["retry", "fallback", "model"]);
      expect(result.model).toBe("backup");
      expect(result.text).toBe("from the backup");
      expect(result.fallbacks).toEqual([
        expect.objectContaining({ model: "m", kind: "parse", attempts: 2 }),
      ]);
      expect(result.fallbacks[0]?.message).toMatch(ENDED_EARLY);
      expect(await ledgerRows()).toEqual([
        expect.objectContaining({ alias: "m", outcome: "error", error_kind: "parse" }),
        expect.objectContaining({ alias: "backup", outcome: "success" }),
      ]);
      expect(server.requestsFor(shape)).toHaveLength(2);
    });
  }
});

describe("a 200 answer to a stream request that is not an event stream", () => {
  for (const shape of SHAPES) {
    it(`is a parse failure, retried and falling back like a non-streaming one (${shape})`, async () => {
      const { gateway } = createTestGateway({
        server,
        store,
        models: { m: { provider: shape, model: "test-model", retries: 1 }, backup },
      });
      server.enqueueFor(
        shape,
        { kind: "notEventStream" },
        { kind: "notEventStream", body: "Service is up" },
      );

      const stream = gateway.stream({ model: "m", fallback: ["backup"], prompt: "hi" });
      const result = await stream.result;
      await gateway.flush();

      expect(result.model).toBe("backup");
      expect(result.fallbacks).toEqual([
        expect.objectContaining({ model: "m", kind: "parse", attempts: 2 }),
      ]);
      expect(result.fallbacks[0]?.message).toContain(
        "a 200 text/plain; charset=utf-8 body, not an event stream",
      );
      expect(await ledgerRows()).toEqual([
        expect.objectContaining({ alias: "m", outcome: "error", error_kind: "parse" }),
        expect.objectContaining({ alias: "backup", outcome: "success" }),
      ]);
      expect(server.requestsFor(shape)).toHaveLength(2);
    });
  }

  it("fails the call with a parse error when no model is left", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { m: { provider: "openai", model: "gpt", retries: 0 } },
    });
    server.enqueueFor("openai", { kind: "notEventStream" });

    const error = await rejection(gateway.stream({ model: "m", prompt: "hi" }).result);

    expect(ModelCallFailure.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: "parse" });
    expect((error as Error).message).toContain("a 200 application/json body, not an event stream");
  });
});

describe("stream timeout messages name the timer that fired", () => {
  it("cites the idle timeout once content has arrived", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { m: { provider: "anthropic", model: "c", timeoutMs: 4_000 } },
      gateway: { streamIdleTimeoutMs: 150 },
    });
    server.enqueueFor("anthropic", {
      kind: "streamStall",
      afterChunks: 1,
      reply: { chunks: ["partial ", "rest"] },
    });

    const error = await rejection(gateway.stream({ model: "m", prompt: "hi" }).result);

    expect(error).toMatchObject({ kind: "timeout" });
    expect((error as Error).message).toContain("no data for 150 ms (gateway.streamIdleTimeoutMs)");
    expect((error as Error).message).not.toContain("4000");
  });

  it("cites the attempt timeout before any content", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { m: { provider: "google", model: "g", timeoutMs: 150, retries: 0 } },
      gateway: { streamIdleTimeoutMs: 1_500 },
    });
    server.enqueueFor("google", { kind: "streamStall", afterChunks: 0 });

    const error = await rejection(gateway.stream({ model: "m", prompt: "hi" }).result);

    expect(error).toMatchObject({ kind: "timeout" });
    expect((error as Error).message).toContain("no answer within 150 ms (attempt timeout)");
    expect((error as Error).message).not.toContain("1500");
  });
});
