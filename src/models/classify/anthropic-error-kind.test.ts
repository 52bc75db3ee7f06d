import { describe, expect, it } from "vitest";
import { providerError, sse, streamError } from "../../../test/support/provider-failures.js";
import { classifyError } from "./classify-error.js";

const context = { alias: "claude", provider: "anthropic", model: "claude-sonnet-4-5" } as const;

function anthropicBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

async function classified(
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
) {
  const error = await providerError("anthropic", {
    status,
    body: anthropicBody(type, message),
    headers,
  });
  return classifyError(error, context);
}

describe("classifyError on Anthropic answers", () => {
  it("calls a 529 overloaded_error overloaded and retryable, naming the model", async () => {
    const error = await classified(529, "overloaded_error", "Overloaded");
    expect(error).toMatchObject({
      kind: "overloaded",
      retryable: true,
      status: 529,
      providerCode: "overloaded_error",
      model: "claude",
      provider: "anthropic",
    });
    expect(error.message).toBe(
      "claude (anthropic claude-sonnet-4-5): overloaded (529 overloaded_error): Overloaded",
    );
  });

  it("reads a 429 rate_limit_error with its retry-after seconds", async () => {
    const error = await classified(
      429,
      "rate_limit_error",
      "This request would exceed the rate limit for your organization of 50 requests per minute.",
      { "retry-after": "17" },
    );
    expect(error).toMatchObject({ kind: "rate_limit", retryable: true, retryAfterMs: 17_000 });
  });

  it("calls 401 authentication_error and 403 permission_error auth, not retryable", async () => {
    const unauthorized = await classified(401, "authentication_error", "invalid x-api-key");
    const forbidden = await classified(
      403,
      "permission_error",
      "Your API key does not have permission to use the specified resource.",
    );
    for (const error of [unauthorized, forbidden]) {
      expect(error).toMatchObject({ kind: "auth", retryable: false });
      expect(error.hint).toContain("ANTHROPIC_API_KEY");
    }
  });

  it("calls a 404 not_found_error not_found", async () => {
    const error = await classified(404, "not_found_error", "model: claude-sonnet-9");
    expect(error).toMatchObject({
      kind: "not_found",
      retryable: false,
      providerCode: "not_found_error",
    });
  });

  it("recognises every context-length wording of invalid_request_error", async () => {
    const messages = [
      "prompt is too long: 208310 tokens > 200000 maximum",
      "input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again",
    ];
    for (const message of messages) {
      const error = await classified(400, "invalid_request_error", message);
      expect(error).toMatchObject({ kind: "context_length", retryable: false, status: 400 });
    }
  });

  it("keeps other invalid_request_error answers invalid_request", async () => {
    const error = await classified(
      400,
      "invalid_request_error",
      "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5",
    );
    expect(error).toMatchObject({ kind: "invalid_request", retryable: false });
  });

  it("calls a low credit balance quota_exhausted although it arrives as a 400", async () => {
    const error = await classified(
      400,
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
    );
    expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false });
  });

  it("calls a 413 request_too_large context_length", async () => {
    const error = await classified(413, "request_too_large", "Request exceeds the maximum size");
    expect(error).toMatchObject({ kind: "context_length", retryable: false, status: 413 });
  });

  it("calls a 500 api_error a retryable server error", async () => {
    const error = await classified(500, "api_error", "Internal server error");
    expect(error).toMatchObject({ kind: "server", retryable: true, providerCode: "api_error" });
  });

  it("trusts the type over the status when a proxy changes the status", async () => {
    const error = await classified(500, "overloaded_error", "Overloaded");
    expect(error).toMatchObject({ kind: "overloaded", status: 500 });
  });

  it("classifies an overload streamed as an SSE error event after the message started", async () => {
    const part = await streamError(
      "anthropic",
      sse([
        {
          event: "message_start",
          data: {
            type: "message_start",
            message: {
              id: "msg_1",
              type: "message",
              role: "assistant",
              model: "claude-sonnet-4-5",
              content: [],
              stop_reason: null,
              usage: { input_tokens: 3, output_tokens: 0 },
            },
          },
        },
        { event: "error", data: anthropicBody("overloaded_error", "Overloaded") },
      ]),
    );
    expect(classifyError(part, context)).toMatchObject({
      kind: "overloaded",
      retryable: true,
      providerCode: "overloaded_error",
    });
  });

  it("classifies an error raised before any streamed output", async () => {
    const thrown = await streamError(
      "anthropic",
      sse([{ event: "error", data: anthropicBody("rate_limit_error", "Rate limited") }]),
    );
    expect(classifyError(thrown, context)).toMatchObject({ kind: "rate_limit", status: 429 });
  });
});
