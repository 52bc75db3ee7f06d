import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { workflow } from "../engine/index.js";
import { demoModel, isSimulated, onModel } from "./demo-model.js";

let emptyDir: string;
beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), "orkestra-demo-model-"));
});
afterAll(() => rm(emptyDir, { recursive: true, force: true }));

const zeroConfig = (env: Record<string, string>) => loadConfig({ cwd: emptyDir, env });

describe("the demo's model", () => {
  it("is the simulated sim with no configuration and no provider key", async () => {
    const loaded = await zeroConfig({});
    expect(demoModel(loaded, undefined)).toBe("sim");
    expect(isSimulated(loaded, "sim")).toBe(true);
  });

  it("is the first zero-config model when provider keys are set, and not simulated", async () => {
    const loaded = await zeroConfig({ OPENAI_API_KEY: "k", XAI_API_KEY: "k" });
    expect(demoModel(loaded, undefined)).toBe("gpt");
    expect(demoModel(loaded, "grok")).toBe("grok");
    expect(isSimulated(loaded, "gpt")).toBe(false);
  });

  it("replaces the examples' sim in prompt and fanout steps, and nothing else", () => {
    const definition = workflow("w")
      .prompt("one", { model: "sim", prompt: "a" })
      .fanout("many", { models: ["sim", "other", "sim"], prompt: "b" })
      .prompt("two", { model: "other", prompt: "c" })
      .build();
    const steps = onModel(definition, "claude").steps.map((step) =>
      step.kind === "prompt" ? step.model : step.kind === "fanout" ? step.models : step.kind,
    );
    expect(steps).toEqual(["claude", ["claude", "other", "claude"], "other"]);
    expect(onModel(definition, "sim")).toBe(definition);
  });
});
