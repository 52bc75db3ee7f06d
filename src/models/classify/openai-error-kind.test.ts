import { describe, expect, it } from "vitest";
import { providerError, sse, streamError } from "../../../test/support/provider-failures.js";
import { classifyError } from "./classify-error.js";

const context = { alias: "gpt", provider: "openai", model: "gpt-5" } as const;

function openaiBody(
  message: string,
  type: string | null,
  code: string | null,
  param: string | null = null,
) {
  return { error: { message, type, param, code } };
}

async function classified(status: number, body: unknown, headers?: Record<string, string>) {
  return classifyError(await providerError("openai", { status, body, headers }), context);
}

describe("classifyError on OpenAI answers", () => {
  it("does not retry a 429 insufficient_quota but lets it fall back", async () => {
    const error = await classified(
      429,
      openaiBody(
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        "insufficient_quota",
      ),
    );
    expect(error).toMatchObject({
      kind: "quota_exhausted",
      retryable: false,
      status: 429,
      providerCode: "insufficient_quota",
    });
  });

  it("retries a 429 rate_limit_exceeded after its retry-after-ms", async () => {
    const error = await classified(
      429,
      openaiBody(
        "Rate limit reached for gpt-5 in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 1500. Please try again in 1.2s.",
        "tokens",
        "rate_limit_exceeded",
      ),
      { "retry-after-ms": "1187", "retry-after": "2" },
    );
    expect(error).toMatchObject({ kind: "rate_limit", retryable: true, retryAfterMs: 1187 });
  });

  it("reads the wait from the message when no header gives one", async () => {
    const error = await classified(
      429,
      openaiBody(
        "Rate limit reached ... Please try again in 6ms.",
        "requests",
        "rate_limit_exceeded",
      ),
    );
    expect(error).toMatchObject({ kind: "rate_limit", retryAfterMs: 6 });
  });

  it("calls a single request over the per-minute token limit context_length", async () => {
    const error = await classified(
      429,
      openaiBody(
        "Request too large for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Requested 45000. The input or output tokens must be reduced in order to run successfully.",
        "tokens",
        "rate_limit_exceeded",
      ),
    );
    expect(error).toMatchObject({ kind: "context_length", retryable: false });
  });

  it("calls context_length_exceeded context_length", async () => {
    const error = await classified(
      400,
      openaiBody(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
        "invalid_request_error",
        "context_length_exceeded",
        "messages",
      ),
    );
    expect(error).toMatchObject({
      kind: "context_length",
      retryable: false,
      providerCode: "context_length_exceeded",
    });
  });

  it("recognises the context-length wording without a code", async () => {
    const error = await classified(
      400,
      openaiBody(
        "This model's maximum context length is 8192 tokens.",
        "invalid_request_error",
        null,
      ),
    );
    expect(error).toMatchObject({ kind: "context_length", providerCode: "invalid_request_error" });
  });

  it("calls content_filter and content_policy_violation content_filter", async () => {
    const azure = await classified(
      400,
      openaiBody(
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        null,
        "content_filter",
        "prompt",
      ),
    );
    const images = await classified(
      400,
      openaiBody(
        "Your request was rejected by the safety system.",
        "invalid_request_error",
        "content_policy_violation",
      ),
    );
    const flagged = await classified(
      400,
      openaiBody(
        "Invalid prompt: your prompt was flagged as potentially violating our usage policy.",
        "invalid_request_error",
        "invalid_prompt",
      ),
    );
    for (const error of [azure, images, flagged]) {
      expect(error).toMatchObject({ kind: "content_filter", retryable: false });
    }
  });

  it("calls 401 invalid_api_key auth and hides the echoed key", async () => {
    const error = await classified(
      401,
      openaiBody(
        "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz123456. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
      ),
    );
    expect(error).toMatchObject({
      kind: "auth",
      retryable: false,
      status: 401,
      providerCode: "invalid_api_key",
    });
    expect(error.message).not.toContain("abcdefghijklmnop");
    expect(error.hint).toContain("OPENAI_API_KEY");
  });

  it("calls a 403 auth", async () => {
    const error = await classified(
      403,
      openaiBody(
        "Country, region, or territory not supported",
        "request_forbidden",
        "unsupported_country_region_territory",
      ),
    );
    expect(error).toMatchObject({ kind: "auth", status: 403 });
  });

  it("calls a 404 model_not_found not_found", async () => {
    const error = await classified(
      404,
      openaiBody(
        "The model `gpt-9` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
      ),
    );
    expect(error).toMatchObject({
      kind: "not_found",
      retryable: false,
      providerCode: "model_not_found",
    });
    expect(error.hint).toContain("models.gpt.model");
  });

  it("calls a 500 server_error a retryable server error", async () => {
    const error = await classified(
      500,
      openaiBody(
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        null,
      ),
    );
    expect(error).toMatchObject({ kind: "server", retryable: true, providerCode: "server_error" });
  });

  it("tells an overloaded 503 from a failing one by the body", async () => {
    const overloaded = await classified(
      503,
      openaiBody(
        "The engine is currently overloaded, please try again later",
        "server_error",
        null,
      ),
    );
    const failing = await classified(
      503,
      openaiBody("The server had an error processing your request.", "server_error", null),
    );
    const bare = await classified(503, "");
    expect(overloaded).toMatchObject({ kind: "overloaded", retryable: true });
    expect(failing).toMatchObject({ kind: "server", retryable: true });
    expect(bare).toMatchObject({ kind: "overloaded", status: 503 });
    expect(bare.message).toBe("gpt (openai gpt-5): overloaded (503): Service Unavailable");
  });

  it("calls any other 400 invalid_request", async () => {
    const error = await classified(
      400,
      openaiBody(
        "Unsupported parameter: 'temperature' is not supported with this model.",
        "invalid_request_error",
        "unsupported_parameter",
      ),
    );
    expect(error).toMatchObject({ kind: "invalid_request", retryable: false });
  });

  it("trusts the code over the status: insufficient_quota under any status is quota_exhausted", async () => {
    for (const status of [400, 403, 429, 500]) {
      const error = await classified(
        status,
        openaiBody("You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
      );
      expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false, status });
    }
  });

  it("classifies a streamed quota error before any output as quota_exhausted", async () => {
    const thrown = await streamError(
      "openai",
      sse([
        {
          data: {
            type: "error",
            sequence_number: 1,
            error: {
              type: "insufficient_quota",
              code: "insufficient_quota",
              message: "You exceeded your current quota",
              param: null,
            },
          },
        },
      ]),
    );
    expect(classifyError(thrown, context)).toMatchObject({
      kind: "quota_exhausted",
      retryable: false,
    });
  });
});

