import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  ModelError,
  type ModelStreamEvent,
} from "../../src/models/index.js";
import {
  type FakeProviderServer,
  type ProviderShape,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function collect(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const USAGE = {
  inputTokens: 100,
  cacheReadTokens: 30,
  cacheWriteTokens: 20,
  outputTokens: 40,
  reasoningTokens: 15,
};
const SHAPES: readonly ProviderShape[] = [
  "openai",
  "anthropic",
  "google",
  "xai",
  "openai-compatible",
];

describe("streaming through the gateway", () => {
  for (const shape of SHAPES) {
    it(`gives the same text and token counts as a non-streaming call (${shape})`, async () => {
      const { gateway } = createTestGateway({
        server,
        models: { m: { provider: shape, model: "test-model" } },
      });
      const reply = {
        kind: "reply" as const,
        chunks: ["Hello ", "from ", "the stream."],
        usage: USAGE,
      };
      server.enqueueFor(shape, reply, reply);
      const whole = await gateway.generate({ model: "m", prompt: "hi" });
      const stream = gateway.stream({ model: "m", prompt: "hi" });
      const events = await collect(stream);
      const streamed = await stream.result;
      expect(streamed.text).toBe("Hello from the stream.");
      expect(streamed.text).toBe(whole.text);
      expect(streamed.usage).toEqual(whole.usage);
      expect(streamed.costUsd).toBe(whole.costUsd);
      expect(events[0]).toMatchObject({ type: "model", model: "m", provider: shape });
      expect(events.at(-1)).toMatchObject({ type: "finish" });
      expect(
        events
          .filter((event) => event.type === "text")
          .map((event) => (event.type === "text" ? event.text : ""))
          .join(""),
      ).toBe("Hello from the stream.");
    });
  }

  it("ends a stream cut after content with an incomplete marker that keeps the partial text, and never falls back", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        first: { provider: "anthropic", model: "a" },
        second: { provider: "openai", model: "b" },
      },
    });
    server.enqueueFor("anthropic", {
      kind: "streamCut",
      afterChunks: 2,
      reply: { chunks: ["one ", "two ", "three"] },
    });
    const stream = gateway.stream({ model: "first", fallback: ["second"], prompt: "count" });
    const events = await collect(stream);
    const last = events.at(-1);
    expect(last?.type).toBe("incomplete");
    if (last?.type !== "incomplete") throw new Error("unreachable");
    expect(last.text).toBe("one two ");
    expect(last.model).toBe("first");
    expect(last.usage.outputTokens).toBeGreaterThan(0);
    expect(events.some((event) => event.type === "finish")).toBe(false);
    await expect(stream.result).rejects.toSatisfy((error: unknown) => {
      return (
        IncompleteStreamError.isInstance(error) &&
        error.partialText === "one two " &&
        error.kind === "network"
      );
    });
    expect(server.requestsFor("openai")).toHaveLength(0);
  });

  it("cuts a stream that stalls after content once the idle timeout passes", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { m: { provider: "openai", model: "gpt" } },
      gateway: { streamIdleTimeoutMs: 200 },
    });
    server.enqueueFor("openai", {
      kind: "streamStall",
      afterChunks: 1,
      reply: { chunks: ["partial ", "rest"] },
    });
    const started = Date.now();
    const stream = gateway.stream({ model: "m", prompt: "hi" });
    const events = await collect(stream);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "incomplete", text: "partial " });
    if (last?.type === "incomplete") expect(last.error.kind).toBe("timeout");
    await expect(stream.result).rejects.toBeInstanceOf(ModelError);
    await eventually(() => server.inFlight === 0);
  });

  it("retries an error in the first chunk, then falls back, before any content is shown", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        claude: { provider: "anthropic", model: "c", retries: 1 },
        gemini: { provider: "google", model: "g" },
      },
    });
    server.enqueueFor("anthropic", { kind: "streamError" }, { kind: "streamError" });
    server.enqueueFor("google", { kind: "reply", chunks: ["from ", "gemini"] });
    const stream = gateway.stream({ model: "claude", fallback: ["gemini"], prompt: "hi" });
    const events = await collect(stream);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 3)).toEqual(["retry", "fallback", "model"]);
    expect(types.at(-1)).toBe("finish");
    const result = await stream.result;
    expect(result.model).toBe("gemini");
    expect(result.text).toBe("from gemini");
    expect(result.fallbacks.map((hop) => hop.model)).toEqual(["claude"]);
    expect(server.requestsFor("anthropic")).toHaveLength(2);
  });

  it("treats a stall before any content as a timed-out attempt and moves on", async () => {
    const { gateway } = createTestGateway({
      server,
      models: {
        slow: { provider: "xai", model: "grok", timeoutMs: 150, retries: 0 },
        fast: { provider: "openai-compatible", model: "llama" },
      },
    });
    server.enqueueFor("xai", { kind: "streamStall", afterChunks: 0 });
    const stream = gateway.stream({ model: "slow", fallback: ["fast"], prompt: "hi" });
    const result = await stream.result;
    expect(result.model).toBe("fast");
    expect(result.fallbacks[0]).toMatchObject({ model: "slow", kind: "timeout" });
  });

  it("stops streaming when the caller cancels mid-answer, keeping what arrived", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { m: { provider: "anthropic", model: "c" } },
    });
    server.enqueueFor("anthropic", {
      kind: "streamStall",
      afterChunks: 1,
      reply: { chunks: ["so far", "never"] },
    });
    const controller = new AbortController();
    const stream = gateway.stream({ model: "m", prompt: "hi", signal: controller.signal });
    const events: ModelStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === "text") controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: "incomplete", text: "so far" });
    await expect(stream.result).rejects.toMatchObject({ kind: "cancelled" });
    await eventually(() => server.inFlight === 0);
  });

  it("offers the text alone through textStream", async () => {
    const { gateway } = createTestGateway({
      server,
      models: { sim: { provider: "simulated", latencyMs: 0, reply: "just the words" } },
    });
    const pieces: string[] = [];
    const stream = gateway.stream({ model: "sim", prompt: "hi" });
    for await (const piece of stream.textStream()) pieces.push(piece);
    expect(pieces.join("")).toBe("just the words");
    expect((await stream.result).simulated).toBe(true);
  });

  it("refuses a schema, which cannot be validated before the stream is shown", () => {
    const { gateway } = createTestGateway({ server, models: { sim: { provider: "simulated" } } });
    expect(() => gateway.stream({ model: "sim", prompt: "hi", schema: {} as never })).toThrow(
      /cannot be streamed/,
    );
  });
});
