import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../config/index.js";
import { WorkflowInputError } from "../engine/index.js";
import { OrkestraError, UsageError } from "../errors/index.js";
import { ModelError } from "../models/index.js";
import { StoreError } from "../store/index.js";
import { EXIT_FAILED, EXIT_USAGE, exitCodeFor } from "./exit-codes.js";

const configError = () => new ConfigError({ code: "config.empty", file: undefined, issues: [] });

describe("exitCodeFor", () => {
  it("exits 2 for bad usage or configuration, 1 for failed work", () => {
    expect(exitCodeFor(new UsageError("--timeout: not a duration"))).toBe(EXIT_USAGE);
    expect(exitCodeFor(configError())).toBe(EXIT_USAGE);
    expect(
      exitCodeFor(
        new WorkflowInputError({
          workflow: "review",
          source: "review.yaml",
          issues: [{ input: "text", message: "missing" }],
        }),
      ),
    ).toBe(EXIT_USAGE);
    expect(exitCodeFor(new StoreError("locked", { code: "store.busy" }))).toBe(EXIT_FAILED);
    const modelError = new ModelError("no", { kind: "auth", model: "claude", provider: "x" });
    expect(exitCodeFor(modelError)).toBe(EXIT_FAILED);
    expect(exitCodeFor(new Error("bug"))).toBe(EXIT_FAILED);
    expect(exitCodeFor("a string")).toBe(EXIT_FAILED);
  });

  it("decides by class, not by name: another error called ConfigError is failed work", () => {
    class ConfigError extends OrkestraError {
      constructor() {
        super("the user's own config error", { code: "app.config" });
        this.name = "ConfigError";
      }
    }
    const renamed = Object.assign(new StoreError("x", { code: "store.query" }), {
      name: "UsageError",
    });
    expect(exitCodeFor(new ConfigError())).toBe(EXIT_FAILED);
    expect(exitCodeFor(renamed)).toBe(EXIT_FAILED);
  });

  it("recognises usage and configuration errors from another copy of the package", async () => {
    vi.resetModules();
    const copy = await import("../index.js");
    expect(copy.UsageError).not.toBe(UsageError);
    expect(exitCodeFor(new copy.UsageError("bad flag"))).toBe(EXIT_USAGE);
    const foreignConfig = new copy.ConfigError({
      code: "config.empty",
      file: undefined,
      issues: [],
    });
    expect(exitCodeFor(foreignConfig)).toBe(EXIT_USAGE);
  });
});
