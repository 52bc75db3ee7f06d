import { Writable } from "node:stream";
import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { createLogger, type Logger } from "./logger.js";
import { modelLogger } from "./model-logger.js";
import { opaqueSecret, providerKeySamples } from "./secret-samples.js";

/** Keeps every byte written to it. */
class MemoryDestination extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

const KEYS = providerKeySamples();
/** Opaque credentials: only where they stand (a field name, a header, a URL) gives them away. */
const OPAQUE = {
  bearer: opaqueSecret(1),
  basic: Buffer.from(`alice:${opaqueSecret(2)}`).toString("base64"),
  xApiKey: opaqueSecret(3),
  xGoogApiKey: opaqueSecret(4),
  proxy: opaqueSecret(5),
  field: opaqueSecret(6),
  urlPassword: opaqueSecret(7),
  queryPassword: opaqueSecret(8),
  queryApiKey: opaqueSecret(9),
  queryKey: opaqueSecret(10),
  printfBearer: opaqueSecret(11),
  printfPassword: opaqueSecret(12),
  binding: opaqueSecret(13),
  prefix: opaqueSecret(14),
  cookie: opaqueSecret(15),
  joinedPassword: opaqueSecret(16),
  joinedBearer: opaqueSecret(17),
};

const everySecret: readonly string[] = [...Object.values(KEYS), ...Object.values(OPAQUE)];

/** The secrets that are recognisable on their own, in free text. */
const textSecrets: readonly string[] = [
  ...Object.values(KEYS),
  `Authorization: Bearer ${OPAQUE.bearer}`,
  `Proxy-Authorization: Basic ${OPAQUE.basic}`,
  `x-api-key: ${OPAQUE.xApiKey}`,
  `x-goog-api-key: ${OPAQUE.xGoogApiKey}`,
  `postgres://orkestra:${OPAQUE.urlPassword}@db.internal:5432/orkestra`,
  `https://alice:${OPAQUE.urlPassword}@proxy.internal/`,
  `https://api.test/v1?password=${OPAQUE.queryPassword}&api_key=${OPAQUE.queryApiKey}`,
  `https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=${OPAQUE.queryKey}`,
];

const CONTEXT = {
  alias: "fast-thinker",
  message: "calling the provider",
  field: "visible-context-value",
};

