import { APICallError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { REDACTED } from "./redact.js";
import { redactValue } from "./redact-value.js";
import { opaqueSecret, providerKeySamples } from "./secret-samples.js";

const KEYS = providerKeySamples();
const OPAQUE = opaqueSecret(1);

describe("redactValue", () => {
  it("scrubs string leaves at any depth, in objects and arrays", () => {
    const value = { a: { b: { c: [`key ${KEYS.anthropic}`, { d: KEYS.xai }] } }, n: 3 };
    expect(redactValue(value)).toEqual({ a: { b: { c: ["key ***", { d: REDACTED }] } }, n: 3 });
  });

  it("replaces values under secret field names whatever they look like, in any case", () => {
    expect(
      redactValue({
        apiKey: OPAQUE,
        PASSWORD: 1234,
        headers: { Authorization: `Bearer ${OPAQUE}`, "X-Api-Key": OPAQUE, accept: "json" },
        credentials: { token: { nested: OPAQUE } },
      }),
    ).toEqual({
      apiKey: REDACTED,
      PASSWORD: REDACTED,
      headers: { Authorization: REDACTED, "X-Api-Key": REDACTED, accept: "json" },
      credentials: { token: REDACTED },
    });
  });

  it("keeps null, undefined and booleans under secret names: they carry no secret", () => {
    expect(redactValue({ token: null, password: undefined, hasPassword: true })).toEqual({
      token: null,
      password: undefined,
      hasPassword: true,
    });
  });

  it("does not redact names that only resemble secret ones", () => {
    const config = { apiKeyEnv: "OPENAI_API_KEY", maxTokens: 4096, fencingToken: 7, key: "a" };
    expect(redactValue(config)).toEqual(config);
  });

  it("scrubs secrets in object keys", () => {
    expect(redactValue({ [KEYS.openaiLegacy]: { calls: 3 } })).toEqual({
      [REDACTED]: { calls: 3 },
    });
  });

  it("turns a Headers instance into a plain object with secret headers redacted", () => {
    const headers = new Headers({
      authorization: `Bearer ${OPAQUE}`,
      "x-goog-api-key": OPAQUE,
      "content-type": "application/json",
    });
    expect(redactValue(headers)).toEqual({
      authorization: REDACTED,
      "x-goog-api-key": REDACTED,
      "content-type": "application/json",
    });
  });

  it("treats [name, value] entry lists and flat raw header lists like objects", () => {
    expect(
      redactValue([
        ["Authorization", `Bearer ${OPAQUE}`],
        ["accept", "*/*"],
      ]),
    ).toEqual([
      ["Authorization", REDACTED],
      ["accept", "*/*"],
    ]);
    expect(redactValue(["Host", "api.test", "x-api-key", OPAQUE])).toEqual([
      "Host",
      "api.test",
      "x-api-key",
      REDACTED,
    ]);
    expect(redactValue(["password", "policy"])).toEqual(["password", "policy"]);
  });

  it("turns URL objects and search params into scrubbed strings", () => {
    const url = new URL(`https://user:${OPAQUE}@api.test/v1?key=${OPAQUE}&alt=sse`);
    expect(redactValue({ url })).toEqual({ url: "https://user:***@api.test/v1?key=***&alt=sse" });
    expect(redactValue(new URLSearchParams({ api_key: OPAQUE, page: "2" }))).toBe(
      "api_key=***&page=2",
    );
  });

  it("turns Maps into objects and Sets into arrays, redacting both", () => {
    const map = new Map<string, unknown>([
      ["apiKey", OPAQUE],
      [KEYS.groq, "owner"],
      ["plain", 1],
    ]);
    expect(redactValue(map)).toEqual({ apiKey: REDACTED, [REDACTED]: "owner", plain: 1 });
    expect(redactValue(new Set([KEYS.huggingFace, "x"]))).toEqual([REDACTED, "x"]);
  });

  it("keeps Dates and replaces binary data by its size", () => {
    const date = new Date("2025-01-02T03:04:05Z");
    expect(redactValue({ date })).toEqual({ date });
    const body = Buffer.from(`key ${KEYS.openaiProject}`);
    expect(redactValue({ body })).toEqual({ body: `[Buffer: ${body.byteLength} bytes]` });
    expect(redactValue(new Uint8Array(4))).toBe("[Uint8Array: 4 bytes]");
  });

  it("copies from toJSON when an object has one", () => {
    class Secretive {
      toJSON(): unknown {
        return { token: OPAQUE, shown: "yes" };
      }
    }
    expect(redactValue(new Secretive())).toEqual({ token: REDACTED, shown: "yes" });
  });

  it("cuts cycles but copies an object reached twice on different branches", () => {
    const shared = { name: "shared" };
    const root: Record<string, unknown> = { left: shared, right: shared };
    root.self = root;
    expect(redactValue(root)).toEqual({
      left: { name: "shared" },
      right: { name: "shared" },
      self: "[Circular]",
    });
  });

  it("cuts very deep branches and survives throwing getters", () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 100; level += 1) deep = { next: deep };
    expect(JSON.stringify(redactValue(deep))).toContain("[Too deep]");
    const hostile = {
      get boom(): string {
        throw new Error("no");
      },
    };
    expect(redactValue({ hostile, fine: 1 })).toEqual({ hostile: "[Unreadable]", fine: 1 });
  });

  it("keeps a key named __proto__ as data", () => {
    const parsed: unknown = JSON.parse(`{"__proto__": {"token": "${OPAQUE}"}}`);
    const copy = redactValue(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"token":"***"}}');
  });

  it("does not modify its input", () => {
    const input = { apiKey: OPAQUE, nested: { text: KEYS.google } };
    redactValue(input);
    expect(input).toEqual({ apiKey: OPAQUE, nested: { text: KEYS.google } });
  });

  it("turns Errors into plain objects: message, stack, own fields and the cause chain", () => {
    const root = new Error(`connect postgres://app:${OPAQUE}@db/app`);
    const error = Object.assign(
      new Error(`call failed with ${KEYS.openaiLegacy}`, { cause: root }),
      {
        code: "E_CALL",
        apiKey: OPAQUE,
      },
    );
    const copy = redactValue(error) as Record<string, unknown>;
    expect(copy).toMatchObject({
      type: "Error",
      message: "call failed with ***",
      code: "E_CALL",
      apiKey: REDACTED,
      cause: { type: "Error", message: "connect postgres://app:***@db/app" },
    });
    expect(copy.stack).toMatch(/^Error: call failed with \*\*\*\n\s+at /);
    expect(JSON.stringify(copy)).not.toContain(OPAQUE);
  });

  it("redacts everything an AI SDK APICallError carries", () => {
    const error = new APICallError({
      message: "Unauthorized",
      url: `https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=${KEYS.google}`,
      requestBodyValues: { model: "gemini", apiKey: OPAQUE, prompt: `use ${KEYS.xai}` },
      statusCode: 401,
      responseHeaders: { "set-cookie": `session=${OPAQUE}`, "content-type": "application/json" },
      responseBody: `{"error":{"message":"Incorrect API key provided: ${KEYS.openaiProject}"}}`,
      isRetryable: false,
    });
    const text = JSON.stringify(redactValue(error));
    for (const secret of [KEYS.google, OPAQUE, KEYS.xai, KEYS.openaiProject]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"statusCode":401');
    expect(text).toContain("Incorrect API key provided: ***");
  });

  it("includes the errors of an AggregateError", () => {
    const aggregate = new AggregateError([new Error(`first ${KEYS.githubServer}`)], "all failed");
    expect(redactValue(aggregate)).toMatchObject({
      type: "AggregateError",
      message: "all failed",
      errors: [{ type: "Error", message: "first ***" }],
    });
  });

  it("cuts a cause cycle", () => {
    const error = new Error("loop");
    error.cause = error;
    expect(redactValue(error)).toMatchObject({ message: "loop", cause: "[Circular]" });
  });
});
