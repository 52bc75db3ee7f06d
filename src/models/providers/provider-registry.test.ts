import { describe, expect, it } from "vitest";
import { type ModelConfig, modelConfigSchema } from "../../config/model-settings-schema.js";
import { ModelError } from "../errors/model-error.js";
import { ProviderRegistry } from "./provider-registry.js";

function settings(input: Record<string, unknown>): ModelConfig {
  return modelConfigSchema.parse(input);
}

describe("ProviderRegistry.resolve", () => {
  it("gives calls that resolve a model at the same time one handle", async () => {
    const registry = new ProviderRegistry({
      models: { claude: settings({ provider: "anthropic", model: "claude-sonnet-4-5" }) },
      env: { ANTHROPIC_API_KEY: "sk-ant-not-a-real-key-1234" },
    });
    const [first, second] = await Promise.all([
      registry.resolve("claude"),
      registry.resolve("claude"),
    ]);
    expect(first).toBe(second);
    expect(first.model.provider).toMatch(/^anthropic/);
    expect(await registry.resolve("claude")).toBe(first);
  });

  it("rejects a model without its key, and resolves it once the key is set", async () => {
    const env: Record<string, string | undefined> = {};
    const registry = new ProviderRegistry({
      models: { gpt: settings({ provider: "openai", model: "gpt-4.1" }) },
      env,
    });
    const missing = await registry.resolve("gpt").catch((error: unknown) => error);
    expect(ModelError.isInstance(missing) && missing.kind).toBe("auth");
    env.OPENAI_API_KEY = "sk-not-a-real-key-5678";
    const handle = await registry.resolve("gpt");
    expect(handle.modelId).toBe("gpt-4.1");
    expect(registry.secretsFor("gpt")).toContain("sk-not-a-real-key-5678");
  });

  it("makes a simulated model without any provider package", async () => {
    const registry = new ProviderRegistry({
      models: { sim: settings({ provider: "simulated" }) },
    });
    const handle = await registry.resolve("sim");
    expect(handle.simulated).toBe(true);
    expect(handle.model.provider).toBe("simulated");
  });
});
