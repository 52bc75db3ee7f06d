import { APICallError } from "@ai-sdk/provider";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { collectStreamParts } from "./collect-stream-parts.js";
import { errors } from "./errors.js";
import { fakeModel } from "./fake-model.js";
import type { FakeProviderServer } from "./fake-provider-server.js";
import { type ProviderShape, providerShapes } from "./provider-shape.js";
import { startFakeProviderServer } from "./start-fake-provider-server.js";

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

let server: FakeProviderServer;
beforeEach(async () => {
  server = await startFakeProviderServer();
});
afterEach(async () => {
  await server.close();
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

function apiCallError(error: unknown): APICallError {
  if (!APICallError.isInstance(error)) throw new Error(`not an APICallError: ${String(error)}`);
  return error;
}

/** The provider's own error for the status-only `{ kind: "error", status: 429 }`. */
const rateLimitMessage: Record<ProviderShape, RegExp> = {
  openai: /^Rate limit reached for/,
  anthropic: /^This request would exceed the rate limit/,
  google: /^You exceeded your current quota/,
  xai: /^Some resource has been exhausted: /,
  "openai-compatible": /^Rate limit reached for/,
};

describe.each(providerShapes)("failures seen through the %s provider package", (shape) => {
  test("an HTTP error arrives as an APICallError with status, headers and body", async () => {
    server.enqueue({ kind: "error", status: 429, headers: { "retry-after": "3" } });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doGenerate({ prompt })),
    );

    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(rateLimitMessage[shape]);
    expect(error.responseHeaders?.["retry-after"]).toBe("3");
    expect(JSON.parse(error.responseBody ?? "")).toBeTypeOf("object");
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("an HTTP error fails doStream before any stream exists", async () => {
    server.enqueue({ kind: "error", status: 503 });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doStream({ prompt })),
    );

    expect(error.statusCode).toBe(503);
    expect(error.isRetryable).toBe(true);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a reset is a retryable network error", async () => {
    server.enqueue({ kind: "reset" });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doGenerate({ prompt })),
    );

    expect(error.message).toMatch(/^Cannot connect to API/);
    expect(error.statusCode).toBeUndefined();
    expect(error.isRetryable).toBe(true);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a body that is not JSON is a parse error on a 200", async () => {
    server.enqueue({ kind: "invalidJson" });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doGenerate({ prompt })),
    );

    expect(error.message).toBe("Invalid JSON response");
    expect(error.statusCode).toBe(200);
    expect(error.isRetryable).toBe(false);
    expect((error.cause as Error).name).toBe("AI_JSONParseError");
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a garbled stream event becomes an error part", async () => {
    server.enqueue({ kind: "invalidJson", body: "{not json" });
    const { stream } = await fakeModel(server, shape, "model-1").doStream({ prompt });
    const collected = await collectStreamParts(stream);

    expect(collected.errorParts).toHaveLength(1);
    expect((collected.errorParts[0] as Error).name).toBe("AI_JSONParseError");
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a cut stream delivers the partial text, then fails with a retryable network error", async () => {
    server.enqueue({
      kind: "streamCut",
      afterChunks: 2,
      reply: { chunks: ["one ", "two ", "three"] },
    });
    const { stream } = await fakeModel(server, shape, "model-1").doStream({ prompt });
    const collected = await collectStreamParts(stream);

    expect(collected.text).toBe("one two ");
    const error = apiCallError(collected.thrown);
    expect(error.isRetryable).toBe(true);
    expect(collected.parts.some((part) => part.type === "finish")).toBe(false);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a cut JSON body fails the call with a retryable network error", async () => {
    server.enqueue({ kind: "streamCut", afterChunks: 0 });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doGenerate({ prompt })),
    );

    expect(error.isRetryable).toBe(true);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a hang holds the call until it is aborted, and leaves no request open", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const call = fakeModel(server, shape, "model-1").doGenerate({
      prompt,
      abortSignal: controller.signal,
    });
    await until(() => server.inFlight === 1);
    controller.abort();
    const error = await rejection(call);

    expect((error as Error).name).toBe("AbortError");
    await until(() => server.inFlight === 0 && server.openConnections === 0);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a stalled stream keeps its partial text until the reader aborts", async () => {
    server.enqueue({
      kind: "streamStall",
      afterChunks: 1,
      reply: { chunks: ["first ", "second"] },
    });
    const controller = new AbortController();
    const { stream } = await fakeModel(server, shape, "model-1").doStream({
      prompt,
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    let text = "";
    while (text !== "first ") {
      const { value } = await reader.read();
      if (value?.type === "text-delta") text += value.delta;
    }
    controller.abort();
    const error = await rejection(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    );

    expect((error as Error).name).toBe("AbortError");
    await until(() => server.inFlight === 0 && server.openConnections === 0);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("an error after some text is an error part in the stream", async () => {
    server.enqueue({
      kind: "streamError",
      afterChunks: 1,
      reply: { chunks: ["partial ", "rest"] },
    });
    const { stream } = await fakeModel(server, shape, "model-1").doStream({ prompt });
    const collected = await collectStreamParts(stream);

    expect(collected.text).toBe("partial ");
    expect(collected.errorParts).toHaveLength(1);
    expect(collected.thrown).toBeUndefined();
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("a delay holds any behaviour back", async () => {
    server.enqueue({ kind: "delay", ms: 60, behaviour: { kind: "error", status: 500 } });
    const started = Date.now();
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doGenerate({ prompt })),
    );

    expect(error.statusCode).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });
});

