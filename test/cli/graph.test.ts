import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import {
  makeWorkspace,
  parseJson,
  repositoryRoot,
  runCli,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

const workspaces: Workspace[] = [];
let zeroConfig: Workspace;

async function workspace(config?: string): Promise<Workspace> {
  const made = await makeWorkspace(config);
  workspaces.push(made);
  return made;
}

const BROKEN = `name: broken
steps:
  structure: { prompt: "Structure", model: sim }
  pacing: { prompt: "Pacing", model: sim }
  synthesis: { needs: [structure, pacing], model: smi, prompt: "{{ steps.pacnig.text }}" }
`;

beforeAll(async () => {
  zeroConfig = await workspace();
  await cp(join(repositoryRoot, "examples"), join(zeroConfig.dir, "examples"), { recursive: true });
  await writeFile(join(zeroConfig.dir, "broken.yaml"), BROKEN);
});

afterAll(() => Promise.all(workspaces.map((made) => made.remove())));

describe("orkestra graph", () => {
  it("checks the manuscript review and prints order, levels and the critical path", async () => {
    const run = await runInProcess(["graph", "examples/manuscript-review.yaml"], {
      cwd: zeroConfig.dir,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "examples/manuscript-review.yaml is valid: workflow manuscript-review, 7 steps",
        "order: structure, characters, pacing, style, consistency, market_fit, synthesis",
        "levels (the steps of a level can run at once):",
        "  1. structure, characters, pacing, style, consistency, market_fit",
        "  2. synthesis",
        "critical path: structure → synthesis (about 2.0 s)",
        "  structure: 1.0 s (default)",
        "  synthesis: 1.0 s (default)",
        "",
      ].join("\n"),
    );
  });

  it("prints one JSON document with success, and Mermaid text with --mermaid", async () => {
    const json = parseJson(
      await runInProcess(["--json", "graph", "examples/release-notes.yaml"], {
        cwd: zeroConfig.dir,
      }),
    );
    expect(json).toMatchObject({
      success: true,
      valid: true,
      workflow: "release-notes",
      order: ["commits", "draft", "review", "publish"],
      levels: [["commits"], ["draft"], ["review"], ["publish"]],
      criticalPath: { steps: ["commits", "draft", "review", "publish"], totalMs: 4000 },
    });
    expect(json.mermaid).toBeUndefined();
    const mermaid = await runInProcess(["graph", "--mermaid", "examples/multi-model-answer.yaml"], {
      cwd: zeroConfig.dir,
    });
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toBe(
      [
        "flowchart TD",
        '  s0["answers"]',
        '  s1["comparison"]',
        "  s0 --> s1",
        "  classDef critical stroke-width:3px",
        "  class s0,s1 critical",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 with every problem of a broken file, in text and in JSON", async () => {
    const run = await runInProcess(["graph", "broken.yaml"], { cwd: zeroConfig.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        'orkestra: broken.yaml:5:51 steps.synthesis.model: unknown model alias "smi", expected a model or fallback chain of the configuration, one of sim (did you mean "sim"?)',
        'broken.yaml:5:64 steps.synthesis.prompt: steps.pacnig is not a step in {{ steps.pacnig.text }} (did you mean "pacing"?)',
        "  Fix the problems listed; `orkestra graph <file>` checks a workflow.",
        "",
      ].join("\n"),
    );
    const json = await runInProcess(["--json", "graph", "broken.yaml"], { cwd: zeroConfig.dir });
    expect(json.code).toBe(2);
    const document = parseJson(json);
    expect(document).toMatchObject({ success: false, valid: false, file: "broken.yaml" });
    expect(document.issues).toEqual([
      expect.objectContaining({ line: 5, keyPath: "steps.synthesis.model", suggestion: "sim" }),
      expect.objectContaining({ line: 5, keyPath: "steps.synthesis.prompt", suggestion: "pacing" }),
    ]);
  });

  it("exits 2 for a directory and a missing file", async () => {
    await mkdir(join(zeroConfig.dir, "flows"), { recursive: true });
    const directory = await runInProcess(["graph", "flows"], { cwd: zeroConfig.dir });
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(
      /^orkestra: flows: this is a directory, not a workflow file\n/,
    );
    const missing = await runInProcess(["graph", "examples/manuscript-reveiw.yaml"], {
      cwd: zeroConfig.dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^orkestra: examples\/manuscript-reveiw\.yaml: the workflow file does not exist \(did you mean "examples\/manuscript-review\.yaml"\?\)/,
    );
  });

  it("checks model names against the configuration: aliases and fallback chains", async () => {
    const configured = await workspace(
      "models:\n  fast: { provider: simulated, latencyMs: 1 }\nfallbacks:\n  smart: [fast]\n",
    );
    await writeFile(
      join(configured.dir, "flow.yaml"),
      'name: flow\nsteps:\n  a: { prompt: "x", model: smart }\n  b: { prompt: "y", model: sim }\n',
    );
    const run = await runInProcess(["graph", "flow.yaml"], { cwd: configured.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'flow.yaml:4:28 steps.b.model: unknown model alias "sim", expected a model or fallback chain of the configuration, one of fast, smart',
    );
  });

  it("estimates steps from the ledger's recent p50 latency of their model", async () => {
    const configured = await workspace(
      "models:\n  fast: { provider: simulated }\n  slow: { provider: simulated }\n  unused: { provider: simulated }\n",
    );
    await writeFile(
      join(configured.dir, "flow.yaml"),
      [
        "name: flow",
        "steps:",
        '  a: { prompt: "x", model: fast }',
        '  b: { prompt: "y", model: slow }',
        '  c: { prompt: "z", model: fast, needs: [a, b] }',
        '  d: { prompt: "w", model: unused, needs: [c], estimateMs: 5 }',
      ].join("\n"),
    );
    const store = await openOrkestraStore(`sqlite:${configured.storeFile}`);
    try {
      const rows = [
        ["fast", 100, "success"],
        ["fast", 300, "success"],
        ["fast", 200, "success"],
        ["fast", 9000, "error"],
        ["slow", 2500, "success"],
      ] as const;
      await modelDb(store)
        .insertInto("model_calls")
        .values(
          rows.map(([alias, latency, outcome], index) => ({
            id: `call-${index}`,
            created_at: 1_000 + index,
            alias,
            provider: "simulated",
            model: "simulated",
            outcome,
            error_kind: outcome === "error" ? "server" : null,
            input_tokens: 0,
            cache_read_tokens: 0,
            cache_write_tokens: 0,
            output_tokens: 0,
            reasoning_tokens: 0,
            cost_usd: 0,
            latency_ms: latency,
            attempts: 1,
            simulated: 1,
            streamed: 0,
            run_id: null,
            task_id: null,
            step_id: null,
          })),
        )
        .execute();
    } finally {
      await store.close();
    }
    const json = parseJson(
      await runInProcess(["--json", "graph", "flow.yaml"], { cwd: configured.dir }),
    );
    expect(json.estimatesMs).toEqual({ a: 200, b: 2500, c: 200, d: 5 });
    expect(json.criticalPath).toEqual({ steps: ["b", "c", "d"], totalMs: 2705 });
    const text = await runInProcess(["graph", "flow.yaml"], { cwd: configured.dir });
    expect(text.stdout).toContain(
      [
        "critical path: b → c → d (about 2.7 s)",
        "  b: 2.5 s (recent p50 of slow)",
        "  c: 200 ms (recent p50 of fast)",
        "  d: 5 ms (estimateMs)",
      ].join("\n"),
    );
  });

  it("works from the built command line too", async () => {
    const run = await runCli(["graph", "examples/manuscript-review.yaml"], { cwd: zeroConfig.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^examples\/manuscript-review\.yaml is valid/);
  });
});
