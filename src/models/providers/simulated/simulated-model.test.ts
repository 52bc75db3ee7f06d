import type { LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import type { SimulatedModelConfig } from "../../../config/model-settings-schema.js";
import { SimulatedLanguageModel } from "./simulated-model.js";

const SETTINGS: SimulatedModelConfig = {
  provider: "simulated",
  model: "simulated",
  latencyMs: 5,
  failures: {},
  seed: 1,
};

function scoreRequest(): LanguageModelV4CallOptions {
  return {
    prompt: [{ role: "user", content: [{ type: "text", text: "score it" }] }],
    responseFormat: {
      type: "json",
      schema: {
        type: "object",
        properties: { score: { type: "number", minimum: 0, maximum: 1 } },
      },
    },
  };
}

async function score(model: SimulatedLanguageModel): Promise<number> {
  const result = await model.doGenerate(scoreRequest());
  const text = result.content[0]?.type === "text" ? result.content[0].text : "";
  return (JSON.parse(text) as { score: number }).score;
}

describe("the simulated model", () => {
  it("answers the same for the same seed whatever order its calls finish in", async () => {
    const oneAfterTheOther = new SimulatedLanguageModel("sim", SETTINGS);
    const first = await score(oneAfterTheOther);
    const second = await score(oneAfterTheOther);
    const third = await score(oneAfterTheOther);

    const overlapping = new SimulatedLanguageModel("sim", SETTINGS);
    const together = await Promise.all([score(overlapping), score(overlapping)]);
    const after = await score(overlapping);

    expect([...together, after]).toEqual([first, second, third]);
  });

  it("keeps a number inside the schema's minimum and maximum", async () => {
    const model = new SimulatedLanguageModel("sim", { ...SETTINGS, latencyMs: 0 });
    for (let call = 0; call < 50; call += 1) {
      const value = await score(model);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });
});
