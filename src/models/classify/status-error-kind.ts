import type { ErrorClassification } from "./error-classification.js";

/**
 * The HTTP status alone, for responses whose body names no code we know. Used last: providers
 * report the same fact under different statuses (xAI sends a bad API key as 400, Anthropic an
 * overload as 529, OpenAI a spent balance as 429), so codes and messages are read first.
 */
export function statusErrorKind(status: number | undefined): ErrorClassification | undefined {
  if (status === undefined) return undefined;
  switch (status) {
    case 400:
    case 422:
      return { kind: "invalid_request" };
    case 401:
    case 403:
      return { kind: "auth" };
    // OpenRouter and other resellers answer 402 Payment Required when the credits are spent.
    case 402:
      return { kind: "quota_exhausted" };
    case 404:
      return { kind: "not_found" };
    case 408:
      return { kind: "timeout" };
    // A conflicting concurrent request (OpenAI, Google ABORTED): worth another attempt.
    case 409:
      return { kind: "server", retryable: true };
    // The body is bigger than the endpoint accepts: the input is too large for this model.
    case 413:
      return { kind: "context_length" };
    case 429:
      return { kind: "rate_limit" };
    case 503:
    case 529:
      return { kind: "overloaded" };
    case 504:
      return { kind: "timeout" };
    default:
      if (status >= 500) return { kind: "server" };
      if (status >= 400) return { kind: "invalid_request" };
      return undefined;
  }
}
