import {
  type GatewayConfig,
  gatewaySchema,
  type ModelConfig,
  type ModelErrorKind,
} from "../../config/model-settings-schema.js";

/** How one model retries and when a chain moves on from it. */
export interface RetrySettings {
  /** Retries on this model after the first attempt. @defaultValue 3 */
  maxRetries: number;
  /** Ceiling of the first backoff; doubles per retry. @defaultValue 1000 */
  baseMs: number;
  /** Largest backoff ceiling. @defaultValue 8000 */
  capMs: number;
  /** A longer Retry-After moves to the next model instead of waiting. @defaultValue 60000 */
  maxRetryAfterMs: number;
  /** Kinds after which the chain moves on. @defaultValue every kind but cancelled and budget_exceeded */
  fallbackOn: readonly ModelErrorKind[];
}

/** The model's own `retries` and `fallbackOn` over the gateway's. */
export function retrySettingsFor(
  gateway: GatewayConfig,
  model: Partial<Pick<ModelConfig, "retries" | "fallbackOn">>,
): RetrySettings {
  return {
    maxRetries: model.retries ?? gateway.retries,
    baseMs: gateway.backoff.baseMs,
    capMs: gateway.backoff.capMs,
    maxRetryAfterMs: gateway.maxRetryAfterMs,
    fallbackOn: model.fallbackOn ?? gateway.fallbackOn,
  };
}

/** What a model retries with when nothing is configured: the configuration's defaults, not a copy. */
export const DEFAULT_RETRY_SETTINGS: Readonly<RetrySettings> = Object.freeze(
  retrySettingsFor(gatewaySchema.parse({}), {}),
);

/** `settings` with a call's own `retries` (ModelRequest.retries) in place of the model's. */
export function retrySettingsForCall(
  settings: RetrySettings,
  retries: number | undefined,
): RetrySettings {
  return retries === undefined ? settings : { ...settings, maxRetries: Math.max(0, retries) };
}
