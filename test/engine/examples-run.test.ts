import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadWorkflowFile, runWorkflow } from "../../src/engine/index.js";
import {
  makeWorkspace,
  parseJson,
  runCli,
  runInProcess,
  spawnCli,
  type Workspace,
} from "../cli/cli-harness.js";
import { describeEachStore } from "../helpers/stores.js";
import { createTestGateway } from "../support/test-gateway.js";

/** Every example in examples/ runs to the end, as the README says it does. */

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));
const example = (name: string) => join(examplesDir, name);

/** The built-in simulated model the examples name, with its defaults (seed 1). */
const SIM = { sim: { provider: "simulated" as const } };

describeEachStore("the example workflows, run", (fixture) => {
  it("manuscript-review: scores from 0 to 1, at least two iterations, a recorded stop reason", async () => {
    const { gateway } = createTestGateway({ models: SIM, store: fixture.store });
    const definition = await loadWorkflowFile(example("manuscript-review.yaml"), {
      models: ["sim"],
    });
    const summary = await runWorkflow(definition, {
      store: fixture.store,
      gateway,
      inputs: { manuscript: "A keeper finds a ledger written in her own hand." },
    });
    await gateway.close();

    expect(summary.status).toBe("succeeded");
    expect(summary.iterations.length).toBeGreaterThanOrEqual(2);
    for (const { score } of summary.iterations) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(["until", "max_iterations", "no_improvement"]).toContain(summary.stopReason);
    expect(Object.keys(summary.outputs).sort()).toEqual([
      "characters",
      "consistency",
      "market_fit",
      "pacing",
      "structure",
      "style",
      "synthesis",
    ]);
    expect(summary.state.findings).toHaveLength(6);
  });

  it("multi-model-answer: three answers fanned out, then a comparison with a structured verdict", async () => {
    const { gateway } = createTestGateway({ models: SIM, store: fixture.store });
    const definition = await loadWorkflowFile(example("multi-model-answer.yaml"), {
      models: ["sim"],
    });
    const summary = await runWorkflow(definition, {
      store: fixture.store,
      gateway,
      inputs: { question: "Why do lighthouses have keepers?" },
    });
    await gateway.close();

    expect(summary.status).toBe("succeeded");
    expect(summary.steps.map((step) => [step.id, step.status])).toEqual([
      ["answers", "succeeded"],
      ["comparison", "succeeded"],
    ]);
    expect(summary.outputs.comparison).toMatchObject({
      object: { agreement: expect.any(Number), answer: expect.any(String) },
    });
  });
});

describe("the example workflows, through the CLI", () => {
  let workspace: Workspace | undefined;
  afterEach(async () => {
    await workspace?.remove();
    workspace = undefined;
  });

  it("release-notes: git log in the repository it runs in, a draft, an approval from the CLI, publish", async () => {
    workspace = await makeWorkspace();
    const repository = workspace.dir;
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: repository,
        env: {
          PATH: process.env.PATH,
          GIT_AUTHOR_NAME: "Test",
          GIT_AUTHOR_EMAIL: "test@example.invalid",
          GIT_COMMITTER_NAME: "Test",
          GIT_COMMITTER_EMAIL: "test@example.invalid",
          GIT_CONFIG_NOSYSTEM: "1",
          HOME: repository,
        },
      });
    git("init", "-q");
    for (const subject of ["feat: light the lamp at dusk", "fix: count all 112 steps"]) {
      await mkdir(join(repository, "src"), { recursive: true });
      await writeFile(join(repository, "src", "log.txt"), `${subject}\n`, { flag: "a" });
      git("add", "-A");
      git("commit", "-q", "-m", subject);
    }

    const running = spawnCli(["--json", "run", example("release-notes.yaml"), "--wait"], {
      cwd: repository,
    });
    let approvalId: string | undefined;
    const deadline = Date.now() + 20_000;
    while (approvalId === undefined && Date.now() < deadline) {
      const listed = await runInProcess(["--json", "approvals"], { cwd: repository });
      const approvals = (parseJson(listed).approvals ?? []) as { id: string; title: string }[];
      approvalId = approvals[0]?.id;
      if (approvalId === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      else expect(approvals[0]?.title).toBe("Release notes for next");
    }
    expect(approvalId, "the run waits for an approval").toBeDefined();
    const approved = await runInProcess(["approve", approvalId ?? "", "--comment", "ship it"], {
      cwd: repository,
    });
    expect(approved.code).toBe(0);

    const run = await running.done;
    expect(run.code, run.stderr).toBe(0);
    const document = parseJson(run);
    expect(document.status).toBe("succeeded");
    const outputs = document.outputs as Record<string, { text?: string; stdout?: string }>;
    expect(outputs.commits?.stdout).toContain("feat: light the lamp at dusk");
    expect(outputs.commits?.stdout).toContain("fix: count all 112 steps");
    expect(outputs.draft?.text).toContain("Write release notes for version next");
    expect(outputs.publish?.stdout).toBe(outputs.draft?.text);
  }, 30_000);

  it("workflow.ts: the manuscript review built in TypeScript runs on the same executor", async () => {
    workspace = await makeWorkspace();
    const run = await runCli(
      ["--json", "run", example("workflow.ts"), "--input", "manuscript=A short text."],
      { cwd: workspace.dir },
    );
    expect(run.code, run.stderr).toBe(0);
    const document = parseJson(run);
    expect(document.status).toBe("succeeded");
    const iterations = document.iterations as { score: number }[];
    expect(iterations.length).toBeGreaterThanOrEqual(2);
    for (const { score } of iterations) expect(score).toBeGreaterThanOrEqual(0);
    for (const { score } of iterations) expect(score).toBeLessThanOrEqual(1);
    expect((document.steps as { id: string }[]).map((step) => step.id)).toEqual([
      "structure",
      "characters",
      "pacing",
      "style",
      "consistency",
      "market_fit",
      "synthesis",
    ]);
  }, 30_000);
});