describe("an error as the first stream event", () => {
  // Anthropic and OpenAI check the first event themselves and throw from doStream, so a
  // retry can happen before any output; the other packages hand it over as an error part.
  test.each([
    ["anthropic", 529, "Overloaded"],
    ["openai", 500, "The server had an error while processing your request."],
  ] as const)("fails %s's doStream with the in-band status", async (shape, status, message) => {
    server.enqueue({ kind: "streamError" });
    const error = apiCallError(
      await rejection(fakeModel(server, shape, "model-1").doStream({ prompt })),
    );

    expect(error.statusCode).toBe(status);
    expect(error.message).toContain(message);
    expect(error.isRetryable).toBe(true);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test.each([
    ["google", 503],
    ["xai", 500],
  ] as const)("is a retryable error part from %s", async (shape, status) => {
    server.enqueue({ kind: "streamError" });
    const { stream } = await fakeModel(server, shape, "model-1").doStream({ prompt });
    const collected = await collectStreamParts(stream);

    expect(collected.text).toBe("");
    expect(collected.errorParts).toEqual([
      expect.objectContaining({ statusCode: status, isRetryable: true }),
    ]);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("is the raw OpenAI error object from openai-compatible", async () => {
    server.enqueue({ kind: "streamError", error: errors.openai.rateLimit() });
    const { stream } = await fakeModel(server, "openai-compatible", "model-1").doStream({
      prompt,
    });
    const collected = await collectStreamParts(stream);

    expect(collected.errorParts).toEqual([
      expect.objectContaining({ code: "rate_limit_exceeded", type: "tokens" }),
    ]);
    expect(server.requestsFor("openai-compatible")).toHaveLength(1);
  });

  test("carries the scripted provider error through Anthropic's event", async () => {
    server.enqueue({ kind: "streamError", error: errors.anthropic.rateLimit() });
    const error = apiCallError(
      await rejection(fakeModel(server, "anthropic", "claude-x").doStream({ prompt })),
    );

    expect(error.statusCode).toBe(429);
    expect(error.message).toMatch(/^This request would exceed the rate limit/);
    expect(server.requestsFor("anthropic")).toHaveLength(1);
  });
});

test("a stream error on a JSON request is sent as the HTTP error", async () => {
  server.enqueue({ kind: "streamError", error: errors.anthropic.overloaded() });
  const error = apiCallError(
    await rejection(fakeModel(server, "anthropic", "claude-x").doGenerate({ prompt })),
  );

  expect(error.statusCode).toBe(529);
  expect(error.message).toBe("Overloaded");
  expect(server.requestsFor("anthropic")).toHaveLength(1);
});

test("close() destroys a hanging connection at once", async () => {
  server.enqueue({ kind: "hang" });
  const failure = rejection(fakeModel(server, "anthropic", "claude-x").doGenerate({ prompt }));
  await until(() => server.inFlight === 1);
  await server.close();
  const error = apiCallError(await failure);

  expect(error.isRetryable).toBe(true);
  expect(server.openConnections).toBe(0);
  expect(server.requestsFor("anthropic")).toHaveLength(1);
});

test("chunk delays space the deltas out", async () => {
  server.enqueue({ kind: "reply", chunks: ["a", "b", "c"], chunkDelayMs: 25 });
  const started = Date.now();
  const { stream } = await fakeModel(server, "google", "gemini-x").doStream({ prompt });
  const collected = await collectStreamParts(stream);

  expect(collected.text).toBe("abc");
  expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  expect(server.requestsFor("google")).toHaveLength(1);
});

test("a stream cut between delayed chunks still delivers what was sent", async () => {
  server.enqueue({
    kind: "streamCut",
    afterChunks: 2,
    reply: { chunks: ["a", "b", "c"], chunkDelayMs: 10 },
  });
  const { stream } = await fakeModel(server, "xai", "grok-x").doStream({ prompt });
  const collected = await collectStreamParts(stream);

  expect(collected.text).toBe("ab");
  expect(apiCallError(collected.thrown).isRetryable).toBe(true);
  expect(server.requestsFor("xai")).toHaveLength(1);
});

test("aborting while a reply waits out its delay frees the request", async () => {
  server.enqueue({ kind: "reply", delayMs: 60_000 });
  const controller = new AbortController();
  const failure = rejection(
    fakeModel(server, "openai", "gpt-x").doStream({ prompt, abortSignal: controller.signal }),
  );
  await until(() => server.inFlight === 1);
  controller.abort();

  expect(((await failure) as Error).name).toBe("AbortError");
  await until(() => server.inFlight === 0);
  expect(server.requestsFor("openai")).toHaveLength(1);
});
