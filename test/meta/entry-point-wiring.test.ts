import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../src/cli");

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function cliFilesMatching(pattern: RegExp): string[] {
  return sources(CLI)
    .filter((path) => pattern.test(readFileSync(path, "utf8")))
    .map((path) => relative(CLI, path));
}

describe("the CLI wires the gateway the way createOrkestra does", () => {
  it("builds no gateway and opens no store of its own making", () => {
    expect(cliFilesMatching(/\bcreateGateway\(|new Gateway\(|[^.\w]openStore\(/)).toEqual([]);
  });

  it("leaves the default model to the gateway", () => {
    expect(cliFilesMatching(/Object\.keys\([\w.]*models\)\[0\]/)).toEqual([]);
  });
});
