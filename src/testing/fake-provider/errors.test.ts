import { APICallError } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ErrorBehaviour } from "./behaviour.js";
import { errors } from "./errors.js";
import { fakeModel } from "./fake-model.js";
import type { FakeProviderServer } from "./fake-provider-server.js";
import type { ErrorFixtureOptions } from "./fixtures/error-fixture-options.js";
import type { ProviderShape } from "./provider-shape.js";
import { startFakeProviderServer } from "./start-fake-provider-server.js";

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(async () => {
  await server.close();
});

type Fixtures = Record<string, (options?: ErrorFixtureOptions) => ErrorBehaviour>;

const families: [keyof typeof errors, ProviderShape, (body: unknown) => string][] = [
  ["anthropic", "anthropic", (body) => (body as { error: { message: string } }).error.message],
  ["openai", "openai", (body) => (body as { error: { message: string } }).error.message],
  ["google", "google", (body) => (body as { error: { message: string } }).error.message],
  [
    "xai",
    "xai",
    (body) => {
      const { code, error } = body as { code: string; error: string };
      return `${code}: ${error}`;
    },
  ],
];

describe.each(families)("the %s error fixtures", (family, shape, expectedMessage) => {
  const fixtures = Object.entries(errors[family] as Fixtures);

  test.each(fixtures)("%s reaches the SDK with its status and message", async (_name, build) => {
    const fixture = build();
    server.enqueueFor(shape, fixture);
    const before = server.requestsFor(shape).length;
    const error = await fakeModel(server, shape, "model-1")
      .doGenerate({ prompt })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: fixture.status,
      message: expectedMessage(fixture.body),
      isRetryable: fixture.status === 429 || fixture.status >= 500,
    });
    expect(server.requestsFor(shape)).toHaveLength(before + 1);
  });
});

describe("fixture options", () => {
  test("add retry headers and replace the message", () => {
    const fixture = errors.openai.rateLimit({
      retryAfterSeconds: 2,
      retryAfterMs: 1500,
      message: "slow down",
      headers: { "x-ratelimit-remaining-tokens": "0" },
    });

    expect(fixture.headers).toMatchObject({
      "retry-after": "2",
      "retry-after-ms": "1500",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-limit-tokens": "30000",
    });
    expect(fixture.body).toMatchObject({ error: { message: "slow down" } });
  });

  test("name the model in not-found messages", () => {
    expect(errors.anthropic.notFound({ model: "claude-9" }).body).toMatchObject({
      type: "error",
      error: { type: "not_found_error", message: "model: claude-9" },
    });
  });

  test("put Gemini's retry hint in the body, where Gemini sends it", () => {
    const fixture = errors.google.resourceExhausted({ retryAfterSeconds: 7 });

    expect(JSON.stringify(fixture.body)).toContain('"retryDelay":"7s"');
  });

  test("give Anthropic's overload the 529 and body of the real API", () => {
    expect(errors.anthropic.overloaded()).toMatchObject({
      status: 529,
      body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      headers: { "x-should-retry": "true" },
    });
  });
});
