import { Readable } from "node:stream";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/index.js";
import { ModelCallFailure, ModelError } from "../models/index.js";
import { StoreError } from "../store/index.js";
import { CliContext } from "./cli-context.js";
import { TextSink } from "./cli-io.js";
import { reportError } from "./report-error.js";

function jsonReport(error: unknown): { success: boolean; error: Record<string, unknown> } {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const io = { stdout, stderr, stdin: Readable.from([]), env: {}, cwd: "/" };
  reportError(new CliContext(io, { json: true, quiet: false }), error);
  expect(stderr.text()).toBe("");
  return JSON.parse(stdout.text()) as { success: boolean; error: Record<string, unknown> };
}

const authFailure = new ModelError("claude: invalid x-api-key", {
  kind: "auth",
  model: "claude",
  provider: "anthropic",
  status: 401,
  hint: "Set ANTHROPIC_API_KEY.",
});

describe("reportError with --json", () => {
  it.each([
    ["a model failure", authFailure, "ModelError", "model.auth"],
    [
      "a failed call",
      new ModelCallFailure({
        reason: "errorNotRetryable",
        attempts: [
          {
            model: "claude",
            provider: "anthropic",
            attempt: 1,
            error: authFailure,
            startedAt: 0,
            durationMs: 3,
          },
        ],
      }),
      "ModelCallFailure",
      "model.auth",
    ],
    [
      "a store failure",
      new StoreError("locked", { code: "store.busy" }),
      "StoreError",
      "store.busy",
    ],
    [
      "a configuration error",
      new ConfigError({ code: "config.empty", file: "/w/orkestra.yaml", issues: [] }),
      "ConfigError",
      "config.empty",
    ],
    [
      "a flag Commander rejected",
      new CommanderError(1, "commander.unknownOption", "error: unknown option '--bogus'"),
      "UsageError",
      "usage",
    ],
    ["an unexpected error", new TypeError("x is undefined"), "TypeError", "internal"],
  ])("gives %s its name, code, message, retryable and hint", (_what, error, name, code) => {
    const document = jsonReport(error);
    expect(document.success).toBe(false);
    expect(document.error).toMatchObject({ name, code, message: expect.any(String) });
    expect(typeof document.error.retryable).toBe("boolean");
    expect(document.error).toHaveProperty("hint");
  });

  it("keeps a model failure's own fields", () => {
    expect(jsonReport(authFailure).error).toEqual({
      name: "ModelError",
      code: "model.auth",
      kind: "auth",
      message: "claude: invalid x-api-key",
      retryable: false,
      status: 401,
      model: "claude",
      provider: "anthropic",
      retryAfterMs: null,
      providerCode: null,
      hint: "Set ANTHROPIC_API_KEY.",
    });
  });

  it("removes secrets from every error", () => {
    const key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    for (const error of [
      new ModelError(`invalid key ${key}`, { kind: "auth", model: "claude", provider: "x" }),
      new Error(`invalid key ${key}`),
    ]) {
      expect(JSON.stringify(jsonReport(error))).not.toContain(key.slice(13));
    }
  });
});
