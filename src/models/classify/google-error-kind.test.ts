import { describe, expect, it } from "vitest";
import { providerError, sse, streamError } from "../../../test/support/provider-failures.js";
import { classifyError } from "./classify-error.js";

const context = { alias: "gemini", provider: "google", model: "gemini-2.5-flash" } as const;

const HELP = {
  "@type": "type.googleapis.com/google.rpc.Help",
  links: [
    {
      description: "Learn more about Gemini API quotas",
      url: "https://ai.google.dev/gemini-api/docs/rate-limits",
    },
  ],
};

function quotaFailure(...violations: Array<{ quotaId: string; quotaValue?: string }>) {
  return {
    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
    violations: violations.map((violation) => ({
      quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
      quotaDimensions: { location: "global", model: "gemini-2.5-flash" },
      ...violation,
    })),
  };
}

function retryInfo(retryDelay: string) {
  return { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay };
}

function googleBody(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details === undefined ? {} : { details }) } };
}

async function classified(body: ReturnType<typeof googleBody>, headers?: Record<string, string>) {
  return classifyError(
    await providerError("google", { status: body.error.code, body, headers }),
    context,
  );
}

const QUOTA_MESSAGE =
  "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.";

describe("classifyError on Gemini answers", () => {
  it("retries a per-minute RESOURCE_EXHAUSTED after its RetryInfo delay", async () => {
    const error = await classified(
      googleBody(
        429,
        "RESOURCE_EXHAUSTED",
        `${QUOTA_MESSAGE}\n* Quota exceeded for metric: generate_content_free_tier_requests, limit: 10\nPlease retry in 13.47s.`,
        [
          quotaFailure({
            quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
            quotaValue: "10",
          }),
          HELP,
          retryInfo("13s"),
        ],
      ),
    );
    expect(error).toMatchObject({
      kind: "rate_limit",
      retryable: true,
      status: 429,
      retryAfterMs: 13_000,
      providerCode: "RESOURCE_EXHAUSTED",
    });
  });

  it("does not retry a spent per-day quota but lets it fall back", async () => {
    const error = await classified(
      googleBody(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [
        quotaFailure(
          { quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier" },
          { quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier", quotaValue: "250" },
        ),
        retryInfo("40s"),
      ]),
    );
    expect(error).toMatchObject({
      kind: "quota_exhausted",
      retryable: false,
      retryAfterMs: 40_000,
    });
  });

  it("calls a zero quota (a model outside the free tier) quota_exhausted", async () => {
    const error = await classified(
      googleBody(
        429,
        "RESOURCE_EXHAUSTED",
        `${QUOTA_MESSAGE}\n* Quota exceeded for metric: generate_content_free_tier_input_token_count, limit: 0`,
      ),
    );
    expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false });
  });

  it("calls the quota-and-billing message without RetryInfo quota_exhausted", async () => {
    const error = await classified(googleBody(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [HELP]));
    expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false });
  });

  it("calls a bare RESOURCE_EXHAUSTED a rate limit", async () => {
    const error = await classified(
      googleBody(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    );
    expect(error).toMatchObject({ kind: "rate_limit", retryable: true, retryAfterMs: undefined });
  });

  it("calls a key that is not valid auth although it is a 400 INVALID_ARGUMENT", async () => {
    const error = await classified(
      googleBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" },
        },
      ]),
    );
    expect(error).toMatchObject({
      kind: "auth",
      retryable: false,
      status: 400,
      providerCode: "API_KEY_INVALID",
    });
    expect(error.hint).toContain("GOOGLE_GENERATIVE_AI_API_KEY");
  });

  it("calls an input over the token limit context_length", async () => {
    const error = await classified(
      googleBody(
        400,
        "INVALID_ARGUMENT",
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
      ),
    );
    expect(error).toMatchObject({ kind: "context_length", retryable: false });
  });

  it("keeps other INVALID_ARGUMENT answers invalid_request", async () => {
    const error = await classified(
      googleBody(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
    );
    expect(error).toMatchObject({
      kind: "invalid_request",
      retryable: false,
      providerCode: "INVALID_ARGUMENT",
    });
  });

  it("calls PERMISSION_DENIED, UNAUTHENTICATED and FAILED_PRECONDITION auth", async () => {
    const bodies = [
      googleBody(
        403,
        "PERMISSION_DENIED",
        "Your API key was reported as leaked. Please use another API key.",
      ),
      googleBody(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."),
      googleBody(400, "FAILED_PRECONDITION", "User location is not supported for the API use."),
    ];
    for (const body of bodies) {
      expect(await classified(body)).toMatchObject({ kind: "auth", retryable: false });
    }
  });

  it("calls a free tier unavailable in the country auth: the account must change, not the request", async () => {
    const error = await classified(
      googleBody(
        400,
        "FAILED_PRECONDITION",
        "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
      ),
    );
    expect(error.kind).toBe("auth");
  });

  it("maps the remaining statuses", async () => {
    const cases: Array<[number, string, string, boolean]> = [
      [404, "NOT_FOUND", "not_found", false],
      [503, "UNAVAILABLE", "overloaded", true],
      [500, "INTERNAL", "server", true],
      [504, "DEADLINE_EXCEEDED", "timeout", true],
      [409, "ABORTED", "server", true],
      [501, "UNIMPLEMENTED", "invalid_request", false],
    ];
    for (const [code, status, kind, retryable] of cases) {
      const error = await classified(googleBody(code, status, `${status} happened`));
      expect({ status, kind: error.kind, retryable: error.retryable }).toEqual({
        status,
        kind,
        retryable,
      });
    }
  });

  it("trusts the status name over the HTTP status: UNIMPLEMENTED under 501 is no server error", async () => {
    const error = await classified(
      googleBody(501, "UNIMPLEMENTED", "Method not supported for this model."),
    );
    expect(error).toMatchObject({ kind: "invalid_request", status: 501 });
  });

  it("classifies an error streamed in a generateContent chunk", async () => {
    const part = await streamError(
      "google",
      sse([
        {
          data: googleBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
        },
      ]),
    );
    expect(classifyError(part, context)).toMatchObject({
      kind: "overloaded",
      status: 503,
      providerCode: "UNAVAILABLE",
    });
  });

  it("reads RetryInfo from a streamed error too", async () => {
    const part = await streamError(
      "google",
      sse([
        {
          data: googleBody(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, [
            quotaFailure({ quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier" }),
            retryInfo("2.5s"),
          ]),
        },
      ]),
    );
    expect(classifyError(part, context)).toMatchObject({ kind: "rate_limit", retryAfterMs: 2_500 });
  });
});
