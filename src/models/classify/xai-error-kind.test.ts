import { describe, expect, it } from "vitest";
import { providerError } from "../../../test/support/provider-failures.js";
import { classifyError } from "./classify-error.js";

const context = { alias: "grok", provider: "xai", model: "grok-4" } as const;

async function classified(status: number, body: unknown) {
  return classifyError(await providerError("xai", { status, body }), context);
}

describe("classifyError on xAI answers", () => {
  it("calls a wrong key auth although xAI answers 400 invalid argument", async () => {
    const error = await classified(400, {
      code: "Client specified an invalid argument",
      error:
        "Incorrect API key provided: xa***89. You can obtain an API key from https://console.x.ai.",
    });
    expect(error).toMatchObject({
      kind: "auth",
      retryable: false,
      status: 400,
      providerCode: "INVALID_ARGUMENT",
    });
    expect(error.hint).toContain("XAI_API_KEY");
  });

  it("calls spent team credits quota_exhausted although xAI answers 403 permission denied", async () => {
    const error = await classified(403, {
      code: "The caller does not have permission to execute the specified operation",
      error:
        "Your team abc has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit.",
    });
    expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false });
  });

  it("calls an unknown model not_found", async () => {
    const error = await classified(404, {
      code: "Some requested entity was not found",
      error: "The model grok-9 does not exist or your team does not have access to it.",
    });
    expect(error).toMatchObject({ kind: "not_found", providerCode: "NOT_FOUND" });
  });

  it("calls a too-long prompt context_length", async () => {
    const error = await classified(400, {
      code: "Client specified an invalid argument",
      error: "This model's maximum prompt length is 131072 but the request contains 150000 tokens.",
    });
    expect(error.kind).toBe("context_length");
  });

  it("calls resource exhaustion a rate limit", async () => {
    const error = await classified(429, {
      code: "Some resource has been exhausted",
      error: "Too many requests: your team has exceeded its requests per second limit.",
    });
    expect(error).toMatchObject({ kind: "rate_limit", retryable: true });
  });

  it("reads OpenAI-shaped xAI errors through the OpenAI table", async () => {
    const error = await classified(400, {
      error: {
        message: "maximum context length exceeded",
        type: "invalid_request_error",
        param: null,
        code: "context_length_exceeded",
      },
    });
    expect(error).toMatchObject({
      kind: "context_length",
      providerCode: "context_length_exceeded",
    });
  });
});
