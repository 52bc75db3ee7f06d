import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeGraph, loadWorkflowFile } from "../../src/engine/index.js";

const examplesDir = fileURLToPath(new URL("../../examples/", import.meta.url));

/** With no configuration and no provider key, `sim` is the one model there is. */
const ZERO_CONFIG_MODELS = ["sim"];

describe("the example workflows", () => {
  it("manuscript-review: six analyses in parallel, a scored synthesis, a loop until it passes", async () => {
    const definition = await loadWorkflowFile("manuscript-review.yaml", {
      models: ZERO_CONFIG_MODELS,
      cwd: examplesDir,
    });
    const analysis = analyzeGraph(definition);
    expect(analysis.levels).toEqual([
      ["structure", "characters", "pacing", "style", "consistency", "market_fit"],
      ["synthesis"],
    ]);
    const synthesis = definition.steps.find((step) => step.id === "synthesis");
    expect(
      synthesis?.kind === "prompt" && synthesis.schema?.parse({ score: 0.9, summary: "ok" }),
    ).toEqual({ score: 0.9, summary: "ok" });
    expect(definition.loop?.maxIterations).toBe(3);
    expect(definition.loop?.until?.evaluate(scopeWithScore(0.85))).toBe(true);
    expect(definition.loop?.score?.evaluate(scopeWithScore(0.4))).toBe(0.4);
    expect(
      definition.state.map((channel) => [channel.name, channel.reducer, channel.scope]),
    ).toEqual([
      ["findings", "append", "iteration"],
      ["score", "replace", "iteration"],
    ]);
  });

  it("multi-model-answer: a fanout and a comparison", async () => {
    const definition = await loadWorkflowFile("multi-model-answer.yaml", {
      models: ZERO_CONFIG_MODELS,
      cwd: examplesDir,
    });
    expect(definition.steps.map((step) => [step.id, step.kind])).toEqual([
      ["answers", "fanout"],
      ["comparison", "prompt"],
    ]);
  });

  it("release-notes: git log, a summary, an approval and a final step", async () => {
    const definition = await loadWorkflowFile("release-notes.yaml", {
      models: ZERO_CONFIG_MODELS,
      cwd: examplesDir,
    });
    expect(definition.steps.map((step) => [step.id, step.kind])).toEqual([
      ["commits", "command"],
      ["draft", "prompt"],
      ["review", "approval"],
      ["publish", "command"],
    ]);
    const commits = definition.steps[0];
    const scope = { inputs: {}, state: {}, steps: {}, iteration: 1 };
    expect(commits?.kind === "command" && commits.argv.map((part) => part.render(scope))).toEqual([
      "git",
      "log",
      "--oneline",
      "-n",
      "20",
    ]);
    expect(definition.inputs).toEqual([
      {
        name: "version",
        type: "string",
        description: "the version being released",
        default: "next",
      },
    ]);
  });
});

function scopeWithScore(score: number) {
  return { inputs: {}, state: { score }, steps: {}, iteration: 1 };
}
