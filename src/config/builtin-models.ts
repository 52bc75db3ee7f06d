import { HOSTED_API_KEY_ENV } from "./model-settings-schema.js";

/** A model Orkestra configures by itself when the file configures none and its key is set. */
export interface BuiltinHostedModel {
  alias: string;
  /** The provider's standard key variable, which also turns this model on. */
  variable: string;
  settings: { provider: "anthropic" | "openai" | "google" | "xai"; model: string };
}

/** One sensible model per provider, in the order `ask` picks its default from. */
export const BUILTIN_HOSTED_MODELS: readonly BuiltinHostedModel[] = [
  {
    alias: "claude",
    variable: HOSTED_API_KEY_ENV.anthropic,
    settings: { provider: "anthropic", model: "claude-sonnet-4-5" },
  },
  {
    alias: "gpt",
    variable: HOSTED_API_KEY_ENV.openai,
    settings: { provider: "openai", model: "gpt-5" },
  },
  {
    alias: "gemini",
    variable: HOSTED_API_KEY_ENV.google,
    settings: { provider: "google", model: "gemini-2.5-pro" },
  },
  {
    alias: "grok",
    variable: HOSTED_API_KEY_ENV.xai,
    settings: { provider: "xai", model: "grok-4" },
  },
];

/** The alias of the simulated model added when no models are configured and no key is set. */
export const BUILTIN_SIMULATED_ALIAS = "sim";

export interface BuiltinModels {
  models: Record<string, Record<string, unknown>>;
  /** Aliases configured because their key variable is set. */
  detected: string[];
  simulated: boolean;
}

/**
 * What runs when the configuration names no models: every provider whose standard key
 * variable is set, or else the simulated `sim`, so the tool works offline out of the box.
 */
export function builtinModels(
  environment: Readonly<Record<string, string | undefined>>,
): BuiltinModels {
  const models: Record<string, Record<string, unknown>> = {};
  const detected: string[] = [];
  for (const candidate of BUILTIN_HOSTED_MODELS) {
    if (!environment[candidate.variable]) continue;
    models[candidate.alias] = { ...candidate.settings };
    detected.push(candidate.alias);
  }
  if (detected.length > 0) return { models, detected, simulated: false };
  return {
    models: { [BUILTIN_SIMULATED_ALIAS]: { provider: "simulated" } },
    detected,
    simulated: true,
  };
}
