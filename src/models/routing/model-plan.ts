import type {
  GatewayConfig,
  ModelConfig,
  ProviderName,
} from "../../config/model-settings-schema.js";
import { type Logger, modelLogger } from "../../observability/index.js";
import { type ModelPrice, priceFor } from "../usage/price-table.js";
import type { CircuitBreaker, CircuitBreakerRegistry } from "./circuit-breaker.js";
import type { RateLimiter, RateLimiterRegistry } from "./rate-limiter.js";
import { type RetrySettings, retrySettingsFor } from "./retry-settings.js";

/** Everything the gateway needs to call one alias, resolved once from the configuration. */
export interface ModelPlan {
  alias: string;
  settings: ModelConfig;
  provider: ProviderName;
  modelId: string;
  simulated: boolean;
  retry: RetrySettings;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  /** A committed stream silent this long is cut, ms. */
  streamIdleTimeoutMs: number;
  /** Output token cap sent with every call. */
  maxTokens: number;
  temperature: number | undefined;
  /** Undefined when neither configuration nor price table knows the model. */
  price: ModelPrice | undefined;
  apiKeyEnv: string | undefined;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  /** Child logger whose lines carry `model: <alias>`. */
  log: Logger;
}

export interface PlanSources {
  gateway: GatewayConfig;
  limiters: RateLimiterRegistry;
  breakers: CircuitBreakerRegistry;
  logger: Logger;
}

export function planModel(alias: string, settings: ModelConfig, sources: PlanSources): ModelPlan {
  const { gateway } = sources;
  return {
    alias,
    settings,
    provider: settings.provider,
    modelId: settings.model,
    simulated: settings.provider === "simulated",
    retry: retrySettingsFor(gateway, settings),
    timeoutMs: settings.timeoutMs ?? gateway.attemptTimeoutMs,
    streamIdleTimeoutMs: gateway.streamIdleTimeoutMs,
    maxTokens: settings.maxTokens ?? gateway.defaultMaxTokens,
    temperature: settings.temperature,
    price: priceFor(settings.provider, settings.model, settings.price),
    apiKeyEnv: settings.provider === "simulated" ? undefined : settings.apiKeyEnv,
    limiter: sources.limiters.get(alias, settings.limits),
    breaker: sources.breakers.get(alias, { ...gateway.breaker, ...settings.breaker }),
    log: modelLogger(sources.logger, alias),
  };
}
