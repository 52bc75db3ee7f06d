import type {
  GatewayConfig,
  ModelConfig,
  ModelErrorKind,
} from "../../config/model-settings-schema.js";
import { MODEL_ERROR_KINDS, NO_FALLBACK_KINDS } from "../errors/model-error.js";

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

export const DEFAULT_RETRY_SETTINGS: Readonly<RetrySettings> = {
  maxRetries: 3,
  baseMs: 1_000,
  capMs: 8_000,
  maxRetryAfterMs: 60_000,
  fallbackOn: MODEL_ERROR_KINDS.filter((kind) => !NO_FALLBACK_KINDS.includes(kind)),
};

/** The model's own `retries` and `fallbackOn` over the gateway's. */
export function retrySettingsFor(gateway: GatewayConfig, model: ModelConfig): RetrySettings {
  return {
    maxRetries: model.retries ?? gateway.retries,
    baseMs: gateway.backoff.baseMs,
    capMs: gateway.backoff.capMs,
    maxRetryAfterMs: gateway.maxRetryAfterMs,
    fallbackOn: model.fallbackOn ?? gateway.fallbackOn,
  };
}

/** `settings` with a call's own `retries` (ModelRequest.retries) in place of the model's. */
export function retrySettingsForCall(
  settings: RetrySettings,
  retries: number | undefined,
): RetrySettings {
  return retries === undefined ? settings : { ...settings, maxRetries: Math.max(0, retries) };
}
