import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { collectStreamParts } from "./collect-stream-parts.js";
import { fakeModel } from "./fake-model.js";
import type { FakeProviderServer } from "./fake-provider-server.js";
import { providerShapes } from "./provider-shape.js";
import type { RecordedRequest } from "./recorded-request.js";
import { startFakeProviderServer } from "./start-fake-provider-server.js";

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

let server: FakeProviderServer;
beforeEach(async () => {
  server = await startFakeProviderServer();
});
afterEach(async () => {
  await server.close();
});

function textOf(result: Awaited<ReturnType<ReturnType<typeof fakeModel>["doGenerate"]>>): string {
  return result.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
}

describe("addresses", () => {
  test("listens on loopback and gives each provider package its base URL", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.baseURL).toEqual({
      openai: `${server.url}/v1`,
      anthropic: `${server.url}/v1`,
      google: `${server.url}/v1beta`,
      xai: `${server.url}/xai/v1`,
      "openai-compatible": `${server.url}/compatible/v1`,
    });
  });

  test("answers an unknown route with a 404 that lists the routes", async () => {
    const response = await fetch(`${server.url}/v1/embeddings`, { method: "POST", body: "{}" });
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(404);
    expect(body.error.message).toContain("POST /v1/messages");
    expect(server.requests).toEqual([
      expect.objectContaining({ path: "/v1/embeddings", provider: undefined }),
    ]);
  });

  test("refuses a Gemini stream that does not ask for server-sent events", async () => {
    const response = await fetch(`${server.baseURL.google}/models/gemini-x:streamGenerateContent`, {
      method: "POST",
      body: "{}",
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain("alt=sse");
    expect(server.requestsFor("google")).toHaveLength(1);
  });
});

describe("recording", () => {
  test("records each provider's request with the key it sent", async () => {
    for (const shape of providerShapes) {
      await fakeModel(server, shape, `${shape}-model`).doGenerate({ prompt });
    }
    const byShape = Object.fromEntries(
      server.requests.map((request) => [request.provider, request]),
    ) as Record<string, RecordedRequest>;

    expect(server.requests.map((request) => request.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(byShape.openai?.headers.authorization).toBe("Bearer fake-openai-key");
    expect(byShape.anthropic?.headers["x-api-key"]).toBe("fake-anthropic-key");
    expect(byShape.anthropic?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(byShape.google?.headers["x-goog-api-key"]).toBe("fake-google-key");
    expect(byShape.xai?.headers.authorization).toBe("Bearer fake-xai-key");
    expect(byShape["openai-compatible"]?.headers.authorization).toBe(
      "Bearer fake-openai-compatible-key",
    );
    expect(byShape.google).toMatchObject({
      method: "POST",
      path: "/v1beta/models/google-model:generateContent",
      model: "google-model",
      stream: false,
      api: "gemini-generate-content",
    });
    expect(byShape.anthropic?.body).toMatchObject({
      model: "anthropic-model",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
  });

  test("records the query, the time and the streaming flag", async () => {
    const before = Date.now();
    await collectStreamParts(
      (await fakeModel(server, "google", "gemini-x").doStream({ prompt })).stream,
    );
    const [request] = server.requestsFor("google");

    expect(request?.query).toEqual({ alt: "sse" });
    expect(request?.stream).toBe(true);
    expect(request?.time).toBeGreaterThanOrEqual(before);
  });

  test("reset() forgets requests and scripts but keeps counting", async () => {
    server.enqueue({ kind: "error", status: 500 });
    server.setDefault({ kind: "reply", text: "scripted" });
    const earlier = server.requests;
    server.reset();
    const result = await fakeModel(server, "anthropic", "claude-x").doGenerate({ prompt });

    expect(textOf(result)).toBe("Hello from the fake provider.");
    expect(earlier).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.queued()).toBe(0);
  });

  test("keeps no requests when recording is off, but behaviour functions still see them", async () => {
    const quiet = await startFakeProviderServer({ record: false });
    const seen: string[] = [];
    quiet.setDefault((request) => {
      seen.push(request.model ?? "");
      return { kind: "reply", text: "ok" };
    });
    await fakeModel(quiet, "openai", "gpt-x").doGenerate({ prompt });
    await quiet.close();

    expect(quiet.requests).toEqual([]);
    expect(seen).toEqual(["gpt-x"]);
  });
});

describe("scripting", () => {
  test("consumes queued behaviours first in, first out, then falls back to the default", async () => {
    server.enqueue({ kind: "reply", text: "first" }, { kind: "reply", text: "second" });
    server.setDefault({ kind: "reply", text: "default" });
    const model = fakeModel(server, "openai-compatible", "local");
    const texts = [];
    for (let call = 0; call < 3; call++) texts.push(textOf(await model.doGenerate({ prompt })));

    expect(texts).toEqual(["first", "second", "default"]);
    expect(server.requestsFor("openai-compatible")).toHaveLength(3);
  });

  test("a provider's own queue and default go before the shared ones", async () => {
    server.enqueue({ kind: "reply", text: "shared" });
    server.enqueueFor("anthropic", { kind: "reply", text: "for anthropic" });
    server.setDefault({ kind: "reply", text: "anthropic default" }, "anthropic");
    const anthropic = fakeModel(server, "anthropic", "claude-x");
    const google = fakeModel(server, "google", "gemini-x");

    expect(server.queued()).toBe(2);
    expect(server.queued("anthropic")).toBe(1);
    expect(textOf(await google.doGenerate({ prompt }))).toBe("shared");
    expect(textOf(await anthropic.doGenerate({ prompt }))).toBe("for anthropic");
    expect(textOf(await anthropic.doGenerate({ prompt }))).toBe("anthropic default");
    expect(textOf(await google.doGenerate({ prompt }))).toBe("Hello from the fake provider.");
    expect(server.requestsFor("anthropic")).toHaveLength(2);
    expect(server.requestsFor("google")).toHaveLength(2);
  });

  test("a behaviour function decides from the request", async () => {
    server.setDefault((request) =>
      request.stream ? { kind: "reply", text: "streamed" } : { kind: "error", status: 401 },
    );
    const model = fakeModel(server, "anthropic", "claude-x");
    const streamed = await collectStreamParts((await model.doStream({ prompt })).stream);

    expect(streamed.text).toBe("streamed");
    await expect(model.doGenerate({ prompt })).rejects.toMatchObject({ statusCode: 401 });
    expect(server.requestsFor("anthropic")).toHaveLength(2);
  });

  test("a behaviour function that throws becomes a 500 that names the failure", async () => {
    server.enqueue(() => {
      throw new Error("the test's script is broken");
    });

    await expect(fakeModel(server, "openai", "gpt-x").doGenerate({ prompt })).rejects.toMatchObject(
      { statusCode: 500, message: expect.stringContaining("the test's script is broken") },
    );
    expect(server.requestsFor("openai")).toHaveLength(1);
  });
});

describe("load", () => {
  test("serves 256 concurrent calls of every kind", async () => {
    const calls = Array.from({ length: 256 }, async (_, index) => {
      const shape = providerShapes[index % providerShapes.length] ?? "openai";
      const model = fakeModel(server, shape, "model-1");
      if (index % 2 === 0) return textOf(await model.doGenerate({ prompt }));
      return (await collectStreamParts((await model.doStream({ prompt })).stream)).text;
    });
    const texts = await Promise.all(calls);

    expect(new Set(texts)).toEqual(new Set(["Hello from the fake provider."]));
    expect(server.requests).toHaveLength(256);
    expect(server.inFlight).toBe(0);
  });
});
