import { afterEach, describe, expect, it } from "vitest";
import { makeWorkspace, parseJson, runCli, runInProcess, type Workspace } from "./cli-harness.js";

/** `orkestra demo`, end to end through bin/orkestra.js, from a directory that is not the package. */

const ASPECTS = ["structure", "characters", "pacing", "style", "consistency", "market fit"];
const RUN_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.remove();
  workspace = undefined;
});

describe("orkestra demo", () => {
  it("reviews the bundled manuscript on the simulated model and reports in under 15 s", async () => {
    workspace = await makeWorkspace();
    const started = Date.now();
    const run = await runCli(["demo"], { cwd: workspace.dir });
    const elapsedMs = Date.now() - started;

    expect(run.code, run.stderr).toBe(0);
    expect(elapsedMs).toBeLessThan(15_000);
    const report = run.stdout.slice(run.stdout.indexOf("Manuscript review of"));
    expect(report).toContain("sample-manuscript.md");
    expect(report).toMatch(/^model: sim \(SIMULATED: no provider was called/m);
    expect(report).toContain("Findings (last iteration)");
    for (const aspect of ASPECTS) expect(report).toMatch(new RegExp(`^ {2}${aspect} +\\S`, "m"));
    expect(report).toMatch(/^Verdict: score 0\.\d+/m);
    const scores = [...report.matchAll(/^ {2}iteration \d+ {2}(\d(?:\.\d+)?)$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(scores.length).toBeGreaterThanOrEqual(2);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
    expect(report).toMatch(/^Stopped: maxIterations \(3\) reached before the score passed/m);
    expect(report).toMatch(/^Cost \$0 \(simulated\) · \d+\.\d s$/m);
    const runId = RUN_ID.exec(report)?.[0];
    expect(report).toContain(`orkestra show ${runId}`);

    const shown = await runCli(["--json", "show", runId ?? ""], { cwd: workspace.dir });
    expect(parseJson(shown)).toMatchObject({ status: "succeeded", stopReason: "max_iterations" });
  }, 30_000);

  it("--json: the run document of `orkestra run --json` plus a report", async () => {
    workspace = await makeWorkspace();
    const run = await runCli(["--json", "demo"], { cwd: workspace.dir });
    expect(run.code, run.stderr).toBe(0);
    const document = parseJson(run);
    expect(Object.keys(document)).toEqual([
      "success",
      "runId",
      "status",
      "outputs",
      "state",
      "costUsd",
      "iterations",
      "steps",
      "report",
    ]);
    const report = document.report as Record<string, unknown>;
    expect(report).toMatchObject({
      simulated: true,
      model: "sim",
      manuscript: expect.stringMatching(/examples[/\\]sample-manuscript\.md$/),
      verdict: { score: expect.any(Number), summary: expect.any(String) },
      stopReason: "max_iterations",
      costUsd: 0,
      durationMs: expect.any(Number),
      runId: document.runId,
      show: `orkestra show ${String(document.runId)}`,
    });
    expect(Object.keys(report.findings as object)).toEqual([
      "structure",
      "characters",
      "pacing",
      "style",
      "consistency",
      "market_fit",
    ]);
    expect(report.iterations).toEqual(document.iterations);
    expect((report.iterations as unknown[]).length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

describe("orkestra demo's model", () => {
  it("is the first configured model when there is no sim, or the one --model names", async () => {
    workspace = await makeWorkspace({
      models: {
        first: { provider: "simulated", latencyMs: 1 },
        second: { provider: "simulated", latencyMs: 1 },
      },
    });
    const byDefault = parseJson(await runInProcess(["--json", "demo"], { cwd: workspace.dir }));
    const models = (document: Record<string, unknown>) => [
      ...new Set((document.steps as { model: string }[]).map((step) => step.model)),
    ];
    expect(models(byDefault)).toEqual(["first"]);
    expect(byDefault.report).toMatchObject({ model: "first", simulated: true });

    const chosen = parseJson(
      await runInProcess(["--json", "demo", "--model", "second"], { cwd: workspace.dir }),
    );
    expect(models(chosen)).toEqual(["second"]);
  }, 30_000);

  it("rejects an unknown --model with the names there are (exit 2)", async () => {
    workspace = await makeWorkspace();
    const run = await runInProcess(["demo", "--model", "sin"], { cwd: workspace.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--model sin: no such model or fallback chain");
    expect(run.stderr).toContain("did you mean sim?");
  });
});
