import type { ErrorBehaviour } from "./behaviour.js";
import { anthropicErrorForStatus } from "./fixtures/anthropic-errors.js";
import { googleErrorForStatus } from "./fixtures/google-errors.js";
import { openaiErrorForStatus } from "./fixtures/openai-errors.js";
import { xaiErrorForStatus } from "./fixtures/xai-errors.js";
import type { ProviderShape } from "./provider-shape.js";

/** The provider's own error for a status, used when a behaviour gives no body. */
export function errorForStatus(provider: ProviderShape, status: number): ErrorBehaviour {
  switch (provider) {
    case "anthropic":
      return anthropicErrorForStatus(status);
    case "google":
      return googleErrorForStatus(status);
    case "xai":
      return xaiErrorForStatus(status);
    case "openai":
    case "openai-compatible":
      return openaiErrorForStatus(status);
  }
}

/** What each provider sends most often when it fails inside a stream. */
export function defaultStreamErrorStatus(provider: ProviderShape): number {
  switch (provider) {
    case "anthropic":
      return 529;
    case "google":
      return 503;
    default:
      return 500;
  }
}
