import type { GatewayConfig, ModelConfig, ProviderName } from "../config/model-settings-schema.js";
import { DEFAULT_API_KEY_ENV } from "./errors/model-error-hint.js";
import type { RateLimits } from "./routing/rate-limiter.js";
import { retrySettingsFor } from "./routing/retry-settings.js";
import { type ModelPrice, priceFor } from "./usage/price-table.js";

/** Where a model's API key comes from, and whether it is there. Never the key itself. */
export interface ModelKeyStatus {
  /** The environment variable read; undefined when the model takes no key. */
  variable: string | undefined;
  /** False for simulated models and for openai-compatible servers without `apiKeyEnv`. */
  required: boolean;
  /** The variable is set and not empty. */
  set: boolean;
}

/** One configured model as `orkestra models list` shows it: settings in effect, no secrets. */
export interface ModelDescription {
  alias: string;
  provider: ProviderName;
  /** The provider's model id. */
  modelId: string;
  simulated: boolean;
  /** Configured API base URL; undefined means the provider's own. May hold credentials: redact before printing. */
  baseURL: string | undefined;
  key: ModelKeyStatus;
  /** From the configuration, the shipped table, or zero for simulated models; undefined when unknown. */
  price: ModelPrice | undefined;
  /** Token buckets; undefined when none are configured. */
  limits: RateLimits | undefined;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** Output token cap. */
  maxTokens: number;
}

export interface DescribeModelsSources {
  models: Readonly<Record<string, ModelConfig>>;
  gateway: GatewayConfig;
}

/** The key a model reads, by the same rules as the provider registry. */
export function modelKeyStatus(
  settings: ModelConfig,
  env: Readonly<Record<string, string | undefined>>,
): ModelKeyStatus {
  if (settings.provider === "simulated")
    return { variable: undefined, required: false, set: false };
  const variable = settings.apiKeyEnv ?? DEFAULT_API_KEY_ENV[settings.provider];
  if (variable === undefined) return { variable: undefined, required: false, set: false };
  const required = settings.provider !== "openai-compatible" || settings.apiKeyEnv !== undefined;
  return { variable, required, set: (env[variable] ?? "") !== "" };
}

/** Every configured model with the settings a call on it would use, in configuration order. */
export function describeModels(
  sources: DescribeModelsSources,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ModelDescription[] {
  return Object.entries(sources.models).map(([alias, settings]) => ({
    alias,
    provider: settings.provider,
    modelId: settings.model,
    simulated: settings.provider === "simulated",
    baseURL: settings.provider === "simulated" ? undefined : settings.baseURL,
    key: modelKeyStatus(settings, env),
    price: priceFor(settings.provider, settings.model, settings.price),
    limits:
      settings.limits === undefined || Object.keys(settings.limits).length === 0
        ? undefined
        : settings.limits,
    timeoutMs: settings.timeoutMs ?? sources.gateway.attemptTimeoutMs,
    retries: retrySettingsFor(sources.gateway, settings).maxRetries,
    maxTokens: settings.maxTokens ?? sources.gateway.defaultMaxTokens,
  }));
}
