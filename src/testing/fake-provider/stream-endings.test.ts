import { APICallError } from "@ai-sdk/provider";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { collectStreamParts } from "./collect-stream-parts.js";
import { fakeModel } from "./fake-model.js";
import type { FakeProviderServer } from "./fake-provider-server.js";
import { type ProviderShape, providerShapes } from "./provider-shape.js";
import { startFakeProviderServer } from "./start-fake-provider-server.js";

// `streamEndEarly` and `notEventStream`: streams that end cleanly but wrongly. Checked on the
// wire (what a client receives) and through each provider package (what the gateway sees).

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

let server: FakeProviderServer;
beforeEach(async () => {
  server = await startFakeProviderServer();
});
afterEach(async () => {
  await server.close();
});

/** A stream request as each provider package sends it, by hand. */
function streamRequest(shape: ProviderShape): Promise<Response> {
  const base = server.baseURL[shape];
  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body) });
  switch (shape) {
    case "openai":
    case "openai-compatible":
      return post("/chat/completions", { model: "m", stream: true, messages: [] });
    case "anthropic":
      return post("/messages", { model: "m", stream: true, messages: [] });
    case "google":
      return post("/models/m:streamGenerateContent?alt=sse", { contents: [] });
    case "xai":
      return post("/responses", { model: "m", stream: true, input: [] });
  }
}

/** What only the end of a finished stream holds, per wire format. */
const finishMarkers: Record<ProviderShape, readonly string[]> = {
  openai: ['"finish_reason":"stop"', "[DONE]"],
  "openai-compatible": ['"finish_reason":"stop"', "[DONE]"],
  anthropic: ["message_delta", "message_stop"],
  google: ['"finishReason"'],
  xai: ["response.completed"],
};

const chunks = ["alpha ", "beta ", "gamma"];

describe.each(providerShapes)("streamEndEarly through %s", (shape) => {
  test("sends the opening and the first deltas, then closes cleanly without the finish", async () => {
    server.enqueue({ kind: "streamEndEarly", afterChunks: 2, reply: { chunks } });
    const response = await streamRequest(shape);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(body).toContain("alpha ");
    expect(body).toContain("beta ");
    expect(body).not.toContain("gamma");
    for (const marker of finishMarkers[shape]) expect(body).not.toContain(marker);
  });

  test("the finished stream it is cut from does hold the finish markers", async () => {
    server.enqueue({ kind: "reply", chunks });
    const body = await (await streamRequest(shape)).text();

    for (const marker of finishMarkers[shape]) expect(body).toContain(marker);
  });

  test("leaves the package without the provider's finish reason", async () => {
    server.enqueue({ kind: "streamEndEarly", afterChunks: 2, reply: { chunks } });
    const { stream } = await fakeModel(server, shape, "m", { openaiApi: "chat" }).doStream({
      prompt,
    });
    const collected = await collectStreamParts(stream);
    const finishes = collected.parts.flatMap((part) => (part.type === "finish" ? [part] : []));

    expect(collected.text).toBe("alpha beta ");
    expect(collected.thrown).toBeUndefined();
    expect(finishes).toHaveLength(1);
    expect(finishes[0]?.finishReason.raw).toBeUndefined();
  });

  test("sends half of a JSON body with a content-length to match: a parse failure", async () => {
    server.enqueue({ kind: "streamEndEarly", afterChunks: 0 });
    let thrown: unknown;
    try {
      await fakeModel(server, shape, "m").doGenerate({ prompt });
    } catch (error) {
      thrown = error;
    }

    expect(APICallError.isInstance(thrown)).toBe(true);
    expect((thrown as APICallError).message).toBe("Invalid JSON response");
    expect((thrown as APICallError).statusCode).toBe(200);
  });
});

describe.each(providerShapes)("notEventStream through %s", (shape) => {
  test("answers a stream request with the non-streaming JSON reply", async () => {
    server.enqueue({ kind: "notEventStream", reply: { text: "whole answer" } });
    const response = await streamRequest(shape);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(body)).toBeTypeOf("object");
    expect(body).toContain("whole answer");
  });

  test("answers a JSON request with the same body: an ordinary reply there", async () => {
    server.enqueue({ kind: "notEventStream", reply: { text: "whole answer" } });
    const result = await fakeModel(server, shape, "m").doGenerate({ prompt });

    expect(result.content).toEqual([expect.objectContaining({ text: "whole answer" })]);
  });
});

test("notEventStream sends a string body as text/plain, and anything else as JSON", async () => {
  server.enqueue(
    { kind: "notEventStream", body: "<html>Service is up</html>" },
    { kind: "notEventStream", body: { status: "ok" } },
  );
  const text = await streamRequest("anthropic");
  const json = await streamRequest("anthropic");

  expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  expect(await text.text()).toBe("<html>Service is up</html>");
  expect(json.headers.get("content-type")).toBe("application/json");
  expect(await json.json()).toEqual({ status: "ok" });
});

test("streamEndEarly spaces delayed deltas out and still ends cleanly", async () => {
  server.enqueue({
    kind: "streamEndEarly",
    afterChunks: 2,
    reply: { chunks, chunkDelayMs: 15 },
  });
  const started = Date.now();
  const body = await (await streamRequest("google")).text();

  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  expect(body).toContain("beta ");
  expect(body).not.toContain("gamma");
});
