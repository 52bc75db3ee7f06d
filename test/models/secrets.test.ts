import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { APICallError } from "@ai-sdk/provider";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { ModelError } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import {
  errors,
  type FakeProviderServer,
  type RecordedRequest,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { createMemoryLog } from "../support/memory-log.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A key in the real shape: `sk-ant-api03-` and 80 base64url characters. */
function anthropicKey(): string {
  return `sk-ant-api03-${randomBytes(60).toString("base64url")}`;
}

function openaiKey(): string {
  return `sk-proj-${randomBytes(90).toString("base64url")}`;
}

/**
 * Everything a thrown error shows: message, hint, stack and JSON, for it and the gateway's own
 * errors in its cause chain (the provider SDK's error at the end is `everythingLoggable`'s).
 */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; ModelError.isInstance(current); current = current.cause) {
    parts.push(current.message, current.stack ?? "", JSON.stringify(current), current.hint ?? "");
  }
  return parts.join("\n");
}

/** The ModelErrors of a failure, outermost first. */
function modelErrors(error: unknown): ModelError[] {
  const found: ModelError[] = [];
  for (let current = error; ModelError.isInstance(current); current = current.cause) {
    found.push(current);
  }
  return found;
}

/**
 * What code that logs a failure could print: the error inspected in full (cause chain, own
 * fields) and, for each ModelError, its JSON and its cause's JSON.
 */
function everythingLoggable(error: unknown): string {
  const parts = [inspect(error, { depth: null }), errorText(error)];
  for (const modelError of modelErrors(error)) {
    parts.push(JSON.stringify(modelError), JSON.stringify(modelError.cause ?? null));
    parts.push(inspect(modelError.cause, { depth: null, showHidden: true }));
  }
  return parts.join("\n");
}

/** A proxy that quotes the request's headers back in its error body, as some do. */
function echoHeaders(request: RecordedRequest) {
  return {
    kind: "error" as const,
    status: 401,
    body: {
      error: {
        message: `rejected request with headers ${JSON.stringify(request.headers)}`,
        type: "invalid_request_error",
        headers: request.headers,
      },
    },
    headers: { "x-echo-auth": request.headers["x-proxy-auth"] ?? "" },
  };
}

describeEachStore("API keys stay secret", (fixture) => {
  it("never puts the key in ledger rows, audit events, errors or log lines", async () => {
    const claudeKey = anthropicKey();
    const gptKey = openaiKey();
    const log = createMemoryLog();
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      logger: log.logger,
      env: { ANTHROPIC_API_KEY: claudeKey, OPENAI_API_KEY: gptKey },
      models: {
        claude: {
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          retries: 1,
          breaker: { failureThreshold: 2, cooldownMs: 60_000 },
        },
        gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 1 } },
      },
      fallbacks: { smart: ["claude", "gpt"] },
      budget: { per_model: { gpt: { daily_usd: 0.000_001 } } },
    });
    // A success, a retried 529, a refused key, a server that echoes the key it was sent, an
    // open breaker (audited) and a budget refusal (audited).
    server.enqueueFor(
      "anthropic",
      { kind: "reply", text: "ok" },
      errors.anthropic.overloaded(),
      { kind: "reply", text: "ok again" },
      errors.anthropic.authentication({ message: `invalid x-api-key ${claudeKey}` }),
      errors.anthropic.authentication({ message: `invalid x-api-key ${claudeKey}` }),
    );
    const thrown: unknown[] = [];
    const call = (model: string) =>
      gateway.generate({ model, prompt: "hi" }).catch((error: unknown) => thrown.push(error));

    await call("claude");
    await call("claude");
    await call("claude");
    await call("claude");
    await call("smart");
    await call("gpt");
    await gateway.close();

    expect(server.requestsFor("anthropic")[0]?.headers["x-api-key"]).toBe(claudeKey);
    expect(thrown.length).toBeGreaterThanOrEqual(3);
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    const audit = await fixture.store.audit.query();
    expect(ledger.length).toBeGreaterThanOrEqual(4);
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(["breaker:open", "budget:exceeded"]),
    );
    expect(log.lines.length).toBeGreaterThan(0);
    const everything = [
      JSON.stringify(ledger),
      JSON.stringify(audit),
      ...thrown.map(errorText),
      ...log.lines,
    ].join("\n");
    for (const key of [claudeKey, gptKey]) {
      expect(everything).not.toContain(key);
      // Not even a long piece of it.
      expect(everything).not.toContain(key.slice(20, 60));
    }
  });

  it("keeps even a key of no known shape out of errors and logs when a server echoes it", async () => {
    const key = randomBytes(24).toString("hex");
    const log = createMemoryLog();
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      logger: log.logger,
      env: { HOUSE_KEY: key },
      models: {
        local: { provider: "openai-compatible", model: "house-7b", apiKeyEnv: "HOUSE_KEY" },
      },
    });
    server.enqueueFor(
      "openai-compatible",
      errors.openai.invalidApiKey({ message: `Incorrect API key provided: ${key}` }),
    );

    const failure = await gateway
      .generate({ model: "local", prompt: "hi" })
      .catch((error: unknown) => error);
    await gateway.close();

    expect(server.requestsFor("openai-compatible")[0]?.headers.authorization).toBe(`Bearer ${key}`);
    expect(errorText(failure)).toContain("Incorrect API key provided: ***");
    expect([errorText(failure), ...log.lines].join("\n")).not.toContain(key);
  });

  it("keeps configured header values and the key out of messages, causes, logs and rows when a server echoes the request headers", async () => {
    const proxySecret = `hdr-${randomBytes(16).toString("hex")}`;
    const fromEnvironment = `env-${randomBytes(16).toString("hex")}`;
    const key = openaiKey();
    const log = createMemoryLog();
    const { gateway } = createTestGateway({
      server,
      store: fixture.store,
      logger: log.logger,
      env: { OPENAI_API_KEY: key },
      secrets: [fromEnvironment],
      models: {
        gpt: {
          provider: "openai",
          model: "gpt-5",
          retries: 0,
          headers: { "X-Proxy-Auth": proxySecret, "X-Tenant": fromEnvironment },
        },
      },
    });
    server.enqueueFor("openai", echoHeaders);

    const failure = await gateway
      .generate({ model: "gpt", prompt: "hi" })
      .catch((error: unknown) => error);
    await gateway.close();

    expect(server.requestsFor("openai")[0]?.headers["x-proxy-auth"]).toBe(proxySecret);
    const modelError = modelErrors(failure).at(-1);
    expect(modelError?.kind).toBe("auth");
    // The SDK's error is still the cause, with its class and the exchange, cleaned.
    const cause = modelError?.cause;
    expect(APICallError.isInstance(cause)).toBe(true);
    expect((cause as APICallError).responseBody).toContain("x-proxy-auth");
    expect((cause as APICallError).responseBody).toContain("***");
    const ledger = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    const audit = await fixture.store.audit.query();
    expect(ledger.length).toBeGreaterThanOrEqual(1);
    const everything = [
      everythingLoggable(failure),
      JSON.stringify(ledger),
      JSON.stringify(audit),
      ...log.lines,
    ].join("\n");
    for (const secret of [proxySecret, fromEnvironment, key]) {
      expect(everything).not.toContain(secret);
    }
  });
});
