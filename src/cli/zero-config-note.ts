import type { LoadedConfig } from "../config/index.js";

/** Where the models came from when the configuration names none; undefined when it names some. */
export function zeroConfigNote(loaded: LoadedConfig): string | undefined {
  if (loaded.builtinSimulated) {
    return "No models are configured and no provider key is set, so the built-in simulated model answers; add models: to orkestra.yaml (or export ANTHROPIC_API_KEY, OPENAI_API_KEY, ...) for real ones.";
  }
  if (loaded.detectedModels.length > 0) {
    const models = loaded.detectedModels;
    return `No models are configured: ${models.join(", ")} ${models.length === 1 ? "comes" : "come"} from the provider keys set in the environment.`;
  }
  return undefined;
}
