import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const MODELS = join(import.meta.dirname, "../../src/models");

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The files of src/models whose text matches `pattern`, relative to src/models. */
function filesMatching(pattern: RegExp): string[] {
  return sources(MODELS)
    .filter((path) => pattern.test(readFileSync(path, "utf8")))
    .map((path) => relative(MODELS, path))
    .sort();
}

describe("one route through a model call", () => {
  it("goes down through prepare-model and back through end-model, for generate and stream alike", () => {
    expect(
      filesMatching(/from "[./]*call\/prepare-model\.js"|from "\.\/prepare-model\.js"/),
    ).toEqual([
      "call/end-model.ts",
      "call/generate-on-model.ts",
      "gateway.ts",
      "streaming/stream-on-model.ts",
    ]);
    expect(filesMatching(/from "[./]*call\/end-model\.js"|from "\.\/end-model\.js"/)).toEqual([
      "call/generate-on-model.ts",
      "call/prepare-model.ts",
      "routing/run-chain.ts",
      "streaming/stream-on-model.ts",
    ]);
  });

  it("settles budgets and writes ledger rows in one place only", () => {
    expect(filesMatching(/\bsettleCall\(/)).toEqual(["budget/settle-call.ts", "call/end-model.ts"]);
    expect(filesMatching(/ledger\?\.record\(/)).toEqual(["call/end-model.ts"]);
  });

  it("keeps the generate loop's helpers to itself", () => {
    expect(filesMatching(/call\/generate-on-model\.js"/)).toEqual(["gateway.ts"]);
  });

  it("keeps the stream loop's helpers to itself", () => {
    expect(filesMatching(/streaming\/stream-call\.js"|\.\/stream-call\.js"/)).toEqual([
      "gateway.ts",
    ]);
    expect(filesMatching(/stream-on-model\.js"/)).toEqual(["streaming/stream-call.ts"]);
  });
});