describe("classifyError on OpenAI-compatible servers", () => {
  const local = { alias: "local", provider: "openai-compatible", model: "llama3" } as const;

  it("reads Ollama's flat error body although it does not fit the OpenAI schema", async () => {
    const error = classifyError(
      await providerError("openai-compatible", {
        status: 404,
        body: { error: 'model "llama3" not found, try pulling it first' },
      }),
      local,
    );
    expect(error).toMatchObject({ kind: "not_found", retryable: false, status: 404 });
    expect(error.message).toContain("try pulling it first");
  });

  it("calls a missing model not_found by its wording, whatever the type says", async () => {
    const error = classifyError(
      await providerError("openai-compatible", {
        status: 400,
        body: {
          error: {
            message: 'model "llama3" not found, try pulling it first',
            type: "api_error",
            param: null,
            code: null,
          },
        },
      }),
      local,
    );
    expect(error).toMatchObject({ kind: "not_found" });
  });

  it("classifies a raw error object streamed by a compatible server", async () => {
    const part = await streamError(
      "openai-compatible",
      sse([
        {
          data: {
            error: {
              message: "This model's maximum context length is 8192 tokens",
              type: "invalid_request_error",
              code: null,
            },
          },
        },
      ]),
    );
    expect(classifyError(part, local)).toMatchObject({ kind: "context_length" });
  });

  it("reads Gemini's error array from its OpenAI-compatible endpoint", async () => {
    const error = classifyError(
      await providerError("openai-compatible", {
        status: 503,
        body: [
          {
            error: {
              code: 503,
              message: "The model is overloaded. Please try again later.",
              status: "UNAVAILABLE",
            },
          },
        ],
      }),
      local,
    );
    expect(error).toMatchObject({ kind: "overloaded", providerCode: "UNAVAILABLE" });
  });

  it("falls back to the status for an unknown body", async () => {
    const cases: Array<[number, string, boolean]> = [
      [400, "invalid_request", false],
      [401, "auth", false],
      [402, "quota_exhausted", false],
      [403, "auth", false],
      [404, "not_found", false],
      [408, "timeout", true],
      [409, "server", true],
      [413, "context_length", false],
      [422, "invalid_request", false],
      [429, "rate_limit", true],
      [500, "server", true],
      [502, "server", true],
      [503, "overloaded", true],
      [504, "timeout", true],
      [529, "overloaded", true],
      [599, "server", true],
    ];
    for (const [status, kind, retryable] of cases) {
      const error = classifyError(
        await providerError("openai-compatible", { status, body: "<html>gateway says no</html>" }),
        local,
      );
      expect({ status, kind: error.kind, retryable: error.retryable }).toEqual({
        status,
        kind,
        retryable,
      });
    }
  });
});
