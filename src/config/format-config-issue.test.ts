import { describe, expect, it } from "vitest";
import { formatConfigIssue, formatKeyPath } from "./format-config-issue.js";

describe("formatKeyPath", () => {
  it("joins keys with dots and indexes with brackets", () => {
    expect(formatKeyPath(["fallbacks", "smart", 1])).toBe("fallbacks.smart[1]");
    expect(formatKeyPath([])).toBe("");
  });

  it("quotes keys that would read as several segments", () => {
    expect(formatKeyPath(["models", "gpt-4.1", "model"])).toBe('models["gpt-4.1"].model');
  });
});

describe("formatConfigIssue", () => {
  it("prints file, line and column before the key path", () => {
    const line = formatConfigIssue(
      {
        keyPath: "log.level",
        path: ["log", "level"],
        line: 2,
        column: 10,
        message: "m",
        source: "file",
      },
      "orkestra.yaml",
    );
    expect(line).toBe("orkestra.yaml:2:10 log.level: m");
  });

  it("names the environment variable for an override", () => {
    const line = formatConfigIssue(
      {
        keyPath: "store",
        path: ["store"],
        message: "m",
        envVar: "ORKESTRA_STORE",
        source: "environment",
      },
      "orkestra.yaml",
    );
    expect(line).toBe("environment variable ORKESTRA_STORE (store): m");
  });
});
