import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidPromptError,
  JSONParseError,
  NoSuchModelError,
  TypeValidationError,
} from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fetchFailure,
  generateError,
  providerError,
  scriptedModel,
} from "../../../test/support/provider-failures.js";
import { ModelError } from "../errors/model-error.js";
import { classifyError } from "./classify-error.js";

const context = { alias: "gpt", provider: "openai", model: "gpt-5" } as const;

/** undici's shape: `TypeError: fetch failed` with the socket error as `cause`. */
function fetchFailed(code: string, message: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

describe("classifyError on network failures", () => {
  it("calls a reset, a refused connection and a closed socket network, retryable", async () => {
    const failures = [
      fetchFailed("ECONNRESET", "read ECONNRESET"),
      fetchFailed("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:11434"),
      fetchFailed("UND_ERR_SOCKET", "other side closed"),
      fetchFailed("ETIMEDOUT", "connect ETIMEDOUT 10.0.0.1:443"),
    ];
    for (const failure of failures) {
      const error = classifyError(await fetchFailure("openai", failure), context);
      expect(error).toMatchObject({ kind: "network", retryable: true, status: undefined });
      expect(error.providerCode).toBe((failure.cause as { code: string }).code);
    }
  });

  it("names the connection problem in the message", async () => {
    const error = classifyError(
      await fetchFailure(
        "openai",
        fetchFailed("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:11434"),
      ),
      context,
    );
    expect(error.message).toBe(
      "gpt (openai gpt-5): network (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:11434",
    );
  });

  it("does not retry an unknown host but lets it fall back", async () => {
    const error = classifyError(
      await fetchFailure("openai", fetchFailed("ENOTFOUND", "getaddrinfo ENOTFOUND api.opnai.com")),
      context,
    );
    expect(error).toMatchObject({ kind: "network", retryable: false });
  });

  it("calls undici's own headers timeout a timeout", async () => {
    const error = classifyError(
      await fetchFailure("openai", fetchFailed("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error")),
      context,
    );
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("classifies the errors thrown directly, before the SDK wraps them", () => {
    const error = classifyError(fetchFailed("ECONNRESET", "read ECONNRESET"), context);
    expect(error).toMatchObject({ kind: "network", retryable: true });
  });

  describe("against a real server on 127.0.0.1", () => {
    let server: Server;
    let baseURL: string;

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url?.startsWith("/reset")) {
          request.socket.destroy();
          return;
        }
        response.writeHead(200, { "content-type": "application/json", "content-length": "4096" });
        response.write('{"id":"chatcmpl-1",');
        setTimeout(() => request.socket.destroy(), 10);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("calls a connection closed before the answer network", async () => {
      const model = createOpenAI({ apiKey: "test-key", baseURL: `${baseURL}/reset` }).chat("gpt-5");
      const thrown = await generateError(model);
      expect(classifyError(thrown, context)).toMatchObject({ kind: "network", retryable: true });
    });

    it("calls a body cut short ('terminated') network, not parse", async () => {
      const model = createOpenAI({ apiKey: "test-key", baseURL: `${baseURL}/cut` }).chat("gpt-5");
      const thrown = await generateError(model);
      expect(APICallError.isInstance(thrown) && thrown.statusCode).toBe(200);
      expect(classifyError(thrown, context)).toMatchObject({
        kind: "network",
        retryable: true,
        providerCode: "UND_ERR_SOCKET",
      });
    });
  });
});

describe("classifyError on timeouts and cancellations", () => {
  it("calls our own attempt timeout a timeout, whatever was thrown", () => {
    const thrown = new DOMException("This operation was aborted", "AbortError");
    const error = classifyError(thrown, { ...context, timedOut: true, timeoutMs: 60_000 });
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect(error.message).toBe("gpt (openai gpt-5): timeout: no answer within 60000 ms");
  });

  it("calls an abort with a TimeoutError reason a timeout", async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const model = scriptedModel("openai", (_input, init) => fetch("http://127.0.0.1:9", init));
    const thrown = await generateError(model, { abortSignal: signal });
    expect(thrown).toMatchObject({ name: "TimeoutError" });
    expect(classifyError(thrown, context)).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("calls the caller's cancellation cancelled, even when the error looks like a timeout", () => {
    const controller = new AbortController();
    controller.abort(new Error("user pressed Ctrl-C"));
    const thrown = new DOMException("signal timed out", "TimeoutError");
    const error = classifyError(thrown, {
      ...context,
      cancelSignal: controller.signal,
      timedOut: true,
    });
    expect(error).toMatchObject({ kind: "cancelled", retryable: false });
    expect(error.message).toContain("user pressed Ctrl-C");
  });

  it("calls a bare AbortError cancelled", () => {
    const error = classifyError(
      new DOMException("This operation was aborted", "AbortError"),
      context,
    );
    expect(error).toMatchObject({ kind: "cancelled", retryable: false });
  });

  it("does not call a failure cancelled while the caller's signal has not fired", async () => {
    const controller = new AbortController();
    const thrown = await providerError("openai", {
      status: 500,
      body: { error: { message: "boom", type: "server_error", param: null, code: null } },
    });
    expect(classifyError(thrown, { ...context, cancelSignal: controller.signal }).kind).toBe(
      "server",
    );
  });
});

describe("classifyError on everything else", () => {
  it("calls a missing key auth and names the variable to set", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const thrown = await generateError(createAnthropic({})("claude-sonnet-4-5")).finally(() => {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    });
    const error = classifyError(thrown, {
      alias: "claude",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
    });
    expect(error).toMatchObject({ kind: "auth", retryable: false });
    expect(error.message).toBe(
      "claude (anthropic claude-sonnet-4-5): auth: the API key is missing: set ANTHROPIC_API_KEY, or name another variable in models.claude.apiKeyEnv",
    );
    const configured = classifyError(thrown, {
      alias: "claude",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      apiKeyEnv: "TEAM_ANTHROPIC_KEY",
    });
    expect(configured.message).toContain("set the TEAM_ANTHROPIC_KEY environment variable");
  });

  it("calls unreadable answers parse, retryable", () => {
    const failures = [
      new JSONParseError({ text: "{not json", cause: new SyntaxError("Unexpected token") }),
      new TypeValidationError({ value: { nope: true }, cause: new Error("expected choices") }),
      new EmptyResponseBodyError(),
      new APICallError({
        message: "Failed to process successful response",
        url: "https://api.openai.com/v1/chat/completions",
        requestBodyValues: { messages: [{ role: "user", content: "secret prompt" }] },
        statusCode: 200,
        cause: new JSONParseError({ text: "{", cause: new SyntaxError("Unexpected end") }),
      }),
    ];
    for (const failure of failures) {
      const error = classifyError(failure, context);
      expect(error).toMatchObject({ kind: "parse", retryable: true });
      expect(error.message).not.toContain("secret prompt");
    }
  });

  it("removes the model's own key from the message, whatever its shape", async () => {
    const key = "Zq8xY3kPf9LmN2vB7cR4tW6hJ1sD5gA0";
    const thrown = await providerError("openai-compatible", {
      status: 401,
      body: { error: { message: `Invalid API key: ${key}`, type: "auth_error", code: null } },
    });
    const error = classifyError(thrown, {
      ...context,
      provider: "openai-compatible",
      secrets: [key],
    });
    expect(error.kind).toBe("auth");
    expect(error.message).toContain("Invalid API key: ***");
    expect(error.message).not.toContain(key);
  });

  it("calls an unknown model id not_found and a prompt the SDK rejects invalid_request", () => {
    expect(
      classifyError(new NoSuchModelError({ modelId: "x", modelType: "languageModel" }), context)
        .kind,
    ).toBe("not_found");
    expect(
      classifyError(new InvalidPromptError({ prompt: [], message: "empty" }), context).kind,
    ).toBe("invalid_request");
  });

  it("reads AI SDK Core's StreamProviderError like a streamed error part", () => {
    const streamed = Object.assign(new Error("Overloaded"), {
      name: "AI_StreamProviderError",
      type: "overloaded_error",
      statusCode: 529,
      data: { type: "overloaded_error", message: "Overloaded" },
    });
    const error = classifyError(streamed, {
      alias: "claude",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
    });
    expect(error).toMatchObject({
      kind: "overloaded",
      status: 529,
      providerCode: "overloaded_error",
    });
  });

  it("passes a ModelError through unchanged", () => {
    const original = new ModelError("already classified", {
      kind: "budget_exceeded",
      model: "gpt",
      provider: "openai",
    });
    expect(classifyError(original, context)).toBe(original);
  });

  it("calls anything unknown a retryable server error and keeps it as cause", () => {
    const thrown = "a string thrown by a custom fetch";
    const error = classifyError(thrown, context);
    expect(error).toMatchObject({ kind: "server", retryable: true, cause: thrown });
    expect(error.message).toBe("gpt (openai gpt-5): server: a string thrown by a custom fetch");
  });

  it("keeps the provider error as cause and never copies the request into the message", async () => {
    const thrown = await providerError("openai", {
      status: 400,
      body: {
        error: {
          message: "Invalid value for 'temperature'",
          type: "invalid_request_error",
          param: "temperature",
          code: null,
        },
      },
    });
    const error = classifyError(thrown, context);
    expect(error.cause).toBe(thrown);
    expect(error.message).not.toContain("hello");
    expect(error.message).not.toContain("test-key");
  });

  it("shortens very long provider messages", async () => {
    const thrown = await providerError("openai", {
      status: 400,
      body: {
        error: {
          message: "x".repeat(5_000),
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    });
    expect(classifyError(thrown, context).message.length).toBeLessThan(400);
  });
});
