import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  analyzeGraph,
  createOrkestra,
  loadWorkflowFile,
  parseWorkflowText,
  resolveInputs,
  usageReport,
  WorkflowFileError,
} from "../../src/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

describe("the library", () => {
  it("does what `orkestra ask` does: answers, labels simulated output and writes the ledger", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "orkestra-library-"));
    directories.push(cwd);
    const orkestra = await createOrkestra({ cwd, env: {} });
    try {
      const outcome = await orkestra.ask("What is a fallback chain?");
      expect(outcome.failures).toEqual([]);
      expect(outcome.results).toHaveLength(1);
      expect(outcome.results[0]).toMatchObject({
        model: "sim",
        simulated: true,
        provider: "simulated",
      });
      await orkestra.gateway.flush();
      const report = await usageReport(orkestra.store, 0, "model");
      expect(report.lines).toEqual([
        expect.objectContaining({ key: "sim", calls: 1, failures: 0, simulated: true }),
      ]);
    } finally {
      await orkestra.close();
    }
  });

  it("is importable by package name, with the test helpers under orkestra/testing", () => {
    const script = [
      'const orkestra = await import("orkestra");',
      'const testing = await import("orkestra/testing");',
      "console.log(JSON.stringify([typeof orkestra.createOrkestra, typeof orkestra.ask, typeof orkestra.createGateway, typeof testing.startFakeProviderServer]));",
      'console.log(JSON.stringify(orkestra.tally("plurality", [{ member: "Member 1", choice: "A" }], ["A", "B"]).winner));',
    ].join("\n");
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    const [functions, winner] = output
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(functions).toEqual(["function", "function", "function", "function"]);
    expect(winner).toBe("A");
  });

  it("shares one copy of every module among the library, orkestra/testing and the CLI", async () => {
    // scripts/bundle.mjs: a workflow module that imports "orkestra" while `orkestra run` loads
    // it must get the classes the CLI uses, not a second copy of them.
    const modules: Record<string, string[]> = JSON.parse(
      await readFile(join(root, "dist", "bundle", "modules.json"), "utf8"),
    );
    expect(Object.keys(modules)).toEqual(
      expect.arrayContaining(["index.js", "testing.js", "cli.js"]),
    );
    const outputsOf = new Map<string, string[]>();
    for (const [output, inputs] of Object.entries(modules)) {
      for (const input of inputs) outputsOf.set(input, [...(outputsOf.get(input) ?? []), output]);
    }
    const copied = [...outputsOf].filter(([, outputs]) => outputs.length > 1);
    expect(copied).toEqual([]);
    for (const shared of ["errors/orkestra-error.js", "models/gateway.js", "engine/index.js"]) {
      expect(outputsOf.get(shared), shared).toHaveLength(1);
    }
  });

  it("loads, checks and analyses workflow files", async () => {
    const definition = await loadWorkflowFile(join(root, "examples", "release-notes.yaml"), {
      models: ["sim"],
    });
    expect(resolveInputs(definition, {})).toEqual({ version: "next" });
    expect(analyzeGraph(definition).order).toEqual(["commits", "draft", "review", "publish"]);
    expect(() => parseWorkflowText("name: x\nsteps: {}\n")).toThrow(WorkflowFileError);
  });
});