/** Sends every secret through every path a log call offers. */
function logEverything(root: Logger): void {
  const log = modelLogger(root, CONTEXT.alias);

  // The message string.
  for (const secret of textSecrets) log.info(`${CONTEXT.message} with ${secret}`);

  // printf-style arguments, including pieces that only form a secret once joined.
  for (const secret of textSecrets) log.info("%s: %s", CONTEXT.message, secret);
  log.info("Authorization: Bearer %s", OPAQUE.printfBearer);
  log.info("password=%s", OPAQUE.printfPassword);
  // Harmless pieces that form a secret only when pino joins them: the last pass over each line.
  log.info("%s=%s", "password", OPAQUE.joinedPassword);
  log.info("%s %s", "Bearer", OPAQUE.joinedBearer);
  log.info(
    "payload %j and %o",
    { apiKey: OPAQUE.field },
    { headers: [["x-api-key", OPAQUE.xApiKey]] },
  );

  // Merged fields, nested fields, arrays, header shapes.
  log.info(
    {
      apiKey: OPAQUE.field,
      note: CONTEXT.field,
      texts: textSecrets,
      request: {
        headers: {
          Authorization: `Bearer ${OPAQUE.bearer}`,
          "Proxy-Authorization": `Basic ${OPAQUE.basic}`,
          "X-API-KEY": OPAQUE.xApiKey,
          "x-goog-api-key": OPAQUE.xGoogApiKey,
          cookie: `session=${OPAQUE.cookie}`,
        },
        fetchHeaders: new Headers({ authorization: `Bearer ${OPAQUE.bearer}` }),
        pairs: [
          ["Authorization", `Bearer ${OPAQUE.bearer}`],
          ["x-api-key", OPAQUE.xApiKey],
        ],
        rawHeaders: ["Host", "api.test", "x-goog-api-key", OPAQUE.xGoogApiKey],
        deep: { deeper: { deepest: [{ password: OPAQUE.field, key: KEYS.anthropic }] } },
      },
      url: new URL(`https://alice:${OPAQUE.urlPassword}@api.test/v1?key=${OPAQUE.queryKey}`),
      keys: new Map([["openai", KEYS.openaiProject]]),
    },
    CONTEXT.message,
  );

  // Errors: first argument, under err, under another name, nested, as a printf argument.
  const cause = new Error(`connect postgres://app:${OPAQUE.urlPassword}@db/app failed`);
  const error = new Error(`request with ${KEYS.openaiLegacy} failed`, { cause });
  const apiError = new APICallError({
    message: `Incorrect API key provided: ${KEYS.openaiProject}`,
    url: `https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=${KEYS.google}`,
    requestBodyValues: { model: "gemini", apiKey: OPAQUE.field, prompt: `key ${KEYS.xai}` },
    statusCode: 401,
    responseHeaders: { "set-cookie": `session=${OPAQUE.cookie}`, "x-request-id": "req_1" },
    responseBody: `{"error":{"message":"bad key ${KEYS.anthropic}","api_key":"${OPAQUE.field}"}}`,
    cause: error,
    isRetryable: false,
  });
  const retryError = new RetryError({
    message: `Failed after 2 attempts. Last error: ${apiError.message}`,
    reason: "maxRetriesExceeded",
    errors: [apiError, error],
  });
  log.error(error);
  log.error(apiError);
  log.error(apiError, CONTEXT.message);
  log.error({ err: retryError }, CONTEXT.message);
  log.error({ error: apiError, attempt: { lastError: error } }, CONTEXT.message);
  log.error("%s failed: %s", CONTEXT.message, error);

  // Child bindings, a message prefix, bindings set later.
  const child = log.child(
    { apiKey: OPAQUE.binding, endpoint: textSecrets.at(-1), note: CONTEXT.field },
    { msgPrefix: `password=${OPAQUE.prefix} ` },
  );
  child.warn(CONTEXT.message);
  child.child({ token: OPAQUE.binding }).info(CONTEXT.message);
  child.setBindings({ secret: OPAQUE.binding });
  child.info(CONTEXT.message);
}

function assertNoSecretSurvives(output: string): void {
  for (const secret of everySecret) {
    expect(output).not.toContain(secret);
    // A partly redacted secret is a leak too.
    expect(output).not.toContain(secret.slice(-12));
  }
}

describe("createLogger redacts every path", () => {
  it("in JSON mode, keeping each line valid JSON with its context", () => {
    const destination = new MemoryDestination();
    logEverything(
      createLogger({
        destination,
        pretty: false,
        level: "trace",
        bindings: { service: "orkestra", token: OPAQUE.binding },
      }),
    );
    const output = destination.text();
    assertNoSecretSurvives(output);

    const lines = output.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record.model).toBe(CONTEXT.alias);
      expect(record.service).toBe("orkestra");
    }
    expect(output).toContain(CONTEXT.message);
    expect(output).toContain(CONTEXT.field);
    expect(output).toContain("postgres://orkestra:***@db.internal:5432/orkestra");
    expect(output).toContain('"statusCode":401');
    expect(output).toContain('"x-request-id":"req_1"');
  });

  it("in pretty mode, keeping the alias prefix and the context", () => {
    const destination = new MemoryDestination();
    logEverything(
      createLogger({
        destination,
        pretty: true,
        level: "trace",
        bindings: { token: OPAQUE.binding },
      }),
    );
    const output = destination.text();
    assertNoSecretSurvives(output);
    expect(output).toContain(`[${CONTEXT.alias}] ${CONTEXT.message}`);
    expect(output).toContain(CONTEXT.field);
    expect(output).not.toContain("\u001b[");
  });
});
