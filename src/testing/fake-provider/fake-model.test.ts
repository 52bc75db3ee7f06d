import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { collectStreamParts } from "./collect-stream-parts.js";
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

function finishPart(parts: Awaited<ReturnType<typeof collectStreamParts>>["parts"]) {
  const finish = parts.find((part) => part.type === "finish");
  if (finish?.type !== "finish") throw new Error("the stream had no finish part");
  return finish;
}

const allNumbers = {
  inputTokens: 100,
  cacheReadTokens: 30,
  cacheWriteTokens: 20,
  outputTokens: 40,
  reasoningTokens: 15,
};

/**
 * What each provider package reports for `allNumbers`. Providers that do not report cache
 * writes (Gemini, xAI, OpenAI-compatible) count those tokens as uncached input.
 */
const expectedUsage: Record<ProviderShape, { inputTokens: object; outputTokens: object }> = {
  openai: {
    inputTokens: { total: 100, noCache: 50, cacheRead: 30, cacheWrite: 20 },
    outputTokens: { total: 40, text: 25, reasoning: 15 },
  },
  anthropic: {
    inputTokens: { total: 100, noCache: 50, cacheRead: 30, cacheWrite: 20 },
    outputTokens: { total: 40, text: 25, reasoning: 15 },
  },
  google: {
    inputTokens: { total: 100, noCache: 70, cacheRead: 30, cacheWrite: undefined },
    outputTokens: { total: 40, text: 25, reasoning: 15 },
  },
  xai: {
    inputTokens: { total: 100, noCache: 70, cacheRead: 30, cacheWrite: undefined },
    outputTokens: { total: 40, text: 25, reasoning: 15 },
  },
  "openai-compatible": {
    inputTokens: { total: 100, noCache: 70, cacheRead: 30, cacheWrite: undefined },
    outputTokens: { total: 40, text: 25, reasoning: 15 },
  },
};

/** What each package reports when the test gives only input and output tokens. */
const expectedPlainUsage: Record<ProviderShape, { inputTokens: object; outputTokens: object }> = {
  openai: {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: 7, text: 7, reasoning: 0 },
  },
  anthropic: {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 7, text: undefined, reasoning: undefined },
  },
  google: {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: 7, text: 7, reasoning: 0 },
  },
  xai: {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: 7, text: 7, reasoning: 0 },
  },
  "openai-compatible": {
    inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: 7, text: 7, reasoning: 0 },
  },
};

describe.each(providerShapes)("the %s provider package against the fake server", (shape) => {
  test("generates the scripted text with every usage number mapped", async () => {
    server.enqueue({ kind: "reply", text: "Hello there, world.", usage: allNumbers });
    const result = await fakeModel(server, shape, "model-1").doGenerate({ prompt });

    expect(result.content).toEqual([
      expect.objectContaining({ type: "text", text: "Hello there, world." }),
    ]);
    expect(result.finishReason.unified).toBe("stop");
    expect(result.usage).toMatchObject(expectedUsage[shape]);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });

  test("streams the scripted chunks with every usage number mapped", async () => {
    server.enqueue({ kind: "reply", chunks: ["Hel", "lo ", "world"], usage: allNumbers });
    const { stream } = await fakeModel(server, shape, "model-1").doStream({ prompt });
    const collected = await collectStreamParts(stream);

    const deltas = collected.parts.flatMap((part) =>
      part.type === "text-delta" ? [part.delta] : [],
    );
    expect(deltas).toEqual(["Hel", "lo ", "world"]);
    expect(collected.errorParts).toEqual([]);
    expect(collected.thrown).toBeUndefined();
    const finish = finishPart(collected.parts);
    expect(finish.finishReason.unified).toBe("stop");
    expect(finish.usage).toMatchObject(expectedUsage[shape]);
    expect(server.requestsFor(shape)).toHaveLength(1);
    expect(server.requests[0]?.stream).toBe(true);
  });

  test("reports plain input and output numbers the way the provider does", async () => {
    server.setDefault({ kind: "reply", usage: { inputTokens: 12, outputTokens: 7 } });
    const model = fakeModel(server, shape, "model-1");
    const generated = await model.doGenerate({ prompt });
    const streamed = await collectStreamParts((await model.doStream({ prompt })).stream);

    expect(generated.usage).toMatchObject(expectedPlainUsage[shape]);
    expect(finishPart(streamed.parts).usage).toMatchObject(expectedPlainUsage[shape]);
    expect(server.requestsFor(shape)).toHaveLength(2);
  });

  test("maps a length finish to the provider's own stop reason", async () => {
    server.setDefault({ kind: "reply", text: "cut short", finishReason: "length" });
    const model = fakeModel(server, shape, "model-1");
    const generated = await model.doGenerate({ prompt });
    const streamed = await collectStreamParts((await model.doStream({ prompt })).stream);

    // @ai-sdk/xai maps only the response status when not streaming: "incomplete" is "other".
    expect(generated.finishReason.unified).toBe(shape === "xai" ? "other" : "length");
    expect(finishPart(streamed.parts).finishReason.unified).toBe("length");
    expect(streamed.text).toBe("cut short");
    expect(server.requestsFor(shape)).toHaveLength(2);
  });

  test("answers with the default text when nothing is scripted", async () => {
    const result = await fakeModel(server, shape, "model-1").doGenerate({ prompt });

    expect(result.content).toEqual([
      expect.objectContaining({ type: "text", text: "Hello from the fake provider." }),
    ]);
    expect(server.requestsFor(shape)).toHaveLength(1);
  });
});

describe("OpenAI's two APIs", () => {
  test("the default @ai-sdk/openai model calls the Responses API", async () => {
    await fakeModel(server, "openai", "gpt-5").doGenerate({ prompt });

    expect(server.requests.map((request) => [request.path, request.api])).toEqual([
      ["/v1/responses", "openai-responses"],
    ]);
  });

  test("the chat model calls chat completions and asks for usage in streams", async () => {
    server.setDefault({ kind: "reply", usage: allNumbers });
    const model = fakeModel(server, "openai", "gpt-4o", { openaiApi: "chat" });
    const generated = await model.doGenerate({ prompt });
    const streamed = await collectStreamParts((await model.doStream({ prompt })).stream);

    expect(generated.usage).toMatchObject(expectedUsage.openai);
    expect(finishPart(streamed.parts).usage).toMatchObject(expectedUsage.openai);
    expect(server.requests.map((request) => request.path)).toEqual([
      "/v1/chat/completions",
      "/v1/chat/completions",
    ]);
    expect(server.requests[1]?.body).toMatchObject({ stream_options: { include_usage: true } });
  });
});

test("a chat completions stream carries no usage unless the request asks for it", async () => {
  server.setDefault({ kind: "reply", usage: allNumbers });
  const response = await fetch(`${server.baseURL["openai-compatible"]}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "local-model", stream: true, messages: [] }),
  });
  const body = await response.text();

  expect(body).not.toContain('"usage"');
  expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
  expect(server.requestsFor("openai-compatible")).toHaveLength(1);
});
